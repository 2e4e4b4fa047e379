/* SPDX-License-Identifier: MIT */
/*
 * SNP Page State Change (PSC) request placed in the GHCB shared buffer for
 * the SVM_VMGEXIT_PSC NAE (0x8000_0010).
 *
 * Source: AMD "SEV-ES Guest-Hypervisor Communication Block Standardization",
 * pub. 56421 (rev. 2.0x), section 4.1.6 "SNP Page State Change" (Table 8
 * "Page State Change Header" / "Page State Change Entry").
 * Cross-checked against Linux sev-common.h (psc_hdr, psc_entry), EDK2
 * Register/Amd/Ghcb.h and COCONUT-SVSM sev/ghcb.rs.
 *
 * Entry bit layout (64-bit little-endian):
 *   [11:0]  CUR_PAGE   progress within a 2 MiB entry, in 4 KiB pages
 *   [51:12] GFN
 *   [55:52] OPERATION  SNP_PSC_OP_*
 *   [56]    PAGE_SIZE  0 = 4 KiB, 1 = 2 MiB
 *   [63:57] reserved
 */
#ifndef SEV_PSC_H
#define SEV_PSC_H

#include <stddef.h>
#include <stdint.h>

#define SNP_PSC_OP_PRIVATE 1u
#define SNP_PSC_OP_SHARED  2u
#define SNP_PSC_OP_PSMASH  3u
#define SNP_PSC_OP_UNSMASH 4u

#define SNP_PSC_PAGE_4K 0u
#define SNP_PSC_PAGE_2M 1u

#define SNP_PSC_CUR_PAGE_MASK 0xfffull
#define SNP_PSC_GFN_SHIFT     12
#define SNP_PSC_GFN_MASK      0xffffffffffull /* 40 bits */
#define SNP_PSC_OP_SHIFT      52
#define SNP_PSC_OP_MASK	      0xfull
#define SNP_PSC_SIZE_SHIFT    56
#define SNP_PSC_RESERVED_MASK (0x7full << 57)

/* 8-byte header + 253 entries fill the 2032-byte shared buffer exactly. */
#define SNP_PSC_MAX_ENTRIES 253u

struct snp_psc_hdr {
	uint16_t cur_entry; /* 0h: first entry still to process */
	uint16_t end_entry; /* 2h: index of the last entry (inclusive) */
	uint32_t reserved;  /* 4h */
};

struct snp_psc_desc {
	struct snp_psc_hdr hdr;		       /* 000h */
	uint64_t entries[SNP_PSC_MAX_ENTRIES]; /* 008h */
};

_Static_assert(sizeof(struct snp_psc_hdr) == 8, "PSC header size");
_Static_assert(offsetof(struct snp_psc_hdr, cur_entry) == 0, "psc cur_entry");
_Static_assert(offsetof(struct snp_psc_hdr, end_entry) == 2, "psc end_entry");
_Static_assert(offsetof(struct snp_psc_hdr, reserved) == 4, "psc reserved");
_Static_assert(sizeof(struct snp_psc_desc) == 2032, "PSC fills the GHCB shared buffer");
_Static_assert(offsetof(struct snp_psc_desc, hdr) == 0, "psc hdr");
_Static_assert(offsetof(struct snp_psc_desc, entries) == 8, "psc entries");

static inline uint64_t snp_psc_entry(uint64_t gfn, unsigned int op, unsigned int page_size,
				     unsigned int cur_page)
{
	return ((uint64_t)cur_page & SNP_PSC_CUR_PAGE_MASK) |
	       ((gfn & SNP_PSC_GFN_MASK) << SNP_PSC_GFN_SHIFT) |
	       (((uint64_t)op & SNP_PSC_OP_MASK) << SNP_PSC_OP_SHIFT) |
	       (((uint64_t)page_size & 1u) << SNP_PSC_SIZE_SHIFT);
}

static inline unsigned int snp_psc_entry_cur_page(uint64_t e)
{
	return (unsigned int)(e & SNP_PSC_CUR_PAGE_MASK);
}

static inline uint64_t snp_psc_entry_gfn(uint64_t e)
{
	return (e >> SNP_PSC_GFN_SHIFT) & SNP_PSC_GFN_MASK;
}

static inline unsigned int snp_psc_entry_op(uint64_t e)
{
	return (unsigned int)((e >> SNP_PSC_OP_SHIFT) & SNP_PSC_OP_MASK);
}

static inline unsigned int snp_psc_entry_page_size(uint64_t e)
{
	return (unsigned int)((e >> SNP_PSC_SIZE_SHIFT) & 1u);
}

static inline int snp_psc_entry_reserved_clear(uint64_t e)
{
	return (e & SNP_PSC_RESERVED_MASK) == 0;
}

/*
 * Errors the hypervisor returns in SW_EXITINFO2 for the PSC NAE (GHCB spec
 * 4.1.6): [63:32] = 1 for a bad header / entry, 0x100 for a generic failure.
 */
#define SNP_PSC_ERROR_INVALID_HDR   ((1ull << 32) | 1u)
#define SNP_PSC_ERROR_INVALID_ENTRY ((1ull << 32) | 2u)
#define SNP_PSC_ERROR_GENERIC	    (0x100ull << 32)

#endif /* SEV_PSC_H */
