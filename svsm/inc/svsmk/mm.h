/* SPDX-License-Identifier: MIT */
/* SVSM memory: region bookkeeping, address conversion, the shared kernel page tables. */
#ifndef SVSMK_MM_H
#define SVSMK_MM_H

#include <stdint.h>
#include <stddef.h>
#include "svsmk/compiler.h"
#include "svsmk/layout.h"
#include "svsmk/memmap.h"
#include "svsmk/pgtable.h"

extern uint64_t svsm_load_pa; /* physical base of the SVSM region */
extern struct memmap boot_memmap;

static inline uint64_t virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va - KERNEL_VBASE + svsm_load_pa;
}

static inline void *phys_to_virt(uint64_t pa)
{
	return addr_to_ptr(pa - svsm_load_pa + KERNEL_VBASE);
}

static inline int pa_in_svsm(uint64_t pa, uint64_t size)
{
	return pa + size > pa && pa >= svsm_load_pa && pa + size <= svsm_load_pa + SVSM_REGION_SIZE;
}

/* The kernel's shared PML4 (slot 511 subtree is shared with every CPU). */
extern struct pgtable kernel_pt;
extern const struct pt_ops kernel_pt_ops;

void mm_init(void);
/* Private frame pool (never in the global map): returns PA or 0. */
uint64_t private_frame_alloc(void);
void private_frame_free(uint64_t pa);
uint64_t private_pool_base(void);
/* Virtual address of the local APIC MMIO page. */
extern volatile uint32_t *apic_mmio;
/* Map device memory (uncached) into the global area; returns its VA or NULL. */
volatile uint32_t *mm_map_mmio(uint64_t pa, size_t size);
/* Map pages into the global area (visible to every CPU); returns the VA or NULL. */
void *mm_vmap(uint64_t pa, size_t size, uint64_t flags);
/* Remove a global mapping and flush it from every online CPU's TLB. */
void mm_vunmap(void *va, size_t size);
/* Map/unmap CPU cpu's 2 MiB-aligned window onto [pa, pa + 2 MiB) (this CPU only). */
void *mm_window_2m_map(unsigned int cpu, uint64_t pa);
void mm_window_2m_unmap(void *va);
/* Statistics for the benchmark. */
struct mm_stats {
	uint64_t image_bytes;
	uint64_t region_bytes;
	uint64_t heap_used_bytes;
	uint64_t private_used_bytes;
};
void mm_get_stats(struct mm_stats *s);

#endif /* SVSMK_MM_H */
