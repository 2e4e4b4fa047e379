/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of PVALIDATE and RMPADJUST on the emulated RMP (snp-instr.c,
 * extracted from our QEMU patch). Expectations cite APM vol. 3 (instruction
 * pages) and APM vol. 2 15.36.6 / 15.36.7 / 15.36.11 (Table 15-40).
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

#define NPAGES	 RMP_FIXTURE_PAGES
#define ASID	 RMP_FIXTURE_ASID
#define PG	 SNP_RMP_PAGE_SIZE
#define MB2	 SNP_RMP_2M_SIZE
/* Guest-virtual addresses differ from GPAs: the model must use the right one. */
#define GVA(gpa) ((gpa) + 0xffff800000000000ull)

static const struct snp_guest_ctx vmpl0 = {.asid = ASID, .vmpl = 0};
static const struct snp_guest_ctx vmpl1 = {.asid = ASID, .vmpl = 1};
static const struct snp_guest_ctx vmpl2 = {.asid = ASID, .vmpl = 2};

/* Assign @spa; the tests below count only the changes the instructions make. */
static void assign(struct rmp_fixture *f, uint64_t spa, bool huge)
{
	rmp_fixture_assign(f, spa, huge);
	f->changes = 0;
}

static struct snp_instr_page page4k(uint64_t gpa)
{
	struct snp_instr_page p = {.gva = GVA(gpa), .gpa = gpa, .spa = gpa, .size_2m = false};
	return p;
}

static struct snp_instr_page page2m(uint64_t gpa)
{
	struct snp_instr_page p = {.gva = GVA(gpa), .gpa = gpa, .spa = gpa, .size_2m = true};
	return p;
}

static const struct snp_rmp_entry *at(struct rmp_fixture *f, uint64_t spa)
{
	return snp_rmp_lookup(&f->rmp, spa);
}

static void assert_done(struct snp_instr_result r, uint32_t eax, bool cf)
{
	assert_int_equal(r.outcome, SNP_INSTR_DONE);
	assert_int_equal(r.eax, eax);
	assert_int_equal(r.cf, cf);
}

/* APM vol. 3 PVALIDATE: EAX = SUCCESS and CF = 0 when the Validated bit
 * changed; CF = 1 when it already had the requested value (15.36.6). */
static void test_pvalidate_sets_and_reports_unchanged(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(4 * PG);

	assign(f, 4 * PG, false);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_SUCCESS, false);
	assert_true(at(f, 4 * PG)->validated);
	assert_int_equal(f->changes, 1);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_SUCCESS, true);
	assert_int_equal(f->changes, 1); /* nothing changed, nothing flushed */
	/* Rescinding clears the bit (15.36.6, memory hot-unplug use). */
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, false), RMP_INSTR_SUCCESS, false);
	assert_false(at(f, 4 * PG)->validated);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, false), RMP_INSTR_SUCCESS, true);
}

/* APM vol. 3 PVALIDATE: a 2 MiB request at an address that is not 2 MiB
 * aligned fails with FAIL_INPUT and changes nothing. */
static void test_pvalidate_2m_unaligned_is_fail_input(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page2m(MB2 + PG);

	assign(f, MB2, true);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_FAIL_INPUT, false);
	assert_false(at(f, MB2)->validated);
	assert_int_equal(f->changes, 0);
}

/* APM vol. 3 PVALIDATE: only VMPL0 may validate (FAIL_PERMISSION otherwise);
 * this is why a guest at a lower VMPL asks its SVSM to do it. */
static void test_pvalidate_requires_vmpl0(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);

	assign(f, PG, false);
	assert_done(snp_pvalidate(&f->rmp, &vmpl1, &p, true), RMP_INSTR_FAIL_PERMISSION, false);
	assert_false(at(f, PG)->validated);
}

/* Table 15-40: a 2 MiB PVALIDATE on pages the RMP holds as 4 KiB returns
 * FAIL_SIZEMISMATCH; the guest retries page by page. */
static void test_pvalidate_2m_on_4k_is_sizemismatch(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page2m(MB2);

	assign(f, MB2, false);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_FAIL_SIZEMISMATCH, false);
	assert_false(at(f, MB2)->validated);
}

/* Table 15-40 / 15.36.11: a 4 KiB PVALIDATE inside a 2 MiB RMP page is a
 * #VMEXIT(NPF) with SIZEM; after the hypervisor's PSMASH it succeeds and only
 * that 4 KiB page changes. */
static void test_pvalidate_4k_on_2m_needs_psmash(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(MB2 + 3 * PG);
	struct snp_instr_result r;

	assign(f, MB2, true);
	r = snp_pvalidate(&f->rmp, &vmpl0, &p, true);
	assert_int_equal(r.outcome, SNP_INSTR_NPF_SIZEM);
	assert_false(at(f, MB2 + 3 * PG)->validated);
	assert_int_equal(snp_rmp_psmash(&f->rmp, MB2), RMP_HOST_SUCCESS);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_SUCCESS, false);
	assert_true(at(f, MB2 + 3 * PG)->validated);
	assert_false(at(f, MB2 + 2 * PG)->validated);
	assert_false(at(f, MB2 + 4 * PG)->validated);
}

/* 15.36.6: one 2 MiB PVALIDATE validates the whole 2 MiB RMP page. */
static void test_pvalidate_2m_on_2m(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page2m(2 * MB2);

	assign(f, 2 * MB2, true);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_SUCCESS, false);
	for (uint64_t i = 0; i < SNP_RMP_PAGES_PER_2M; i++) {
		assert_true(at(f, 2 * MB2 + i * PG)->validated);
	}
}

/* 15.36.10 via APM vol. 3 PVALIDATE: the page must be guest-owned by this
 * ASID at this GPA, else #VMEXIT(NPF). */
static void test_pvalidate_rmp_violations(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_guest_ctx other = {.asid = ASID + 1, .vmpl = 0};
	struct snp_instr_page hv = page4k(PG);
	struct snp_instr_page mine = page4k(2 * PG);
	struct snp_instr_page alias = {.gva = GVA(3 * PG), .gpa = 3 * PG, .spa = 2 * PG};

	assign(f, 2 * PG, false);
	assert_int_equal(snp_pvalidate(&f->rmp, &vmpl0, &hv, true).outcome, SNP_INSTR_NPF);
	assert_int_equal(snp_pvalidate(&f->rmp, &other, &mine, true).outcome, SNP_INSTR_NPF);
	assert_int_equal(snp_pvalidate(&f->rmp, &vmpl0, &alias, true).outcome, SNP_INSTR_NPF);
	assert_false(at(f, 2 * PG)->validated);
}

/* 15.36.7 / APM vol. 3 RMPADJUST: VMPL0 sets the mask of a lower VMPL, which
 * then governs that VMPL's accesses (Table 15-36). */
static void test_rmpadjust_grants_lower_vmpl(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);
	struct snp_guest_ctx v1 = {.asid = ASID, .vmpl = 1};

	assign(f, PG, false);
	assert_done(snp_pvalidate(&f->rmp, &vmpl0, &p, true), RMP_INSTR_SUCCESS, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p,
				  rmpadjust_attrs(1, RMP_PERM_READ | RMP_PERM_WRITE, 0)),
		    RMP_INSTR_SUCCESS, false);
	assert_int_equal(at(f, PG)->perms[1], RMP_PERM_READ | RMP_PERM_WRITE);
	assert_int_equal(at(f, PG)->perms[0], RMP_PERM_ALL);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_WRITE, &v1),
			 SNP_RMP_OK);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_FETCH, &v1),
			 SNP_RMP_NPF_VMPL);
	/* Masks are replaced, not merged: revoking write takes effect. */
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_SUCCESS, false);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_WRITE, &v1),
			 SNP_RMP_NPF_VMPL);
	assert_int_equal(f->changes, 3);
}

/* APM vol. 3 RMPADJUST: "IF (TARGET_VMPL <= CURRENT_VMPL) EAX = FAIL_PERMISSION":
 * no VMPL may change its own or a more privileged VMPL's mask. */
static void test_rmpadjust_only_less_privileged(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);

	assign(f, PG, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(0, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_PERMISSION, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl1, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_PERMISSION, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl2, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_PERMISSION, false);
	assert_int_equal(at(f, PG)->perms[0], RMP_PERM_ALL);
	assert_int_equal(at(f, PG)->perms[1], 0);
	assert_int_equal(f->changes, 0);
}

/* 15.36.7: RMPADJUST cannot grant more than the current VMPL holds (the APM's
 * example: VMPL1 without write cannot give VMPL2 write). */
static void test_rmpadjust_no_escalation(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);

	assign(f, PG, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_SUCCESS, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl1, &p,
				  rmpadjust_attrs(2, RMP_PERM_READ | RMP_PERM_WRITE, 0)),
		    RMP_INSTR_FAIL_PERMISSION, false);
	assert_int_equal(at(f, PG)->perms[2], 0);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl1, &p, rmpadjust_attrs(2, RMP_PERM_READ, 0)),
		    RMP_INSTR_SUCCESS, false);
	assert_int_equal(at(f, PG)->perms[2], RMP_PERM_READ);
}

/* 15.36.12: the VMSA bit is set by a VMPL0 RMPADJUST; at other VMPLs the bit
 * operand is ignored (the instruction still succeeds). */
static void test_rmpadjust_vmsa_bit_vmpl0_only(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);

	assign(f, PG, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, RMP_PERM_READ, 1)),
		    RMP_INSTR_SUCCESS, false);
	assert_true(at(f, PG)->vmsa);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl1, &p, rmpadjust_attrs(2, 0, 0)), RMP_INSTR_SUCCESS,
		    false);
	assert_true(at(f, PG)->vmsa);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_SUCCESS, false);
	assert_false(at(f, PG)->vmsa);
}

/* RMPADJUST operands: a VMPL the CPU does not implement (CPUID
 * Fn8000_001F_EBX[15:12] = 4) or reserved mask bits (Table 15-36, bits 7:5 SBZ;
 * bit 4 needs VmplSSS, not advertised) are FAIL_INPUT; so is an unaligned 2 MiB
 * request. See docs/snp-emulation.md for the status of these rules. */
static void test_rmpadjust_bad_operands(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);
	struct snp_instr_page huge = page2m(MB2 + PG);

	assign(f, PG, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(4, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_INPUT, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, 0x20, 0)),
		    RMP_INSTR_FAIL_INPUT, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, 0x10, 0)),
		    RMP_INSTR_FAIL_INPUT, false);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &huge, rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_INPUT, false);
	assert_int_equal(f->changes, 0);
}

/* Table 15-40 applies to RMPADJUST as to PVALIDATE. */
static void test_rmpadjust_size_mismatch(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page small_in_huge = page4k(MB2 + PG);
	struct snp_instr_page huge_on_small = page2m(2 * MB2);

	assign(f, MB2, true);
	assign(f, 2 * MB2, false);
	assert_int_equal(
		snp_rmpadjust(&f->rmp, &vmpl0, &small_in_huge, rmpadjust_attrs(1, RMP_PERM_READ, 0))
			.outcome,
		SNP_INSTR_NPF_SIZEM);
	assert_done(snp_rmpadjust(&f->rmp, &vmpl0, &huge_on_small,
				  rmpadjust_attrs(1, RMP_PERM_READ, 0)),
		    RMP_INSTR_FAIL_SIZEMISMATCH, false);
}

/* RMPADJUST on a page the guest does not own is an RMP #VMEXIT(NPF). */
static void test_rmpadjust_unowned_page(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_instr_page p = page4k(PG);

	assert_int_equal(
		snp_rmpadjust(&f->rmp, &vmpl0, &p, rmpadjust_attrs(1, RMP_PERM_READ, 0)).outcome,
		SNP_INSTR_NPF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pvalidate_sets_and_reports_unchanged,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_2m_unaligned_is_fail_input,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_requires_vmpl0, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_2m_on_4k_is_sizemismatch,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_4k_on_2m_needs_psmash,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_2m_on_2m, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_pvalidate_rmp_violations, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_grants_lower_vmpl, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_only_less_privileged,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_no_escalation, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_vmsa_bit_vmpl0_only,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_bad_operands, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_size_mismatch, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_rmpadjust_unowned_page, rmp_fixture_setup,
						rmp_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
