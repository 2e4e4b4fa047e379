/* SPDX-License-Identifier: MIT */
/*
 * The IGVM parameter pages our IGVM file declares (`make svsm-igvm`, docs/svsm.md "IGVM
 * layout"): area 0 holds the VP count (offset 0) and the environment info (offset 4), area 1
 * the memory map. The loader (QEMU's IGVM loader on a plain VM or on SEV-SNP) fills them in.
 */
#ifndef SVSMK_IGVM_PARAMS_H
#define SVSMK_IGVM_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include "svsmk/memmap.h"

/* Reads guest-physical memory; returns 0 or -errno. */
typedef int (*igvm_read_fn)(void *ctx, uint64_t pa, void *buf, size_t len);

struct igvm_boot_params {
	uint32_t vp_count; /* 1..max_vps */
	uint32_t env_info; /* IGVM_ENVIRONMENT_INFO_* */
};

/*
 * Parse the parameter pages at boot_pages_pa (the base of SNP_BOOT_*): the memory map is
 * appended to map (it must end with an entry of 0 pages within its page, name at least one
 * RAM range, and stay below 2^52). Returns 0 or -EINVAL / -ENOSPC / the reader's error.
 */
int igvm_params_parse(igvm_read_fn rd, void *ctx, uint64_t boot_pages_pa, uint32_t max_vps,
		      struct memmap *map, struct igvm_boot_params *out);

#endif /* SVSMK_IGVM_PARAMS_H */
