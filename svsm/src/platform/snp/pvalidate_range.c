// SPDX-License-Identifier: MIT
/*
 * PVALIDATE a range: 2 MiB operations where the range is 2 MiB aligned, falling back to 512
 * 4 KiB operations when the RMP entry is 4 KiB (FAIL_SIZEMISMATCH, APM vol. 3 PVALIDATE).
 * "Unchanged" (CF = 1) is accepted: launch-measured pages are already validated.
 */
#include <sev/rmp-instr.h>
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

#define PAGES_2M 512ull

static int one(const struct pv_ops *ops, uint64_t gpa, unsigned int size, int validate,
	       struct pv_stats *st)
{
	int unchanged = 0;
	uint32_t eax = ops->pvalidate(ops->ctx, gpa, size, validate, &unchanged);
	if (eax == RMP_INSTR_SUCCESS) {
		if (size == RMP_PG_SIZE_2M)
			st->ops_2m++;
		else
			st->ops_4k++;
		st->unchanged += (uint64_t)unchanged;
	}
	return (int)eax;
}

int pvalidate_range(const struct pv_ops *ops, struct vbitmap *vb, uint64_t gpa, uint64_t npages,
		    int validate, struct pv_stats *st)
{
	struct pv_stats dummy = {0};
	if (!st)
		st = &dummy;
	if (!IS_ALIGNED(gpa, 4096))
		return -(int)RMP_INSTR_FAIL_INPUT;
	uint64_t end = gpa + npages * 4096;
	while (gpa < end) {
		uint64_t n = 1;
		int eax;
		if (IS_ALIGNED(gpa, PAGES_2M * 4096) && end - gpa >= PAGES_2M * 4096) {
			n = PAGES_2M;
			eax = one(ops, gpa, RMP_PG_SIZE_2M, validate, st);
			if (eax == (int)RMP_INSTR_FAIL_SIZEMISMATCH) {
				st->fallbacks++;
				eax = 0;
				for (uint64_t i = 0; i < PAGES_2M && !eax; i++)
					eax = one(ops, gpa + i * 4096, RMP_PG_SIZE_4K, validate,
						  st);
			}
		} else {
			eax = one(ops, gpa, RMP_PG_SIZE_4K, validate, st);
		}
		if (eax)
			return -eax;
		if (vb)
			(void)vbitmap_set(vb, gpa, n, validate != 0);
		gpa += n * 4096;
	}
	return 0;
}
