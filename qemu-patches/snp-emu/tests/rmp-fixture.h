/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RMP the model's unit tests share (cmocka fixture): 8 MiB of emulated RAM with
 * GPA == SPA, as on the emulated platform, one guest ASID, and a record of the change
 * announcements the model makes (snp_rmp.changed, which drives QEMU's TLB flushes).
 * Header-only: each test-snp-*.c is its own program (module.mk).
 */
#ifndef SNP_EMU_TESTS_RMP_FIXTURE_H
#define SNP_EMU_TESTS_RMP_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sev/rmp-host.h"
#include "snp-rmp.h"

#define RMP_FIXTURE_PAGES (4 * SNP_RMP_PAGES_PER_2M)
#define RMP_FIXTURE_ASID  1u

struct rmp_fixture {
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[RMP_FIXTURE_PAGES];
	unsigned int changes;	     /* change announcements so far */
	uint64_t last_spa, last_len; /* the latest one */
};

static inline void rmp_fixture_on_change(void *opaque, uint64_t spa, uint64_t len)
{
	struct rmp_fixture *f = opaque;

	f->changes++;
	f->last_spa = spa;
	f->last_len = len;
}

static inline int rmp_fixture_setup(void **state)
{
	struct rmp_fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, RMP_FIXTURE_PAGES);
	f->rmp.changed = rmp_fixture_on_change;
	f->rmp.opaque = f;
	*state = f;
	return 0;
}

static inline int rmp_fixture_teardown(void **state)
{
	free(*state);
	return 0;
}

/* RMPUPDATE @spa (4 KiB or 2 MiB) to the guest at GPA == SPA; the change is counted. */
static inline void rmp_fixture_assign(struct rmp_fixture *f, uint64_t spa, bool huge)
{
	struct snp_rmp_update req = {
		.gpa = spa, .asid = RMP_FIXTURE_ASID, .assigned = true, .page_size_2m = huge};

	assert_int_equal(snp_rmp_update(&f->rmp, spa, &req), RMP_HOST_SUCCESS);
}

#endif /* SNP_EMU_TESTS_RMP_FIXTURE_H */
