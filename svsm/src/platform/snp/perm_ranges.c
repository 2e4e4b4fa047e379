// SPDX-License-Identifier: MIT
/*
 * Which guest memory the lower-VMPL guest gets: every RAM page of the memory map except the
 * excluded ranges (SVSM region and boot pages, VMSAs, ...), cut into pieces one RMPADJUST
 * size each: 2 MiB where the piece is 2 MiB aligned and long enough, else 4 KiB.
 */
#include <sev/rmp-instr.h>
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

#define SZ_2M	 0x200000ull
#define MAX_EXCL 16

static int emit(struct perm_range *out, size_t max, size_t *n, uint64_t a, uint64_t b)
{
	while (a < b) {
		uint64_t next;
		unsigned int size;
		if (IS_ALIGNED(a, SZ_2M) && b - a >= SZ_2M) {
			next = a + ALIGN_DOWN(b - a, SZ_2M);
			size = RMP_PG_SIZE_2M;
		} else {
			next = MIN(b, ALIGN_UP(a + 1, SZ_2M));
			size = RMP_PG_SIZE_4K;
		}
		if (*n == max)
			return -ENOSPC;
		out[(*n)++] = (struct perm_range){a, next - a, size};
		a = next;
	}
	return 0;
}

int perm_ranges(const struct memmap *map, const struct perm_range *excl, size_t nexcl,
		struct perm_range *out, size_t max)
{
	struct perm_range ex[MAX_EXCL] = {{0, 0, 0}};
	if (nexcl > MAX_EXCL)
		return -EINVAL;
	/* Exclusions rounded out to pages and sorted by start (insertion sort, few entries). */
	for (size_t i = 0; i < nexcl; i++) {
		struct perm_range e = {ALIGN_DOWN(excl[i].gpa, 4096ull), 0, 0};
		e.len = ALIGN_UP(excl[i].gpa + excl[i].len, 4096ull) - e.gpa;
		size_t j = i;
		while (j > 0 && ex[j - 1].gpa > e.gpa) {
			ex[j] = ex[j - 1];
			j--;
		}
		ex[j] = e;
	}
	size_t n = 0;
	for (size_t r = 0; r < map->count; r++) {
		if (map->region[r].type != MEM_RAM)
			continue;
		uint64_t a = ALIGN_UP(map->region[r].base, 4096ull);
		uint64_t b = ALIGN_DOWN(map->region[r].base + map->region[r].size, 4096ull);
		for (size_t i = 0; i < nexcl && a < b; i++) {
			uint64_t xs = ex[i].gpa, xe = ex[i].gpa + ex[i].len;
			if (xe <= a || xs >= b)
				continue;
			if (xs > a && emit(out, max, &n, a, xs))
				return -ENOSPC;
			a = MAX(a, xe);
		}
		if (a < b && emit(out, max, &n, a, b))
			return -ENOSPC;
	}
	return (int)n;
}
