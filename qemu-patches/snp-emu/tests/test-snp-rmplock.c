/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the RMP lock protocol of the pure-C model (snp-rmp.h
 * lock/unlock callbacks, snp_rmp_read(), and their use by the GHCB page
 * state changes in snp-ghcb.c; docs/snp-emulation.md "Concurrency"). The
 * lock callbacks here count; the change callback checks that every RMP
 * change happens with the lock held, and every entry point must return
 * with it released. Page state change semantics: GHCB spec (pub. 56421)
 * 4.1.6 and 2.3.1; PSMASH: APM vol. 2 15.36.11.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/psc.h"
#include "guest-ram-fixture.h"
#include "snp-ghcb.h"
#include "snp-rmp.h"

#define ASID	 1u
#define PG	 SNP_RMP_PAGE_SIZE
#define MB2	 SNP_RMP_2M_SIZE
#define NPAGES	 (4 * SNP_RMP_PAGES_PER_2M) /* RMP over 8 MiB */
#define RAM_TOP	 (3 * MB2)		    /* the last 2 MiB is not RAM */
#define GHCB_GPA (2 * PG)
#define SCRATCH	 (GHCB_GPA + offsetof(struct ghcb, shared_buffer))
#define OFF(f)	 offsetof(struct ghcb_save_area, f)

struct fixture {
	struct guest_ram ram; /* first: the GHCB ops' opaque is the fixture */
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
	struct snp_ghcb_ops ops;
	struct snp_ghcb_hv hv;
	struct snp_ghcb_vcpu vcpu;
	int depth;		       /* lock holds now (0 or 1) */
	unsigned int locks;	       /* lock() calls */
	unsigned int unlocks;	       /* unlock() calls */
	unsigned int changes;	       /* changed() calls */
	unsigned int unlocked_changes; /* changed() without the lock */
	unsigned int nested;	       /* lock() while held */
};

static void lock_cb(void *opaque)
{
	struct fixture *f = opaque;

	if (f->depth) {
		f->nested++;
	}
	f->depth++;
	f->locks++;
}

static void unlock_cb(void *opaque)
{
	struct fixture *f = opaque;

	f->depth--;
	f->unlocks++;
}

static void changed_cb(void *opaque, uint64_t spa, uint64_t len)
{
	struct fixture *f = opaque;

	(void)spa;
	(void)len;
	f->changes++;
	if (f->depth != 1) {
		f->unlocked_changes++;
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	f->ram.mem = calloc(1, RAM_TOP);
	f->ram.top = RAM_TOP;
	if (!f->ram.mem) {
		free(f);
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, NPAGES);
	f->rmp.changed = changed_cb;
	f->rmp.opaque = f;
	f->rmp.lock = lock_cb;
	f->rmp.unlock = unlock_cb;
	f->rmp.lock_opaque = f;
	f->ops = (struct snp_ghcb_ops){
		.read_page = guest_ram_read_page,
		.write_page = guest_ram_write_page,
		.is_ram = guest_ram_is_ram,
	};
	f->hv = (struct snp_ghcb_hv){.rmp = &f->rmp, .ops = &f->ops, .asid = ASID, .cbitpos = 47};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->ram.mem);
	free(f);
	return 0;
}

/* Every entry point returns with the lock released, and never nests it. */
static void assert_balanced(const struct fixture *f)
{
	assert_int_equal(f->depth, 0);
	assert_int_equal(f->locks, f->unlocks);
	assert_int_equal(f->nested, 0);
	assert_int_equal(f->unlocked_changes, 0);
}

static struct ghcb *ghcb_of(struct fixture *f)
{
	return (struct ghcb *)(void *)(f->ram.mem + GHCB_GPA);
}

static void put(struct ghcb *g, size_t off, uint64_t v)
{
	memcpy((uint8_t *)&g->save + off, &v, sizeof(v));
	ghcb_mark_valid(g, off);
}

static uint64_t msr_call(struct fixture *f, uint64_t msr)
{
	struct snp_ghcb_result r = snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);

	assert_int_equal(r.exit, SNP_GHCB_RESUME);
	return msr;
}

static void register_ghcb(struct fixture *f)
{
	uint64_t msr = msr_call(f, ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, GHCB_GPA / PG));

	assert_int_equal(msr, ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, GHCB_GPA / PG));
	memset(ghcb_of(f), 0, PG);
}

/* The PSC NAE on entries [0, @n) of the shared buffer; SW_EXITINFO2. */
static uint64_t psc(struct fixture *f, const uint64_t *e, uint16_t n)
{
	struct ghcb *g = ghcb_of(f);
	struct snp_psc_desc *d = (struct snp_psc_desc *)(void *)g->shared_buffer;
	uint64_t msr = GHCB_GPA;
	struct snp_ghcb_result r;

	memset(&d->hdr, 0, sizeof(d->hdr));
	d->hdr.end_entry = (uint16_t)(n - 1);
	memcpy(d->entries, e, n * sizeof(*e));
	put(g, OFF(sw_scratch), SCRATCH);
	put(g, OFF(sw_exit_code), SVM_VMGEXIT_PSC);
	put(g, OFF(sw_exit_info_1), 0);
	put(g, OFF(sw_exit_info_2), 0);
	r = snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);
	assert_int_equal(r.exit, SNP_GHCB_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	return g->save.sw_exit_info_2;
}

/* Without callbacks (one thread) the lock is a no-op; init clears them. */
static void test_no_lock_callbacks(void **state)
{
	struct snp_rmp_entry entries[SNP_RMP_PAGES_PER_2M];
	struct snp_rmp rmp;
	struct snp_rmp_entry copy;

	(void)state;
	memset(&rmp, 0xa5, sizeof(rmp));
	memset(entries, 0, sizeof(entries));
	snp_rmp_init(&rmp, entries, SNP_RMP_PAGES_PER_2M);
	assert_null(rmp.lock);
	assert_null(rmp.unlock);
	assert_null(rmp.lock_opaque);
	snp_rmp_lock(&rmp);
	snp_rmp_unlock(&rmp);
	entries[3].assigned = true;
	entries[3].gpa = 3 * PG;
	assert_true(snp_rmp_read(&rmp, 3 * PG + 8, &copy));
	assert_true(copy.assigned);
	assert_int_equal(copy.gpa, 3 * PG);
	/* 15.36.10: a page beyond the RMP has no entry. */
	assert_false(snp_rmp_read(&rmp, SNP_RMP_2M_SIZE, &copy));
}

/*
 * snp_rmp_read() copies the governing entry (the 2 MiB one for a page
 * inside a 2 MiB RMP page) in one lock hold.
 */
static void test_read_copies_under_lock(void **state)
{
	struct fixture *f = *state;
	struct snp_rmp_update u = {
		.gpa = MB2, .asid = ASID, .assigned = true, .page_size_2m = true};
	struct snp_rmp_entry copy;

	f->rmp.lock(f); /* RMPUPDATE by the emulated hypervisor, under the lock */
	assert_int_equal(snp_rmp_update(&f->rmp, MB2, &u), 0);
	f->rmp.unlock(f);
	f->locks = f->unlocks = 0;
	assert_true(snp_rmp_read(&f->rmp, MB2 + 5 * PG, &copy));
	assert_int_equal(f->locks, 1);
	assert_balanced(f);
	assert_true(copy.assigned && copy.page_size_2m);
	assert_int_equal(copy.gpa, MB2);
	assert_int_equal(copy.asid, ASID);
	assert_false(snp_rmp_read(&f->rmp, (uint64_t)NPAGES * PG, &copy));
	assert_balanced(f);
}

/* MSR protocol PSC (2.3.1, 014h): each request changes the RMP under the lock. */
static void test_msr_psc_locked(void **state)
{
	struct fixture *f = *state;
	uint64_t msr;

	msr = msr_call(f, ghcb_msr_psc_req(5, GHCB_MSR_PSC_OP_PRIVATE));
	assert_int_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_true(snp_rmp_lookup(&f->rmp, 5 * PG)->assigned);
	msr = msr_call(f, ghcb_msr_psc_req(5, GHCB_MSR_PSC_OP_SHARED));
	assert_int_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_false(snp_rmp_lookup(&f->rmp, 5 * PG)->assigned);
	assert_int_equal(f->changes, 2);
	assert_true(f->locks >= 2);
	assert_balanced(f);
	/* Not RAM: refused before the RMP is touched, nothing left locked. */
	msr = msr_call(f, ghcb_msr_psc_req(RAM_TOP / PG, GHCB_MSR_PSC_OP_PRIVATE));
	assert_int_not_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_int_equal(f->changes, 2);
	assert_balanced(f);
}

/*
 * The PSC NAE (4.1.6) with private 2M, PSMASH, shared 4K and UNSMASH
 * entries: every change under the lock, one hold per PSC entry, so no
 * other vCPU sees a 2 MiB region half smashed (15.36.11).
 */
static void test_page_psc_locked(void **state)
{
	struct fixture *f = *state;
	uint64_t e[4] = {
		snp_psc_entry(MB2 / PG, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0),
		snp_psc_entry(MB2 / PG, SNP_PSC_OP_PSMASH, SNP_PSC_PAGE_2M, 0),
		snp_psc_entry(MB2 / PG + 7, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0),
		snp_psc_entry(MB2 / PG + 7, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0),
	};
	unsigned int locks;

	register_ghcb(f);
	f->locks = f->unlocks = f->changes = 0;
	assert_int_equal(psc(f, e, 4), 0);
	/* One read of the GHCB page's entry (shared?), then one per PSC entry. */
	assert_int_equal(f->locks, 1 + 4);
	assert_true(f->changes >= 4);
	assert_balanced(f);
	assert_false(snp_rmp_lookup(&f->rmp, MB2)->page_size_2m);
	assert_true(snp_rmp_lookup(&f->rmp, MB2 + 7 * PG)->assigned);

	/* UNSMASH: 512 4 KiB pages back into one 2 MiB page, in one hold. */
	e[0] = snp_psc_entry(MB2 / PG, SNP_PSC_OP_UNSMASH, SNP_PSC_PAGE_2M, 0);
	locks = f->locks;
	assert_int_equal(psc(f, e, 1), 0);
	assert_int_equal(f->locks - locks, 1 + 1);
	assert_true(snp_rmp_lookup(&f->rmp, MB2 + 9 * PG)->page_size_2m);
	assert_balanced(f);
}

/* A PSC entry that fails part way (not RAM; 4.1.6) returns unlocked. */
static void test_page_psc_failure_unlocked(void **state)
{
	struct fixture *f = *state;
	uint64_t e[2] = {
		snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0),
		/* A 2M shared request for this guest's region that is not 2M. */
		snp_psc_entry(MB2 / PG, SNP_PSC_OP_PSMASH, SNP_PSC_PAGE_2M, 0),
	};
	struct snp_rmp_update u = {
		.gpa = MB2, .asid = ASID + 1, .assigned = true, .page_size_2m = true};

	/* Another guest's 2 MiB page: PSMASH of it is refused (ownership). */
	f->rmp.lock(f);
	assert_int_equal(snp_rmp_update(&f->rmp, MB2, &u), 0);
	f->rmp.unlock(f);
	register_ghcb(f);
	assert_int_equal(psc(f, e, 2), SNP_PSC_ERROR_GENERIC);
	assert_true(snp_rmp_lookup(&f->rmp, 8 * PG)->assigned);
	assert_true(snp_rmp_lookup(&f->rmp, MB2)->page_size_2m);
	assert_balanced(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_lock_callbacks),
		cmocka_unit_test_setup_teardown(test_read_copies_under_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msr_psc_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_psc_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_psc_failure_unlocked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
