/* SPDX-License-Identifier: MIT */
/*
 * snp-guest paging (30-paging.c): 32-bit PAE paging (AMD APM vol. 2 5.2,
 * 5.3) with an identity map of the low 4 GiB in 2 MiB pages, the C-bit
 * (APM vol. 2 15.34.6) set on every RAM mapping so that guest memory is
 * private, and one region mapped with 4 KiB pages holding the shared (C=0)
 * window the GHCB lives in. Test-guest choices, not ABI.
 */
#ifndef SNP_GUEST_PAGING_H
#define SNP_GUEST_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "lib.h"

/* RAM the identity map marks private: the low 1 GiB (C=0 above: devices). */
#define PAGING_RAM_TOP 0x40000000u

/* The 2 MiB region mapped with 4 KiB pages (free RAM above the kernel). */
#define PAGING_4K_REGION     0x00e00000u
/* Its first page: mapped shared (C=0), for the GHCB. */
#define PAGING_SHARED_WINDOW PAGING_4K_REGION

/*
 * Turn paging on (once; later calls do nothing). The C-bit position comes
 * from @env (0 in plain mode: no C-bit).
 */
void paging_enable(const struct snp_guest_env *env);
bool paging_enabled(void);

/* The C-bit as a page-table entry mask (0 when there is none). */
uint64_t paging_c_bit(void);

/*
 * Map the 4 KiB page at @va (inside PAGING_4K_REGION) to physical @pa with
 * C-bit @private, and invalidate its TLB entry.
 */
void paging_map_4k(uint32_t va, uint32_t pa, bool private);

/* Physical address of the page table of PAGING_4K_REGION. */
uint32_t paging_4k_table(void);

#endif
