/* SPDX-License-Identifier: MIT */
/* Parameter area index -> area state, an open-addressing hash table, so that files with
 * very many parameter areas are still validated and measured in linear time. */
#ifndef CIGVM_AREA_MAP_H
#define CIGVM_AREA_MAP_H

#include <stddef.h>
#include <stdint.h>

struct cigvm_area {
	uint32_t index;
	uint64_t size;
	int inserted;
	int used; /* slot occupied */
};

struct cigvm_area_map {
	struct cigvm_area *slots;
	size_t cap; /* power of two, or 0 */
	size_t n;
};

/* NULL when `index` was never added. */
struct cigvm_area *cigvm_area_find(const struct cigvm_area_map *m, uint32_t index);
/* Add a new index (caller checked it is absent); NULL when out of memory. */
struct cigvm_area *cigvm_area_add(struct cigvm_area_map *m, uint32_t index, uint64_t size);
void cigvm_area_map_free(struct cigvm_area_map *m);

#endif
