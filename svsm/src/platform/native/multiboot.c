// SPDX-License-Identifier: MIT
/* Multiboot boot information (Multiboot spec §3.3) -> memory map and command line. */
#include <boot/multiboot1.h>
#include "native.h"
#include "svsmk/compiler.h"

int mb1_parse_info(phys_read_fn rd, void *ctx, uint64_t info_pa, struct memmap *map, char *cmdline,
		   size_t cmdline_size)
{
	struct mb1_info info;
	int rc = rd(ctx, info_pa, &info, sizeof(info));
	if (rc)
		return rc;
	map->count = 0;
	if (!(info.flags & MB1_INFO_MMAP) || info.mmap_length == 0)
		return -EINVAL;
	uint64_t pa = info.mmap_addr;
	uint64_t end = pa + info.mmap_length;
	while (pa + sizeof(uint32_t) <= end) {
		struct mb1_mmap_entry e;
		if ((rc = rd(ctx, pa, &e, sizeof(e))) != 0)
			return rc;
		/* 'size' excludes itself; an entry shorter than the defined fields is corrupt. */
		if (e.size < sizeof(e) - sizeof(e.size) || pa + sizeof(e) > end)
			return -EINVAL;
		if (e.length) {
			rc = memmap_add(map, e.base_addr, e.length,
					e.type == MB1_MMAP_AVAILABLE ? MEM_RAM : MEM_RESERVED);
			if (rc)
				return rc;
		}
		pa += (uint64_t)e.size + sizeof(e.size);
	}
	if (cmdline_size)
		cmdline[0] = '\0';
	if ((info.flags & MB1_INFO_CMDLINE) && cmdline_size) {
		size_t n = 0;
		char c;
		/* QEMU passes "<image path> <args>": skip the first word. */
		uint64_t p = info.cmdline;
		int skipping = 1;
		do {
			if ((rc = rd(ctx, p++, &c, 1)) != 0)
				return rc;
			if (skipping) {
				if (c == ' ')
					skipping = 0;
				continue;
			}
			if (n + 1 < cmdline_size)
				cmdline[n++] = c;
		} while (c && p - info.cmdline < 4096);
		cmdline[n < cmdline_size ? n : cmdline_size - 1] = '\0';
	}
	return 0;
}
