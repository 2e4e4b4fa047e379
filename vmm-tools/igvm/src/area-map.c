/* SPDX-License-Identifier: MIT */
/* Parameter area table (see area-map.h): linear probing, grown at half load. */
#include <stdlib.h>

#include "area-map.h"

static size_t slot_of(uint32_t index, size_t cap)
{
	/* Fibonacci hashing spreads consecutive indices. */
	return (size_t)((index * 2654435761u) & (cap - 1));
}

struct cigvm_area *cigvm_area_find(const struct cigvm_area_map *m, uint32_t index)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot_of(index, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].used)
			return NULL;
		if (m->slots[i].index == index)
			return &m->slots[i];
	}
}

static int grow(struct cigvm_area_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 16;
	struct cigvm_area *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].used)
			continue;
		for (size_t j = slot_of(m->slots[i].index, cap);; j = (j + 1) & (cap - 1)) {
			if (!slots[j].used) {
				slots[j] = m->slots[i];
				break;
			}
		}
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

struct cigvm_area *cigvm_area_add(struct cigvm_area_map *m, uint32_t index, uint64_t size)
{
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	for (size_t i = slot_of(index, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].used) {
			m->slots[i].used = 1;
			m->slots[i].index = index;
			m->slots[i].size = size;
			m->slots[i].inserted = 0;
			m->n++;
			return &m->slots[i];
		}
	}
}

void cigvm_area_map_free(struct cigvm_area_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
