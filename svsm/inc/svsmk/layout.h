/* SPDX-License-Identifier: MIT */
/*
 * Virtual and physical layout of the SVSM (shared by C and assembly).
 *
 * The image is linked at KERNEL_VBASE and runs from any 2 MiB-aligned physical base: the
 * entry code maps the SVSM region [base, base + SVSM_REGION_SIZE) at KERNEL_VBASE, so
 * nothing in the image depends on its physical address.
 */
#ifndef SVSMK_LAYOUT_H
#define SVSMK_LAYOUT_H

/* Global area: PML4 slot 511, shared by every CPU's PML4. */
#define KERNEL_VBASE	 0xffffffff80000000
#define KERNEL_PML4_SLOT 511
/* Per-CPU private area: PML4 slot 510, a different PDPT in each CPU's PML4. */
#define PERCPU_VBASE	 0xffffff0000000000
#define PERCPU_PML4_SLOT 510

/* Memory the SVSM owns, starting at its load address (image, heap, private pool). */
#define SVSM_REGION_SIZE  (8 * 1024 * 1024)
/* The last part of the region is never in the global map: per-CPU private pages. */
#define SVSM_PRIVATE_POOL (1024 * 1024)
#define SVSM_ALIGN	  (2 * 1024 * 1024)

/*
 * SEV-SNP boot pages, placed by `make svsm-igvm` just below the SVSM region (our IGVM layout,
 * docs/svsm.md): secrets page, CPUID page, IGVM parameter area 0 (VP count at 0, environment
 * info at 4) and area 1 (memory map). The SVSM owns them like its region.
 */
#define SNP_BOOT_PAGES_SIZE  0x4000
#define SNP_BOOT_SECRETS     0x0000 /* offsets from load - SNP_BOOT_PAGES_SIZE */
#define SNP_BOOT_CPUID	     0x1000
#define SNP_BOOT_PARAM0	     0x2000
#define SNP_BOOT_MEMMAP	     0x3000
/*
 * Our boot protocol for the IGVM entry (svsm_entry_snp32 -> svsm_entry32's registers):
 * EDI = this value ("IGVM" in little-endian bytes), ESI = the boot pages' base above.
 */
#define SVSM_BOOT_MAGIC_IGVM 0x4d564749
/* The guest BSP's calling area: the guest page just below the boot pages. */
#define SNP_GUEST_CA_BELOW   0x1000
/* Default physical load address written into the multiboot header. */
#define SVSM_DEFAULT_LOAD_PA 0x1000000

#define BOOT_STACK_SIZE 16384
#define MAX_CPUS	16

/* Physical page where the native AP trampoline runs (SIPI vector = PA >> 12). */
#define NATIVE_TRAMPOLINE_PA 0x8000

/* Per-CPU area layout in 4 KiB pages from PERCPU_VBASE (unlisted pages are guards). */
#define PCPU_PG_LOCAL	    1 /* struct cpu_local, 2 pages */
#define PCPU_LOCAL_PAGES    2
#define PCPU_PG_STACK	    4 /* kernel stack, 4 pages */
#define PCPU_STACK_PAGES    4
#define PCPU_PG_IST_DF	    9  /* IST1 */
#define PCPU_PG_IST_NMI	    12 /* IST2 */
#define PCPU_PG_IST_MC	    15 /* IST3 */
#define PCPU_PG_IST_VC	    18 /* IST4, reserved for SNP #VC */
#define PCPU_IST_PAGES	    2
#define PCPU_PG_SCRATCH	    21 /* private scratch page (tests) */
#define PCPU_PG_WINDOW	    24 /* temporary mapping windows */
#define PCPU_NR_WINDOWS	    8
#define PCPU_NR_PAGES	    32
#define PCPU_PRIVATE_FRAMES (PCPU_LOCAL_PAGES + PCPU_STACK_PAGES + 4 * PCPU_IST_PAGES + 1)

#define PCPU_VA(pg) (PERCPU_VBASE + (pg)*4096)

#define IST_DF	1
#define IST_NMI 2
#define IST_MC	3
#define IST_VC	4

/* Code segment selectors of the kernel GDT (svsmk/arch/gdt.h). */
#define KERNEL_CS  0x08
#define KERNEL_DS  0x10
#define KERNEL_TSS 0x18

#endif /* SVSMK_LAYOUT_H */
