/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest RAM for the unit tests of the GHCB handler (snp-ghcb.c): [0, top) is
 * RAM, the rest of the address space is not, and the handler's page accessors
 * (struct snp_ghcb_ops read_page / write_page / is_ram) work on it. A test's
 * fixture holds a struct guest_ram as its FIRST member and passes itself as
 * the handler's opaque pointer. Header-only: each test-snp-*.c is its own
 * program (module.mk).
 */
#ifndef SNP_EMU_TESTS_GUEST_RAM_FIXTURE_H
#define SNP_EMU_TESTS_GUEST_RAM_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "snp-rmp.h"

struct guest_ram {
	uint8_t *mem; /* top bytes */
	uint64_t top;
};

static inline bool guest_ram_read_page(void *opaque, uint64_t gpa, void *buf)
{
	const struct guest_ram *r = opaque;

	if (gpa + SNP_RMP_PAGE_SIZE > r->top) {
		return false;
	}
	memcpy(buf, r->mem + gpa, SNP_RMP_PAGE_SIZE);
	return true;
}

static inline bool guest_ram_write_page(void *opaque, uint64_t gpa, const void *buf)
{
	struct guest_ram *r = opaque;

	if (gpa + SNP_RMP_PAGE_SIZE > r->top) {
		return false;
	}
	memcpy(r->mem + gpa, buf, SNP_RMP_PAGE_SIZE);
	return true;
}

static inline bool guest_ram_is_ram(void *opaque, uint64_t gpa)
{
	const struct guest_ram *r = opaque;

	return gpa < r->top;
}

#endif
