/* SPDX-License-Identifier: MIT */
/* Physical memory map handed over by the boot protocol (multiboot mmap, later IGVM). */
#ifndef SVSMK_MEMMAP_H
#define SVSMK_MEMMAP_H

#include <stdint.h>
#include <stddef.h>

#define MEMMAP_MAX 32

enum mem_type { MEM_RAM = 1, MEM_RESERVED = 2 };

struct mem_region {
	uint64_t base;
	uint64_t size;
	enum mem_type type;
};

struct memmap {
	size_t count;
	struct mem_region region[MEMMAP_MAX];
};

/* Append a region; returns -ENOSPC when full, -EINVAL for an empty/wrapping range. */
int memmap_add(struct memmap *map, uint64_t base, uint64_t size, enum mem_type type);
/* True when [base, base+size) lies entirely inside one RAM region. */
int memmap_is_ram(const struct memmap *map, uint64_t base, uint64_t size);
/* Total bytes of RAM. */
uint64_t memmap_ram_bytes(const struct memmap *map);

#endif /* SVSMK_MEMMAP_H */
