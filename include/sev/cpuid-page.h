/* SPDX-License-Identifier: MIT */
/*
 * SNP CPUID page: the table of CPUID results the firmware checks at launch
 * (SNP_LAUNCH_UPDATE with PAGE_TYPE_CPUID) and the guest trusts afterwards.
 *
 * Source: AMD SEV-SNP Firmware ABI, pub. 56860, section 8.17.2.6
 * "PAGE_TYPE_CPUID" (CPUID_FUNCTION table and the 64-entry limit).
 * Cross-checked against Linux asm/sev.h (snp_cpuid_fn/snp_cpuid_table) and
 * COCONUT-SVSM cpuarch/src/snp_cpuid.rs.
 */
#ifndef SEV_CPUID_PAGE_H
#define SEV_CPUID_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define SNP_CPUID_COUNT_MAX 64u

struct snp_cpuid_fn {
	uint32_t eax_in;   /* 00h: leaf */
	uint32_t ecx_in;   /* 04h: subleaf */
	uint64_t xcr0_in;  /* 08h: XCR0 the result applies to (leaf 0Dh) */
	uint64_t xss_in;   /* 10h: XSS the result applies to (leaf 0Dh) */
	uint32_t eax;	   /* 18h */
	uint32_t ebx;	   /* 1Ch */
	uint32_t ecx;	   /* 20h */
	uint32_t edx;	   /* 24h */
	uint64_t reserved; /* 28h */
};

_Static_assert(sizeof(struct snp_cpuid_fn) == 0x30, "CPUID function entry size");
_Static_assert(offsetof(struct snp_cpuid_fn, eax_in) == 0x00, "cpuid eax_in");
_Static_assert(offsetof(struct snp_cpuid_fn, ecx_in) == 0x04, "cpuid ecx_in");
_Static_assert(offsetof(struct snp_cpuid_fn, xcr0_in) == 0x08, "cpuid xcr0_in");
_Static_assert(offsetof(struct snp_cpuid_fn, xss_in) == 0x10, "cpuid xss_in");
_Static_assert(offsetof(struct snp_cpuid_fn, eax) == 0x18, "cpuid eax");
_Static_assert(offsetof(struct snp_cpuid_fn, ebx) == 0x1c, "cpuid ebx");
_Static_assert(offsetof(struct snp_cpuid_fn, ecx) == 0x20, "cpuid ecx");
_Static_assert(offsetof(struct snp_cpuid_fn, edx) == 0x24, "cpuid edx");
_Static_assert(offsetof(struct snp_cpuid_fn, reserved) == 0x28, "cpuid reserved");

struct snp_cpuid_table {
	uint32_t count;				     /* 000h: entries used */
	uint32_t reserved_004;			     /* 004h */
	uint64_t reserved_008;			     /* 008h */
	struct snp_cpuid_fn fn[SNP_CPUID_COUNT_MAX]; /* 010h */
};

_Static_assert(sizeof(struct snp_cpuid_table) == 0x10 + 64 * 0x30, "CPUID table size");
_Static_assert(sizeof(struct snp_cpuid_table) <= 4096, "CPUID table fits a page");
_Static_assert(offsetof(struct snp_cpuid_table, count) == 0x000, "cpuid table count");
_Static_assert(offsetof(struct snp_cpuid_table, reserved_004) == 0x004, "cpuid table rsvd 4");
_Static_assert(offsetof(struct snp_cpuid_table, reserved_008) == 0x008, "cpuid table rsvd 8");
_Static_assert(offsetof(struct snp_cpuid_table, fn) == 0x010, "cpuid table fn");

#endif /* SEV_CPUID_PAGE_H */
