// SPDX-License-Identifier: MIT
#include "svsmk/memmap.h"
#include "svsmk/compiler.h"

int memmap_add(struct memmap *map, uint64_t base, uint64_t size, enum mem_type type)
{
	if (size == 0 || base + size < base)
		return -EINVAL;
	if (map->count >= MEMMAP_MAX)
		return -ENOSPC;
	map->region[map->count].base = base;
	map->region[map->count].size = size;
	map->region[map->count].type = type;
	map->count++;
	return 0;
}

int memmap_is_ram(const struct memmap *map, uint64_t base, uint64_t size)
{
	if (size == 0 || base + size < base)
		return 0;
	for (size_t i = 0; i < map->count; i++) {
		const struct mem_region *r = &map->region[i];
		if (r->type == MEM_RAM && base >= r->base && base + size <= r->base + r->size)
			return 1;
	}
	return 0;
}

uint64_t memmap_ram_bytes(const struct memmap *map)
{
	uint64_t total = 0;
	for (size_t i = 0; i < map->count; i++) {
		if (map->region[i].type == MEM_RAM)
			total += map->region[i].size;
	}
	return total;
}
