/* SPDX-License-Identifier: MIT */
/*
 * Hostile core-protocol requests and the result each must get. One table drives the host
 * unit test (svsm_core), the native in-SVSM loopback test and the generated table in
 * docs/svsm-protocol.md. Addresses are offsets from the fake guest RAM base unless ABS.
 */
#ifndef SVSM_TEST_PROTOCOL_CASES_H
#define SVSM_TEST_PROTOCOL_CASES_H

#include <stdint.h>

/* Fake guest layout (offsets from the base; the base is 2 MiB aligned). */
#define PC_RAM_SIZE	0x1000000ull /* 16 MiB of fake guest RAM */
#define PC_SVSM_OFF	0xc00000ull  /* fake SVSM-owned region */
#define PC_SVSM_SIZE	0x200000ull
#define PC_CHUNK_2M	0x400000ull /* the one 2 MiB RMP entry */
#define PC_CHUNK_4K	0x600000ull /* a 2 MiB-aligned range of 4 KiB RMP entries */
#define PC_BOOT_VMSA	0x10000ull
#define PC_BOOT_CA	0x11000ull
#define PC_BOOT_VMPL	2u
#define PC_LIST		0x20000ull
#define PC_NEW_VMSA	0x30000ull
#define PC_NEW_CA	0x31000ull
#define PC_SEV_FEATURES 0x1ull
#define PC_OUTSIDE	0x2000000ull /* past the fake RAM */

#define PC_ABS	     0x1u /* rcx/rdx are absolute, not offsets */
#define PC_LIST_HDR  0x2u /* write a list header (+entries) at rcx */
#define PC_VMSA	     0x4u /* write a VMSA at rcx */
#define PC_RAW_ENTRY 0x8u /* entries are raw 64-bit values, not relocated */

struct protocol_case { // NOLINT(clang-analyzer-optin.performance.Padding): test data, order = table columns
	const char *call;
	const char *what;
	uint64_t rax, rcx, rdx, r8;
	unsigned int flags;
	uint16_t entries, next; /* list header */
	uint64_t ent[2];	/* entries: offset-GPA | low bits */
	uint8_t vmsa_vmpl;
	uint64_t vmsa_efer, vmsa_features;
	uint8_t pending; /* SVSM_CALL_PENDING value; 0 means 1 */
	uint32_t expect;
	int16_t expect_next; /* -1: do not check */
};

extern const struct protocol_case protocol_cases[];
extern const unsigned int protocol_case_count;
const char *protocol_result_name(uint32_t r);

#endif /* SVSM_TEST_PROTOCOL_CASES_H */
