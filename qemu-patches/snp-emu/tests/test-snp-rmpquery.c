/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of RMPQUERY on the emulated RMP (snp_rmpquery() in snp-instr.c,
 * extracted from our QEMU patches). Register interface from
 * include/sev/rmp-instr.h (APM vol. 3 "RMPQUERY"; the Microsoft __rmpquery
 * reference; OpenVMM): rDX[7:0] = target VMPL in, rDX = permissions of that
 * VMPL [15:8] and VMSA [16] out, rCX = RMP page size out. Return codes:
 * SUCCESS, FAIL_INPUT, FAIL_PERMISSION (immutable entry). Rules the sources
 * do not settle are docs/snp-emulation.md "Interpretations".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "sev/rmp-host.h"
#include "sev/rmp-instr.h"
#include "snp-instr.h"
#include "snp-rmp.h"

#include "rmp-fixture.h"

#define NPAGES RMP_FIXTURE_PAGES
#define ASID   RMP_FIXTURE_ASID
#define PG     SNP_RMP_PAGE_SIZE
#define MB2    SNP_RMP_2M_SIZE

static const struct snp_guest_ctx vmpl0 = {.asid = ASID, .vmpl = 0};
static const struct snp_guest_ctx vmpl2 = {.asid = ASID, .vmpl = 2};

static struct snp_instr_page at(uint64_t gpa)
{
	/* rCX is not an input: a set size_2m must not matter. */
	struct snp_instr_page p = {
		.gva = gpa + 0x7000000000ull, .gpa = gpa, .spa = gpa, .size_2m = true};

	return p;
}

static struct snp_instr_result query(struct rmp_fixture *f, const struct snp_guest_ctx *ctx,
				     uint64_t gpa, unsigned int target, struct snp_rmpquery_out *o)
{
	struct snp_instr_page p = at(gpa);

	o->rdx = 0x5a5a;
	o->rcx = 0x5a5a;
	return snp_rmpquery(&f->rmp, ctx, &p, target, o);
}

/* A 4 KiB page: each VMPL's mask in rDX[15:8], the target echoed, rCX 4K. */
static void test_permissions_4k(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = at(5 * PG);
	struct snp_rmpquery_out o;
	struct snp_instr_result r;

	p.size_2m = false;
	rmp_fixture_assign(f, 5 * PG, false);
	r = snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(2, RMP_PERM_READ, 0));
	assert_int_equal(r.eax, RMP_INSTR_SUCCESS);
	f->changes = 0;

	/* RMPUPDATE gives VMPL0 every permission (APM vol. 2 15.36.7). */
	r = query(f, &vmpl0, 5 * PG, 0, &o);
	assert_int_equal(r.outcome, SNP_INSTR_DONE);
	assert_int_equal(r.eax, RMP_INSTR_SUCCESS);
	assert_false(r.cf);
	assert_int_equal(o.rdx, 0x0f00);
	assert_int_equal(o.rcx, RMP_PG_SIZE_4K);
	r = query(f, &vmpl0, 5 * PG + 0x123, 2, &o);
	assert_int_equal(r.eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rdx, 0x0102);
	r = query(f, &vmpl0, 5 * PG, 3, &o);
	assert_int_equal(r.eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rdx, 0x0003);
	/* A query changes nothing. */
	assert_int_equal(f->changes, 0);
	assert_int_equal(f->entries[5].perms[2], RMP_PERM_READ);
}

/* VMSA bit in rDX[16]; a page inside a 2 MiB entry reports rCX = 2M. */
static void test_vmsa_and_2m(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = at(7 * PG);
	struct snp_rmpquery_out o;

	p.size_2m = false;
	rmp_fixture_assign(f, 7 * PG, false);
	assert_int_equal(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, 0, 1)).eax,
			 RMP_INSTR_SUCCESS);
	assert_int_equal(query(f, &vmpl0, 7 * PG, 1, &o).eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rdx, RMPADJUST_VMSA | 1u);

	rmp_fixture_assign(f, MB2, true);
	assert_int_equal(query(f, &vmpl0, MB2 + 37 * PG, 0, &o).eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rcx, RMP_PG_SIZE_2M);
	assert_int_equal(o.rdx, 0x0f00);
}

/*
 * FAIL_INPUT for a VMPL the CPU lacks (4 VMPLs), FAIL_PERMISSION for an
 * immutable entry; outputs untouched. Not the guest's page, or a GPA the
 * entry does not map: #VMEXIT(NPF) as for RMPADJUST.
 */
static void test_errors(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_rmp_update fw = {.assigned = true, .immutable = true};
	struct snp_rmp_update other = {.gpa = 9 * PG, .asid = ASID + 1, .assigned = true};
	struct snp_rmp_update moved = {.gpa = 12 * PG, .asid = ASID, .assigned = true};
	struct snp_rmpquery_out o;
	struct snp_instr_result r;

	rmp_fixture_assign(f, 5 * PG, false);
	r = query(f, &vmpl0, 5 * PG, 4, &o);
	assert_int_equal(r.eax, RMP_INSTR_FAIL_INPUT);
	assert_int_equal(o.rdx, 0x5a5a);
	assert_int_equal(o.rcx, 0x5a5a);
	r = query(f, &vmpl0, 5 * PG, 0xff, &o);
	assert_int_equal(r.eax, RMP_INSTR_FAIL_INPUT);

	assert_int_equal(snp_rmp_update(&f->rmp, 8 * PG, &fw), RMP_HOST_SUCCESS);
	r = query(f, &vmpl0, 8 * PG, 0, &o);
	assert_int_equal(r.outcome, SNP_INSTR_DONE);
	assert_int_equal(r.eax, RMP_INSTR_FAIL_PERMISSION);
	assert_int_equal(o.rdx, 0x5a5a);

	assert_int_equal(query(f, &vmpl0, 6 * PG, 0, &o).outcome, SNP_INSTR_NPF);
	assert_int_equal(snp_rmp_update(&f->rmp, 9 * PG, &other), RMP_HOST_SUCCESS);
	assert_int_equal(query(f, &vmpl0, 9 * PG, 0, &o).outcome, SNP_INSTR_NPF);
	assert_int_equal(snp_rmp_update(&f->rmp, 10 * PG, &moved), RMP_HOST_SUCCESS);
	assert_int_equal(query(f, &vmpl0, 10 * PG, 0, &o).outcome, SNP_INSTR_NPF);
	assert_int_equal(query(f, &vmpl0, (uint64_t)NPAGES * PG, 0, &o).outcome, SNP_INSTR_NPF);
	assert_int_equal(o.rdx, 0x5a5a);
}

/* Any implemented VMPL may be queried from any VMPL (Interpretations). */
static void test_from_vmpl2(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_rmpquery_out o;

	rmp_fixture_assign(f, 5 * PG, false);
	assert_int_equal(query(f, &vmpl2, 5 * PG, 0, &o).eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rdx, 0x0f00);
	assert_int_equal(query(f, &vmpl2, 5 * PG, 3, &o).eax, RMP_INSTR_SUCCESS);
	assert_int_equal(o.rdx, 0x0003);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, rmp_fixture_setup, rmp_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_permissions_4k),
		T(test_vmsa_and_2m),
		T(test_errors),
		T(test_from_vmpl2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
