// SPDX-License-Identifier: MIT
/* One bit per 4 KiB guest page: what the SVSM has validated (PVALIDATE state it caused). */
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

static bool in_range(const struct vbitmap *b, uint64_t gpa, uint64_t npages)
{
	uint64_t first = gpa >> 12;
	return IS_ALIGNED(gpa, 4096) && npages && first < b->npages && npages <= b->npages - first;
}

int vbitmap_set(struct vbitmap *b, uint64_t gpa, uint64_t npages, bool valid)
{
	if (!in_range(b, gpa, npages))
		return -EINVAL;
	for (uint64_t p = gpa >> 12; p < (gpa >> 12) + npages; p++) {
		if (valid)
			b->bits[p / 64] |= 1ull << (p % 64);
		else
			b->bits[p / 64] &= ~(1ull << (p % 64));
	}
	return 0;
}

int vbitmap_state(const struct vbitmap *b, uint64_t gpa, uint64_t npages)
{
	if (!in_range(b, gpa, npages))
		return -1;
	uint64_t set = 0;
	for (uint64_t p = gpa >> 12; p < (gpa >> 12) + npages; p++)
		set += (b->bits[p / 64] >> (p % 64)) & 1;
	return set == npages ? 1 : set == 0 ? 0 : -1;
}
