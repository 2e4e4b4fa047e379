// SPDX-License-Identifier: MIT
/* Multiboot header relocation (Multiboot spec §3.1.1-3.1.3). */
#include <boot/multiboot1.h>
#include <errno.h>
#include <string.h>
#include "mb1_relocate.h"

int mb1_relocate(uint8_t *image, size_t len, uint32_t new_load)
{
	if (new_load % 0x200000)
		return -EINVAL;
	size_t limit = len < MB1_SEARCH_LIMIT ? len : MB1_SEARCH_LIMIT;
	for (size_t off = 0; off + sizeof(struct mb1_header) <= limit; off += 4) {
		struct mb1_header h;
		memcpy(&h, image + off, sizeof(h));
		if (h.magic != MB1_HEADER_MAGIC || h.magic + h.flags + h.checksum != 0)
			continue;
		if (!(h.flags & MB1_HDR_ADDRESS) || h.header_addr < h.load_addr)
			return -EINVAL;
		uint64_t delta = (uint64_t)new_load - h.load_addr;
		uint32_t *f[] = {&h.header_addr, &h.load_addr, &h.load_end_addr, &h.bss_end_addr,
				 &h.entry_addr};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
			if (*f[i] == 0 && f[i] == &h.load_end_addr)
				continue; /* 0 means "to the end of the file" */
			uint64_t v = (uint64_t)*f[i] + delta;
			if ((v & 0xffffffffULL) != v)
				return -EINVAL;
			*f[i] = (uint32_t)v;
		}
		memcpy(image + off, &h, sizeof(h));
		return 0;
	}
	return -EINVAL;
}
