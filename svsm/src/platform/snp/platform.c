// SPDX-License-Identifier: MIT
/*
 * The SEV-SNP platform (SVSM at VMPL0): boot parameters from the IGVM parameter pages,
 * console through GHCB IOIO, PVALIDATE with the 2 MiB -> 4 KiB fallback, RMPADJUST, SVSM APs
 * started with the AP Creation NAE, termination through the GHCB MSR protocol.
 */
#include <sev/ghcb-msr.h>
#include <sev/ghcb.h>
#include <sev/sev-status.h>
#include <x86/cr.h>
#include <x86/msr.h>
#include "snp_hw.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/trap.h"
#include "svsmk/guest_access.h"
#include "svsmk/igvm_params.h"
#include "svsmk/kmalloc.h"
#include "svsmk/layout.h"
#include "svsmk/memmap.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/platform.h"
#include "svsmk/string.h"

#define COM1 0x3f8

__noreturn void snp_run_guest(void);

uint64_t snp_sev_status;
uint32_t snp_vp_count;
static uint64_t boot_pages_pa;
static bool console_ready;

/* Early boot: the boot page tables identity-map the low 4 GiB. */
static int early_read(uint64_t pa, void *buf, size_t len)
{
	if (pa + len < pa || pa + len > (1ULL << 32))
		return -EINVAL;
	return copy_bytes_safe(buf, addr_to_ptr(pa), len);
}

static int early_read_cb(void *ctx, uint64_t pa, void *buf, size_t len)
{
	(void)ctx;
	return early_read(pa, buf, len);
}

static int snp_parse_boot_params(const struct boot_info *bi, struct memmap *map, char *cmdline,
				 size_t cmdline_size)
{
	if (bi->protocol_magic != SVSM_BOOT_MAGIC_IGVM || bi->load_pa < SNP_BOOT_PAGES_SIZE ||
	    bi->params_pa != bi->load_pa - SNP_BOOT_PAGES_SIZE)
		return -EINVAL;
	boot_pages_pa = bi->params_pa;
	struct igvm_boot_params p;
	int rc = igvm_params_parse(early_read_cb, NULL, boot_pages_pa, MAX_CPUS, map, &p);
	if (rc)
		return rc;
	snp_vp_count = p.vp_count;
	/* An SVSM placed outside the host's RAM map (so that the guest's firmware does not see
	 * it as RAM, docs/svsm.md "OVMF at VMPL2") is still our launch data: list it as RAM. */
	uint64_t ours = SNP_BOOT_PAGES_SIZE + SVSM_REGION_SIZE;
	if (!memmap_is_ram(map, boot_pages_pa, ours) &&
	    (rc = memmap_add(map, boot_pages_pa, ours, MEM_RAM)) != 0)
		return rc;
	snp_set_cpuid_page(addr_to_ptr(boot_pages_pa + SNP_BOOT_CPUID));
	if (cmdline_size)
		cmdline[0] = '\0'; /* no command-line parameter in our IGVM layout */
	return 0;
}

static void snp_console_init(void)
{
}

/* Output before the boot CPU has its GHCB (the banner, the memory map): kept here and
 * written once the GHCB exists, since IOIO has no MSR-protocol form. */
static char early_buf[4096];
static size_t early_len;

static void com1_out(struct ghcb *g, char c)
{
	ghcb_set(g, offsetof(struct ghcb_save_area, rax), (uint8_t)c);
	(void)ghcb_commit(g, SVM_EXIT_IOIO,
			  SVM_IOIO_A64 | SVM_IOIO_SZ8 | ((uint64_t)COM1 << SVM_IOIO_PORT_SHIFT), 0);
}

static void snp_console_putc(char c)
{
	struct ghcb *g = console_ready ? ghcb_begin() : NULL;
	if (!g) {
		if (early_len < sizeof(early_buf))
			early_buf[early_len++] = c;
		return;
	}
	com1_out(g, c);
}

static int snp_validate_pages(uint64_t pa, uint64_t npages, int valid)
{
	struct pv_ops ops = {NULL, snp_pvalidate_gpa};
	return pvalidate_range(&ops, NULL, pa, npages, valid, NULL);
}

static int snp_set_vmpl_perms(uint64_t pa, unsigned int vmpl, unsigned int perms)
{
	if (vmpl == 0 || vmpl > 3)
		return -EINVAL;
	uint32_t eax = snp_rmpadjust_gpa(NULL, pa, RMP_PG_SIZE_4K,
					 rmpadjust_attrs((uint8_t)vmpl, (uint8_t)perms, 0));
	return eax ? -EIO : 0;
}

/* VP 0 of the IGVM file is the boot CPU, APIC ID 0 (the same assumption as snp_enum_cpus). */
static uint32_t snp_bsp_apic_id(void)
{
	return 0;
}

static int snp_enum_cpus(uint32_t *ids, size_t max)
{
	/* IGVM gives a VP count; APIC IDs 0..n-1 (no MADT parameter in our layout). */
	size_t n = snp_vp_count < max ? snp_vp_count : max;
	for (size_t i = 0; i < n; i++)
		ids[i] = (uint32_t)i;
	return (int)n;
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static int snp_start_cpu(uint32_t apic_id, const struct cpu_start_state *st)
{
	/* A VMSA must not be 2 MiB aligned (an erratum Linux works around the same way):
	 * take two pages and use the second if the first is aligned. */
	char *pages = alloc_pages(1);
	if (!pages)
		return -ENOMEM;
	struct sev_vmsa *v = (struct sev_vmsa *)pages;
	if (IS_ALIGNED(virt_to_phys(v), 0x200000ull))
		v = (struct sev_vmsa *)(pages + 4096);
	struct desc_ptr gdt, idt;
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	/* XCR0 as the BSP has it; XGETBV is #UD unless CR4.OSXSAVE (then XCR0 = x87 only). */
	uint32_t a = 1, d = 0;
	if (read_cr4() & CR4_OSXSAVE)
		__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	struct svsm_ap_ctl ctl = {.cr0 = read_cr0(),
				  .cr4 = read_cr4(),
				  .efer = rdmsr(MSR_EFER),
				  .pat = rdmsr(MSR_PAT),
				  .xcr0 = ((uint64_t)d << 32) | a,
				  .sev_features = sev_status_to_features(snp_sev_status),
				  .gdt_base = gdt.base,
				  .idt_base = idt.base,
				  .gdt_limit = gdt.limit,
				  .idt_limit = idt.limit,
				  .cs = KERNEL_CS,
				  .ds = KERNEL_DS};
	vmsa_build_svsm_ap(v, st, &ctl);
	/* The VMSA bit can only be set from VMPL0, with a target VMPL above ours (1). */
	if (snp_rmpadjust_gpa(NULL, virt_to_phys(v), RMP_PG_SIZE_4K, rmpadjust_attrs(1, 0, 1)))
		return -EIO;
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -EIO;
	ghcb_set(g, offsetof(struct ghcb_save_area, rax), ctl.sev_features);
	return ghcb_commit(g, SVM_VMGEXIT_AP_CREATION,
			   ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, apic_id),
			   virt_to_phys(v));
}

static int64_t snp_hypercall(uint64_t code, uint64_t a0, uint64_t a1)
{
	(void)a0;
	(void)a1;
	return (int64_t)ghcb_msr_exchange(code); /* a raw GHCB MSR protocol request */
}

static __noreturn void snp_platform_terminate(int status)
{
	snp_terminate(SNP_TERM_SET_SVSM, status == 0   ? SNP_TERM_OK
					 : status == 1 ? SNP_TERM_TEST_FAILURES
						       : SNP_TERM_PANIC);
}

static void snp_late_init(void)
{
	/* Validation bitmap over all RAM the memory map describes. */
	uint64_t top = 0;
	for (size_t i = 0; i < boot_memmap.count; i++) {
		uint64_t end = boot_memmap.region[i].base + boot_memmap.region[i].size;
		top = end > top ? end : top;
	}
	uint64_t npages = top >> 12;
	snp_valid_bitmap.bits = kzalloc((size_t)((npages + 63) / 64) * 8);
	if (snp_valid_bitmap.bits) {
		snp_valid_bitmap.npages = npages;
		(void)vbitmap_set(&snp_valid_bitmap, svsm_load_pa, SVSM_REGION_SIZE / 4096, true);
	}
}

static void snp_cpu_online(uint32_t idx)
{
	if (snp_ghcb_cpu_init(idx))
		snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_GHCB);
	if (idx == 0) {
		console_ready = true;
		for (size_t i = 0; i < early_len; i++)
			com1_out(ghcb_begin(), early_buf[i]);
		early_len = 0;
	}
}

const struct platform_ops snp_platform = {
	.name = "sev-snp",
	.parse_boot_params = snp_parse_boot_params,
	.console_init = snp_console_init,
	.console_putc = snp_console_putc,
	.validate_pages = snp_validate_pages,
	.set_vmpl_perms = snp_set_vmpl_perms,
	.enum_cpus = snp_enum_cpus,
	.start_cpu = snp_start_cpu,
	.hypercall = snp_hypercall,
	.terminate = snp_platform_terminate,
	.late_init = snp_late_init,
	.cpu_online = snp_cpu_online,
	.bsp_apic_id = snp_bsp_apic_id,
	.run_guest = snp_run_guest,
};

/* A page of our own image to prove VMPL0 on (RMPADJUST of its VMPL1 permissions). */
static uint8_t vmpl_probe_page[4096] __aligned(4096);

enum snp_env snp_probe(void)
{
	uint64_t status = 0;
	bool msr_ok = rdmsr_safe(MSR_SEV_STATUS, &status) == 0;
	uint32_t eax = RMP_INSTR_FAIL_PERMISSION;
	/* RMPADJUST exists only in SNP guests: probe only when SEV_STATUS says SNP. */
	if (msr_ok && (status & SEV_STATUS_SNP))
		eax = rmpadjust_insn((uint64_t)(uintptr_t)vmpl_probe_page, RMP_PG_SIZE_4K,
				     rmpadjust_attrs(1, 0, 0));
	enum snp_env env = snp_classify(status, msr_ok, eax);
	if (env == SNP_ENV_OK) {
		snp_sev_status = status;
		vc_hook = snp_vc_handler;
	}
	return env;
}
