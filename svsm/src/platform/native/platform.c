
// SPDX-License-Identifier: MIT
/* The native platform: a plain VM (QEMU TCG/KVM) booted by a multiboot loader. */
#include <boot/multiboot1.h>
#include <igvm/igvm-format.h>
#include <x86/apic.h>
#include <x86/msr.h>
#include "native.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/compiler.h"
#include "svsmk/guest_access.h"
#include "svsmk/igvm_params.h"
#include "svsmk/layout.h"
#include "svsmk/mm.h"
#include "svsmk/string.h"

/*
 * QEMU isa-debug-exit device (iobase=0xf4): QEMU exits with status (value << 1) | 1
 * (qemu hw/misc/debugexit.c, debug_exit_write). The
 * values are chosen so that no outcome maps to 1, which QEMU itself uses for its own errors.
 */
#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_BASE 0x10 /* +0 success (exit 33), +1 failures (35), +2 crash (37) */

/* Early boot: the boot page tables identity-map the low 4 GiB. */
static int early_phys_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	if (pa + len < pa || pa + len > (1ULL << 32))
		return -EINVAL;
	return copy_bytes_safe(buf, addr_to_ptr(pa), len);
}

static int guest_phys_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	return copy_from_guest(buf, pa, len);
}

/* VP count from the IGVM parameters; 0 when booted by multiboot (CPUs come from the MADT). */
static uint32_t igvm_vp_count;

/*
 * Multiboot, or the IGVM parameter pages when QEMU's IGVM loader started us on a plain VM
 * (svsm_entry_snp32 found no SEV). No firmware ran then, so there are no ACPI tables: the
 * CPUs are the IGVM VP count with APIC IDs 0..n-1 (our layout has no MADT parameter).
 */
static int native_parse_boot_params(const struct boot_info *bi, struct memmap *map, char *cmdline,
				    size_t cmdline_size)
{
	if (bi->protocol_magic == MB1_BOOTLOADER_MAGIC)
		return mb1_parse_info(early_phys_read, NULL, bi->params_pa, map, cmdline,
				      cmdline_size);
	if (bi->protocol_magic != SVSM_BOOT_MAGIC_IGVM)
		return -EINVAL;
	struct igvm_boot_params p;
	int rc = igvm_params_parse(early_phys_read, NULL, bi->params_pa, MAX_CPUS, map, &p);
	if (rc)
		return rc;
	/* A loader that says memory is private here contradicts SEV_STATUS: refuse. */
	if (!(p.env_info & IGVM_ENVIRONMENT_INFO_MEMORY_IS_SHARED))
		return -EINVAL;
	igvm_vp_count = p.vp_count;
	if (cmdline_size)
		cmdline[0] = '\0'; /* no command-line parameter in our IGVM layout */
	return 0;
}

static int native_validate_pages(uint64_t pa, uint64_t npages, int valid)
{
	/* Plain VMs have no page validation state: every page is usable. */
	(void)pa;
	(void)npages;
	(void)valid;
	return 0;
}

static int native_set_vmpl_perms(uint64_t pa, unsigned int vmpl, unsigned int perms)
{
	(void)pa;
	(void)vmpl;
	(void)perms;
	return -ENOSYS; /* no VMPLs outside SEV-SNP */
}

static int native_enum_cpus(uint32_t *ids, size_t max)
{
	if (igvm_vp_count) {
		size_t n = igvm_vp_count < max ? igvm_vp_count : max;
		for (size_t i = 0; i < n; i++)
			ids[i] = (uint32_t)i;
		return (int)n;
	}
	return acpi_enum_lapics(guest_phys_read, NULL, ids, max);
}

static int64_t native_hypercall(uint64_t code, uint64_t a0, uint64_t a1)
{
	(void)code;
	(void)a0;
	(void)a1;
	return -ENOSYS;
}

static __noreturn void native_terminate(int status)
{
	outl(DEBUG_EXIT_PORT, DEBUG_EXIT_BASE + (status < 0 || status > 2 ? 2 : (uint32_t)status));
	for (;;) {
		__asm__ volatile("cli");
		halt();
	}
}

static void native_late_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!(base & MSR_APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | MSR_APIC_BASE_ENABLE);
	apic_mmio = mm_map_mmio(base & MSR_APIC_BASE_ADDR_MASK, 4096);
	if (apic_mmio)
		apic_mmio[APIC_REG_SVR / 4] |= APIC_SVR_ENABLE;
}

const struct platform_ops native_platform = {
	.name = "native",
	.parse_boot_params = native_parse_boot_params,
	.console_init = serial_init,
	.console_putc = serial_putc,
	.validate_pages = native_validate_pages,
	.set_vmpl_perms = native_set_vmpl_perms,
	.enum_cpus = native_enum_cpus,
	.start_cpu = native_start_cpu,
	.hypercall = native_hypercall,
	.terminate = native_terminate,
	.late_init = native_late_init,
};
