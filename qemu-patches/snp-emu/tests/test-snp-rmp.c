/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the emulated RMP (snp-rmp.c, extracted from our QEMU patch):
 * storage, RMPUPDATE, PSMASH and the access checks of APM vol. 2 15.36.
 * Every expectation names the APM section or table it comes from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/rmp-host.h"
#include "sev/rmp-instr.h"
#include "snp-rmp.h"

#include "rmp-fixture.h"

#define NPAGES RMP_FIXTURE_PAGES
#define ASID   RMP_FIXTURE_ASID
#define PG     SNP_RMP_PAGE_SIZE
#define MB2    SNP_RMP_2M_SIZE

static const struct snp_guest_ctx vmpl0 = {.asid = ASID, .vmpl = 0, .user = false};

static struct snp_rmp_entry *entry(struct rmp_fixture *f, uint64_t spa)
{
	return &f->entries[spa / PG];
}

/* 15.36.4: an RMP zeroed at initialisation makes every page hypervisor-owned. */
static void test_init_all_hypervisor_owned(void **state)
{
	struct rmp_fixture *f = *state;

	for (uint64_t i = 0; i < NPAGES; i++) {
		const struct snp_rmp_entry *e = snp_rmp_lookup(&f->rmp, i * PG);
		assert_non_null(e);
		assert_false(e->assigned);
		assert_false(e->validated);
	}
}

/* 15.36.10 RMP-Covered: a page whose entry lies beyond the RMP is not covered. */
static void test_coverage_boundary(void **state)
{
	struct rmp_fixture *f = *state;

	assert_true(snp_rmp_covered(&f->rmp, (NPAGES - 1) * PG));
	assert_false(snp_rmp_covered(&f->rmp, NPAGES * PG));
	assert_null(snp_rmp_lookup(&f->rmp, NPAGES * PG));
}

/* 15.36.5 + 15.36.7: RMPUPDATE assigns the page; VMPL0 gets full permissions,
 * the other VMPLs none; 15.36.6: pages start out not validated. */
static void test_update_assigns_with_vmpl0_permissions(void **state)
{
	struct rmp_fixture *f = *state;
	const struct snp_rmp_entry *e;

	rmp_fixture_assign(f, 3 * PG, false);
	e = snp_rmp_lookup(&f->rmp, 3 * PG);
	assert_true(e->assigned);
	assert_false(e->page_size_2m);
	assert_int_equal(e->asid, ASID);
	assert_int_equal(e->gpa, 3 * PG);
	assert_false(e->validated);
	assert_false(e->vmsa);
	assert_int_equal(e->perms[0], RMP_PERM_ALL);
	assert_int_equal(e->perms[1], 0);
	assert_int_equal(e->perms[2], 0);
	assert_int_equal(e->perms[3], 0);
	/* The change is announced so that cached translations can be dropped. */
	assert_int_equal(f->changes, 1);
	assert_int_equal(f->last_spa, 3 * PG);
	assert_int_equal(f->last_len, PG);
}

/* APM vol. 3 RMPUPDATE: FAIL_INPUT for a 2 MiB entry at an address with
 * bits 20:12 set, for an unassigned entry with ASID or Immutable, and for a
 * page beyond RMP_END. Bad input changes nothing. */
static void test_update_rejects_bad_input(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_rmp_update huge_unaligned = {
		.gpa = PG, .asid = ASID, .assigned = true, .page_size_2m = true};
	struct snp_rmp_update shared_asid = {.gpa = 0, .asid = ASID, .assigned = false};
	struct snp_rmp_update shared_immutable = {.immutable = true};
	struct snp_rmp_update ok = {.gpa = 0, .asid = ASID, .assigned = true};

	assert_int_equal(snp_rmp_update(&f->rmp, PG, &huge_unaligned), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_update(&f->rmp, 0, &shared_asid), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_update(&f->rmp, 0, &shared_immutable), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_update(&f->rmp, NPAGES * PG, &ok), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_update(&f->rmp, PG + 8, &ok), RMP_HOST_FAIL_INPUT);
	assert_int_equal(f->changes, 0);
	assert_false(entry(f, PG)->assigned);
	assert_false(entry(f, 0)->assigned);
}

/* APM vol. 3 RMPUPDATE: an immutable entry cannot be changed (FAIL_PERMISSION). */
static void test_update_immutable_is_refused(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_rmp_update fw = {.gpa = 0, .asid = 0, .assigned = true, .immutable = true};
	struct snp_rmp_update shared = {0};

	assert_int_equal(snp_rmp_update(&f->rmp, 5 * PG, &fw), RMP_HOST_SUCCESS);
	assert_int_equal(snp_rmp_update(&f->rmp, 5 * PG, &shared), RMP_HOST_FAIL_PERMISSION);
	assert_true(entry(f, 5 * PG)->immutable);
}

/* APM vol. 3 RMPUPDATE: 4 KiB and 2 MiB entries may not overlap (FAIL_OVERLAP). */
static void test_update_overlap(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_rmp_update small = {.gpa = 0, .asid = ASID, .assigned = true};
	struct snp_rmp_update huge = {
		.gpa = MB2, .asid = ASID, .assigned = true, .page_size_2m = true};

	/* A 4 KiB entry inside the region blocks a 2 MiB assignment ... */
	rmp_fixture_assign(f, MB2 + 7 * PG, false);
	assert_int_equal(snp_rmp_update(&f->rmp, MB2, &huge), RMP_HOST_FAIL_OVERLAP);
	/* ... and a 2 MiB entry blocks a 4 KiB one at its first page. */
	rmp_fixture_assign(f, 2 * MB2, true);
	small.gpa = 2 * MB2;
	assert_int_equal(snp_rmp_update(&f->rmp, 2 * MB2, &small), RMP_HOST_FAIL_OVERLAP);
	assert_true(entry(f, 2 * MB2)->page_size_2m);
}

/* 15.36.3 / RMPUPDATE: a 2 MiB entry governs all 512 4 KiB pages of its region. */
static void test_2m_entry_governs_region(void **state)
{
	struct rmp_fixture *f = *state;
	const struct snp_rmp_entry *e;

	rmp_fixture_assign(f, MB2, true);
	e = snp_rmp_lookup(&f->rmp, MB2 + 300 * PG);
	assert_ptr_equal(e, entry(f, MB2));
	assert_true(e->page_size_2m);
	assert_int_equal(e->gpa, MB2);
	assert_int_equal(f->last_len, MB2);
	/* Converting the whole 2 MiB page back to the hypervisor. */
	struct snp_rmp_update shared = {.page_size_2m = true};
	assert_int_equal(snp_rmp_update(&f->rmp, MB2, &shared), RMP_HOST_SUCCESS);
	for (uint64_t i = 0; i < SNP_RMP_PAGES_PER_2M; i++) {
		assert_false(snp_rmp_lookup(&f->rmp, MB2 + i * PG)->assigned);
	}
}

/* 15.36.6: re-assigning a validated page through RMPUPDATE leaves it unvalidated. */
static void test_update_clears_validated(void **state)
{
	struct rmp_fixture *f = *state;

	rmp_fixture_assign(f, 9 * PG, false);
	entry(f, 9 * PG)->validated = true;
	rmp_fixture_assign(f, 9 * PG, false);
	assert_false(entry(f, 9 * PG)->validated);
}

/* 15.36.11: PSMASH splits a 2 MiB entry into 512 4 KiB entries with
 * consecutive GPAs and Page_Size 0, copying every other field (Validated too). */
static void test_psmash_splits_and_keeps_state(void **state)
{
	struct rmp_fixture *f = *state;

	rmp_fixture_assign(f, MB2, true);
	entry(f, MB2)->validated = true;
	entry(f, MB2)->perms[1] = RMP_PERM_READ;
	assert_int_equal(snp_rmp_psmash(&f->rmp, MB2), RMP_HOST_SUCCESS);
	for (uint64_t i = 0; i < SNP_RMP_PAGES_PER_2M; i++) {
		const struct snp_rmp_entry *e = snp_rmp_lookup(&f->rmp, MB2 + i * PG);
		assert_ptr_equal(e, entry(f, MB2 + i * PG));
		assert_false(e->page_size_2m);
		assert_true(e->assigned);
		assert_true(e->validated);
		assert_int_equal(e->gpa, MB2 + i * PG);
		assert_int_equal(e->asid, ASID);
		assert_int_equal(e->perms[1], RMP_PERM_READ);
	}
	assert_int_equal(f->last_spa, MB2);
	assert_int_equal(f->last_len, MB2);
}

/* PSMASH status codes (Microsoft __psmash reference): FAIL_INPUT for an
 * unaligned address, FAIL_UNSUPPORTED for a page that is not a 2 MiB entry. */
static void test_psmash_errors(void **state)
{
	struct rmp_fixture *f = *state;

	rmp_fixture_assign(f, MB2, true);
	assert_int_equal(snp_rmp_psmash(&f->rmp, MB2 + PG), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_psmash(&f->rmp, NPAGES * PG), RMP_HOST_FAIL_INPUT);
	assert_int_equal(snp_rmp_psmash(&f->rmp, 0), RMP_HOST_FAIL_UNSUPPORTED);
	assert_true(entry(f, MB2)->page_size_2m);
}

/* Table 15-39: a private access to a hypervisor-owned page is an RMP #NPF. */
static void test_private_access_to_hypervisor_page(void **state)
{
	struct rmp_fixture *f = *state;

	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_NPF);
	/* Fetches and page walks are always private (15.34.5), whatever the C-bit. */
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, false, SNP_ACCESS_FETCH, &vmpl0),
			 SNP_RMP_NPF);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, false, SNP_ACCESS_PAGE_WALK, &vmpl0),
			 SNP_RMP_NPF);
	/* Not covered by the RMP: hypervisor-owned as well (15.36.5). */
	assert_int_equal(snp_rmp_check_access(&f->rmp, NPAGES * PG, NPAGES * PG, true,
					      SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_NPF);
}

/* Table 15-39: Guest-Owned (ASID), Reverse-Map (GPA) and Mutable checks. */
static void test_ownership_checks(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_guest_ctx other = {.asid = ASID + 1, .vmpl = 0};
	struct snp_rmp_update fw = {.assigned = true, .immutable = true};

	rmp_fixture_assign(f, PG, false);
	entry(f, PG)->validated = true;
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_OK);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &other),
			 SNP_RMP_NPF);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, 2 * PG, true, SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_NPF);
	assert_int_equal(snp_rmp_update(&f->rmp, 2 * PG, &fw), RMP_HOST_SUCCESS);
	assert_int_equal(
		snp_rmp_check_access(&f->rmp, 2 * PG, 2 * PG, true, SNP_ACCESS_READ, &vmpl0),
		SNP_RMP_NPF);
}

/* 15.36.6 / 15.36.10: a private access to a page that is not validated raises
 * #VC (PAGE_NOT_VALIDATED); the Validated check ranks above the VMPL check and
 * below the ownership checks. */
static void test_not_validated_priority(void **state)
{
	struct rmp_fixture *f = *state;
	struct snp_guest_ctx vmpl1 = {.asid = ASID, .vmpl = 1};
	struct snp_guest_ctx other = {.asid = ASID + 1, .vmpl = 0};

	rmp_fixture_assign(f, PG, false);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_WRITE, &vmpl0),
			 SNP_RMP_VC_NOT_VALIDATED);
	/* VMPL1 has no permission either, but Validated is checked first. */
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &vmpl1),
			 SNP_RMP_VC_NOT_VALIDATED);
	/* An ownership failure wins over the Validated check. */
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &other),
			 SNP_RMP_NPF);
	entry(f, PG)->validated = true;
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, true, SNP_ACCESS_READ, &vmpl1),
			 SNP_RMP_NPF_VMPL);
}

/* Table 15-39: a shared (C=0) write must target a hypervisor-owned page;
 * shared reads are not RMP-checked. */
static void test_shared_accesses(void **state)
{
	struct rmp_fixture *f = *state;

	rmp_fixture_assign(f, PG, false);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, false, SNP_ACCESS_WRITE, &vmpl0),
			 SNP_RMP_NPF);
	assert_int_equal(snp_rmp_check_access(&f->rmp, PG, PG, false, SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_OK);
	assert_int_equal(
		snp_rmp_check_access(&f->rmp, 2 * PG, 2 * PG, false, SNP_ACCESS_WRITE, &vmpl0),
		SNP_RMP_OK);
}

/* Table 15-36: Read, Write, Execute-User (CPL 3), Execute-Supervisor (CPL < 3);
 * 15.36.7: write without read is illegal, so data accesses fault. */
static void test_permission_mask_bits(void **state)
{
	(void)state;
	assert_true(snp_rmp_perms_allow(RMP_PERM_READ, SNP_ACCESS_READ, false));
	assert_true(snp_rmp_perms_allow(RMP_PERM_READ, SNP_ACCESS_PAGE_WALK, false));
	assert_false(snp_rmp_perms_allow(RMP_PERM_READ, SNP_ACCESS_WRITE, false));
	assert_true(snp_rmp_perms_allow(RMP_PERM_READ | RMP_PERM_WRITE, SNP_ACCESS_WRITE, false));
	assert_false(snp_rmp_perms_allow(RMP_PERM_WRITE, SNP_ACCESS_WRITE, false));
	assert_false(snp_rmp_perms_allow(RMP_PERM_WRITE, SNP_ACCESS_READ, false));
	assert_true(snp_rmp_perms_allow(RMP_PERM_EXEC_USER, SNP_ACCESS_FETCH, true));
	assert_false(snp_rmp_perms_allow(RMP_PERM_EXEC_USER, SNP_ACCESS_FETCH, false));
	assert_true(snp_rmp_perms_allow(RMP_PERM_EXEC_SUPERVISOR, SNP_ACCESS_FETCH, false));
	assert_false(snp_rmp_perms_allow(RMP_PERM_EXEC_SUPERVISOR, SNP_ACCESS_FETCH, true));
	assert_false(snp_rmp_perms_allow(RMP_PERM_READ, SNP_ACCESS_FETCH, false));
	assert_false(snp_rmp_perms_allow(0, SNP_ACCESS_READ, false));
}

/* 15.36.10 Reverse-Map on a 2 MiB entry: page i of the region must be reached
 * through GPA entry.gpa + i * 4 KiB. */
static void test_2m_reverse_map(void **state)
{
	struct rmp_fixture *f = *state;

	rmp_fixture_assign(f, MB2, true);
	entry(f, MB2)->validated = true;
	assert_int_equal(snp_rmp_check_access(&f->rmp, MB2 + 5 * PG, MB2 + 5 * PG + 0x123, true,
					      SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_OK);
	assert_int_equal(snp_rmp_check_access(&f->rmp, MB2 + 5 * PG, MB2 + 6 * PG, true,
					      SNP_ACCESS_READ, &vmpl0),
			 SNP_RMP_NPF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_all_hypervisor_owned, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_coverage_boundary, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_update_assigns_with_vmpl0_permissions,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_update_rejects_bad_input, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_update_immutable_is_refused, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_update_overlap, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_2m_entry_governs_region, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_update_clears_validated, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_psmash_splits_and_keeps_state,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_psmash_errors, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_private_access_to_hypervisor_page,
						rmp_fixture_setup, rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_ownership_checks, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_not_validated_priority, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test_setup_teardown(test_shared_accesses, rmp_fixture_setup,
						rmp_fixture_teardown),
		cmocka_unit_test(test_permission_mask_bits),
		cmocka_unit_test_setup_teardown(test_2m_reverse_map, rmp_fixture_setup,
						rmp_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
