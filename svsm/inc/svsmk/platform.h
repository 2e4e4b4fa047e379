/* SPDX-License-Identifier: MIT */
/*
 * The platform interface: everything that differs between a plain VM ("native") and an
 * SEV-SNP guest at VMPL0. Nothing outside src/platform/ knows which one is running.
 */
#ifndef SVSMK_PLATFORM_H
#define SVSMK_PLATFORM_H

#include <stdint.h>
#include <stddef.h>
#include "svsmk/memmap.h"

/* Where a started CPU begins executing (64-bit mode, paging on with this CR3). */
struct cpu_start_state {
	uint64_t cr3;
	uint64_t rip;
	uint64_t rsp;
	uint64_t arg; /* passed in RDI */
};

struct boot_info {
	uint64_t load_pa;	 /* physical base of the SVSM region */
	uint32_t protocol_magic; /* EAX at entry */
	uint32_t params_pa;	 /* boot parameters (multiboot info, IGVM parameter page) */
};

enum vmpl_perm { VMPL_PERM_NONE = 0, VMPL_PERM_READ = 1, VMPL_PERM_WRITE = 2, VMPL_PERM_EXEC = 4 };

struct platform_ops {
	const char *name;
	/* Parse boot parameters: memory map and command line (copied into the SVSM). */
	int (*parse_boot_params)(const struct boot_info *bi, struct memmap *map, char *cmdline,
				 size_t cmdline_size);
	/* Console transport: port I/O natively, GHCB IOIO on SNP. */
	void (*console_init)(void);
	void (*console_putc)(char c);
	/* Accept/validate (or invalidate) guest pages for the SVSM's own use (PVALIDATE on SNP). */
	int (*validate_pages)(uint64_t pa, uint64_t npages, int valid);
	/* Set permissions of a page for a lower VMPL (RMPADJUST on SNP). */
	int (*set_vmpl_perms)(uint64_t pa, unsigned int vmpl, unsigned int perms);
	/* Enumerate CPUs: fills apic_ids, returns the count (BSP included) or -errno. */
	int (*enum_cpus)(uint32_t *apic_ids, size_t max);
	/* Start a CPU in the given 64-bit state (INIT-SIPI-SIPI natively, VMSA on SNP). */
	int (*start_cpu)(uint32_t apic_id, const struct cpu_start_state *st);
	/* Generic hypervisor call (VMMCALL / GHCB MSR protocol); -ENOSYS when none. */
	int64_t (*hypercall)(uint64_t code, uint64_t arg0, uint64_t arg1);
	/* Stop the guest; status 0 = success. */
	void (*terminate)(int status) __attribute__((noreturn));
	/* Called once the SVSM's own page tables are live (may map MMIO). */
	void (*late_init)(void);
	/* Optional: called on every CPU (BSP included) once its per-CPU state is active. */
	void (*cpu_online)(uint32_t idx);
	/* Optional: the boot CPU's APIC ID where CPUID cannot be used that early (SNP: CPUID
	 * is a #VC, deliverable only once the per-CPU IST exists); else CPUID leaf 1. */
	uint32_t (*bsp_apic_id)(void);
	/* Optional: launch the lower-VMPL guest and serve it (SNP); never returns. */
	void (*run_guest)(void) __attribute__((noreturn));
};

extern const struct platform_ops *platform;

/* Select the platform for this boot: SEV-SNP when SEV_STATUS says so, else native. */
void platform_select(const struct boot_info *bi);

#endif /* SVSMK_PLATFORM_H */
