/* SPDX-License-Identifier: MIT */
/*
 * 4-level page-table builder (4 KiB and 2 MiB mappings). Pure code: table memory is reached
 * through callbacks so the same code runs in the SVSM and in host unit tests.
 */
#ifndef SVSMK_PGTABLE_H
#define SVSMK_PGTABLE_H

#include <stdint.h>
#include <stddef.h>
#include <x86/paging.h>

struct pt_ops {
	/* Allocate a zeroed table page; returns its physical address or 0. */
	uint64_t (*alloc_table)(void *ctx);
	/* Access a table page by physical address. */
	uint64_t *(*table_va)(void *ctx, uint64_t pa);
	void *ctx;
};

struct pgtable {
	uint64_t root_pa; /* PML4 */
	const struct pt_ops *ops;
	/* SEV memory-encryption bit (C-bit) set in every table entry and every leaf not mapped
	 * PT_FLAG_SHARED; 0 outside SEV. Stripped again from addresses read back. */
	uint64_t enc_mask;
};

/* Software flag (PTE bit 9, one of the AVL bits the CPU ignores, APM vol. 2 5.4.1): map
 * without the C-bit, i.e. memory shared with the hypervisor (GHCB, MMIO). */
#define PT_FLAG_SHARED X86_ULL(0x200)

/* Map [va, va+size) to [pa, pa+size) with page size 4K or 2M; flags: PTE_* (P implied). */
int pt_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t page_size,
	   uint64_t flags);
/* Map using 2M pages where both addresses are 2M-aligned, 4K pages elsewhere. */
int pt_map_range(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
/* Unmap one page (4K, or 2M if it is a 2M mapping); -ENOENT if not mapped. */
int pt_unmap(struct pgtable *pt, uint64_t va);
/* Translate va; page_size receives 4K or 2M. Returns -ENOENT if not mapped. */
int pt_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *flags,
	      uint64_t *page_size);
/* Physical address of the leaf entry slot for a 4K va, allocating tables; 0 on failure. */
uint64_t *pt_leaf_entry(struct pgtable *pt, uint64_t va, int alloc);
/* Link PML4 slot 'slot' of dst to the same next-level table as src's (shared subtrees). */
void pt_share_slot(struct pgtable *dst, const struct pgtable *src, unsigned int slot);
static inline int pt_canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

#endif /* SVSMK_PGTABLE_H */
