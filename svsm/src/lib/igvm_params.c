// SPDX-License-Identifier: MIT
/*
 * IGVM parameter pages -> boot parameters. Layouts: include/igvm/igvm-format.h (IGVM spec,
 * IGVM_VHS_MEMORY_MAP_ENTRY, IgvmEnvironmentInfo; the VP count is a u32).
 */
#include <igvm/igvm-format.h>
#include "svsmk/compiler.h"
#include "svsmk/igvm_params.h"
#include "svsmk/layout.h"

/* Page numbers must keep addresses within the 52-bit physical address space. */
#define MAX_PAGE_NUMBER (1ull << (52 - 12))

int igvm_params_parse(igvm_read_fn rd, void *ctx, uint64_t boot_pages_pa, uint32_t max_vps,
		      struct memmap *map, struct igvm_boot_params *out)
{
	uint32_t area0[2];
	int rc = rd(ctx, boot_pages_pa + SNP_BOOT_PARAM0, area0, sizeof(area0));
	if (rc)
		return rc;
	if (area0[0] == 0 || area0[0] > max_vps)
		return -EINVAL;
	const unsigned int max = 4096 / sizeof(struct igvm_vhs_memory_map_entry);
	size_t first = map->count;
	bool ended = false, ram = false;
	rc = 0;
	for (unsigned int i = 0; i < max && !rc && !ended; i++) {
		struct igvm_vhs_memory_map_entry e;
		rc = rd(ctx, boot_pages_pa + SNP_BOOT_MEMMAP + i * sizeof(e), &e, sizeof(e));
		if (rc)
			break;
		if (e.number_of_pages == 0) {
			ended = true;
		} else if (e.starting_gpa_page_number >= MAX_PAGE_NUMBER ||
			   e.number_of_pages > MAX_PAGE_NUMBER - e.starting_gpa_page_number) {
			rc = -EINVAL;
		} else {
			bool is_ram = e.entry_type == IGVM_MEMORY_MAP_ENTRY_MEMORY;
			rc = memmap_add(map, e.starting_gpa_page_number << 12,
					e.number_of_pages << 12, is_ram ? MEM_RAM : MEM_RESERVED);
			ram |= is_ram;
		}
	}
	if (!rc && (!ended || !ram))
		rc = -EINVAL;
	if (rc) {
		map->count = first; /* bad input changes nothing */
		return rc;
	}
	out->vp_count = area0[0];
	out->env_info = area0[1];
	return 0;
}
