// SPDX-License-Identifier: MIT
/* 4-level page-table builder (APM vol 2 §5.3: PML4 -> PDPT -> PD -> PT, 2M leaves in PD). */
#include "svsmk/pgtable.h"
#include "svsmk/compiler.h"

#define TABLE_FLAGS (PTE_P | PTE_RW)

static unsigned int pt_index(uint64_t va, int level)
{
	return (unsigned int)((va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1));
}

/* Entry for va at 'level' (4 = PML4 ... 1 = PT), walking/allocating from the root. */
static uint64_t *walk(const struct pgtable *pt, uint64_t va, int level, int alloc)
{
	uint64_t table = pt->root_pa;
	for (int l = 4; l > level; l--) {
		uint64_t *e = &pt->ops->table_va(pt->ops->ctx, table)[pt_index(va, l)];
		if (!(*e & PTE_P)) {
			if (!alloc)
				return NULL;
			uint64_t pa = pt->ops->alloc_table(pt->ops->ctx);
			if (!pa)
				return NULL;
			*e = pa | TABLE_FLAGS | pt->enc_mask;
		} else if (*e & PTE_PS) {
			return NULL; /* a large page is in the way */
		}
		table = *e & PTE_ADDR_MASK & ~pt->enc_mask;
	}
	return &pt->ops->table_va(pt->ops->ctx, table)[pt_index(va, level)];
}

uint64_t *pt_leaf_entry(struct pgtable *pt, uint64_t va, int alloc)
{
	return walk(pt, va, 1, alloc);
}

int pt_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t page_size,
	   uint64_t flags)
{
	if (page_size != PAGE_SIZE && page_size != LARGE_PAGE_SIZE)
		return -EINVAL;
	if (!IS_ALIGNED(va, page_size) || !IS_ALIGNED(pa, page_size) ||
	    !IS_ALIGNED(size, page_size) || size == 0 || !pt_canonical(va) ||
	    !pt_canonical(va + size - 1) || (pa & ~PTE_ADDR_MASK) ||
	    (flags & PTE_ADDR_MASK & ~PTE_NX))
		return -EINVAL;
	int level = page_size == PAGE_SIZE ? 1 : 2;
	uint64_t leaf = flags | PTE_P | (level == 2 ? PTE_PS : 0) |
			(flags & PT_FLAG_SHARED ? 0 : pt->enc_mask);
	for (uint64_t off = 0; off < size; off += page_size) {
		uint64_t *e = walk(pt, va + off, level, 1);
		if (!e)
			return -ENOMEM;
		if (*e & PTE_P)
			return -EEXIST;
		*e = (pa + off) | leaf;
	}
	return 0;
}

int pt_map_range(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	uint64_t off = 0;
	while (off < size) {
		uint64_t step = PAGE_SIZE;
		if (IS_ALIGNED(va + off, LARGE_PAGE_SIZE) &&
		    IS_ALIGNED(pa + off, LARGE_PAGE_SIZE) && size - off >= LARGE_PAGE_SIZE)
			step = LARGE_PAGE_SIZE;
		int rc = pt_map(pt, va + off, pa + off, step, step, flags);
		if (rc)
			return rc;
		off += step;
	}
	return 0;
}

int pt_lookup(const struct pgtable *pt, uint64_t va, uint64_t *pa, uint64_t *flags,
	      uint64_t *page_size)
{
	if (!pt_canonical(va))
		return -EINVAL;
	uint64_t table = pt->root_pa;
	for (int l = 4; l >= 1; l--) {
		uint64_t e = pt->ops->table_va(pt->ops->ctx, table)[pt_index(va, l)];
		if (!(e & PTE_P))
			return -ENOENT;
		if (l == 1 || (l == 2 && (e & PTE_PS))) {
			uint64_t size = l == 1 ? PAGE_SIZE : LARGE_PAGE_SIZE;
			uint64_t mask = l == 1 ? PTE_ADDR_MASK : PTE_ADDR_MASK_2M;
			if (pa)
				*pa = (e & mask & ~pt->enc_mask) + (va & (size - 1));
			if (flags)
				*flags = e & (~mask | pt->enc_mask);
			if (page_size)
				*page_size = size;
			return 0;
		}
		if (e & PTE_PS)
			return -EINVAL; /* 1G pages are never created here */
		table = e & PTE_ADDR_MASK & ~pt->enc_mask;
	}
	return -ENOENT;
}

int pt_unmap(struct pgtable *pt, uint64_t va)
{
	uint64_t size;
	if (pt_lookup(pt, va, NULL, NULL, &size))
		return -ENOENT;
	uint64_t *e = walk(pt, va, size == PAGE_SIZE ? 1 : 2, 0);
	if (!e)
		return -ENOENT;
	*e = 0;
	return 0;
}

void pt_share_slot(struct pgtable *dst, const struct pgtable *src, unsigned int slot)
{
	uint64_t *d = dst->ops->table_va(dst->ops->ctx, dst->root_pa);
	const uint64_t *s = src->ops->table_va(src->ops->ctx, src->root_pa);
	d[slot] = s[slot];
}
