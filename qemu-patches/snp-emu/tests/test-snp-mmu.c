/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of snp-mmu.c (extracted from our QEMU patch): which permissions
 * a TLB fill may carry under the RMP checks of AMD APM vol. 2 15.36.10
 * (Table 15-39), the #VC error code, and what the emulated hypervisor does
 * about an RMP #VMEXIT(NPF) (KVM's implicit conversions, or a stop).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/ghcb.h"
#include "sev/rmp-host.h"
#include "sev/rmp-instr.h"
#include "snp-mmu.h"
#include "snp-rmp.h"
#include "snp-vc.h"

#define NPAGES (4 * SNP_RMP_PAGES_PER_2M) /* 8 MiB of emulated RAM */
#define ASID   1u
#define PG     SNP_RMP_PAGE_SIZE
#define MB2    SNP_RMP_2M_SIZE
#define RWX    (SNP_MMU_PROT_READ | SNP_MMU_PROT_WRITE | SNP_MMU_PROT_EXEC)

struct fixture {
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, NPAGES);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static const struct snp_guest_ctx vmpl0 = {.asid = ASID, .vmpl = 0, .user = false};
static const struct snp_guest_ctx vmpl1 = {.asid = ASID, .vmpl = 1, .user = false};

/* Assign @spa (GPA == SPA) to the guest; @validated as PVALIDATE would. */
static void assign(struct fixture *f, uint64_t spa, bool huge, bool validated)
{
	struct snp_rmp_update req = {
		.gpa = spa, .asid = ASID, .assigned = true, .page_size_2m = huge};

	assert_int_equal(snp_rmp_update(&f->rmp, spa, &req), RMP_HOST_SUCCESS);
	f->entries[spa / PG].validated = validated;
}

static struct snp_mmu_access access(uint64_t gpa, bool c_bit, enum snp_access kind,
				    unsigned int prot)
{
	struct snp_mmu_access a = {
		.gva = gpa + 0x1000000u, .gpa = gpa, .c_bit = c_bit, .kind = kind, .prot = prot};

	return a;
}

/* Table 15-39: a validated private page with VMPL0 permissions: all of RWX. */
static void test_fill_private_validated(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(2 * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_mmu_fill r;

	assign(f, 2 * PG, false, true);
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_OK);
	assert_int_equal(r.prot, RWX);
}

/* 15.36.10: not validated -> #VC for the access; no permission kept. */
static void test_fill_not_validated(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(2 * PG, true, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_fill r;

	assign(f, 2 * PG, false, false);
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_VC_NOT_VALIDATED);
	assert_int_equal(r.prot, 0);
	assert_int_equal(snp_mmu_vc_error_code(r.check), SVM_EXIT_PAGE_NOT_VALIDATED);
	assert_int_equal(snp_mmu_vc_error_code(SNP_RMP_NPF), 0);
}

/*
 * Table 15-39: a shared (C=0) read of a guest page is not checked, but a
 * shared write faults and a fetch is always private: a read fill of a C=0
 * mapping of an unvalidated guest page keeps only READ, so the later write
 * or fetch misses the TLB and is checked on its own.
 */
static void test_fill_shared_mapping_of_guest_page(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(3 * PG, false, SNP_ACCESS_READ, RWX);
	struct snp_mmu_fill r;

	assign(f, 3 * PG, false, false);
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_OK);
	assert_int_equal(r.prot, SNP_MMU_PROT_READ);
}

/* Table 15-39: a shared mapping of a hypervisor page: read and write, no fetch. */
static void test_fill_shared_page(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(4 * PG, false, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_fill r;

	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_OK);
	assert_int_equal(r.prot, SNP_MMU_PROT_READ | SNP_MMU_PROT_WRITE);
}

/* 15.36.7: VMPL1 with read-only permission: the entry keeps READ only. */
static void test_fill_vmpl_read_only(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access rd = access(5 * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_mmu_access wr = access(5 * PG, true, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_fill r;

	assign(f, 5 * PG, false, true);
	f->entries[5].perms[1] = RMP_PERM_READ;
	r = snp_mmu_check_fill(&f->rmp, &rd, &vmpl1);
	assert_int_equal(r.check, SNP_RMP_OK);
	assert_int_equal(r.prot, SNP_MMU_PROT_READ);
	r = snp_mmu_check_fill(&f->rmp, &wr, &vmpl1);
	assert_int_equal(r.check, SNP_RMP_NPF_VMPL);
}

/* KVM: a private access to a hypervisor-owned page converts it to private. */
static void test_npf_private_access_converts(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(6 * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_mmu_fill r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	struct snp_npf_decision d;

	assert_int_equal(r.check, SNP_RMP_NPF);
	d = snp_npf_decide(&f->rmp, &a, r.check, ASID);
	assert_int_equal(d.action, SNP_NPF_CONVERT_PRIVATE);
	assert_int_equal(snp_npf_convert(&f->rmp, a.gpa, ASID, d.action), RMP_HOST_SUCCESS);
	assert_true(f->entries[6].assigned);
	assert_int_equal(f->entries[6].asid, ASID);
	assert_int_equal(f->entries[6].gpa, 6 * PG);
	/* Converted pages are not validated: the retried access raises #VC. */
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_VC_NOT_VALIDATED);
}

/* KVM: a shared write to a guest page inside a 2M entry: PSMASH, then shared. */
static void test_npf_shared_write_converts(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access a = access(MB2 + 7 * PG, false, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_fill r;
	struct snp_npf_decision d;

	assign(f, MB2, true, true);
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_NPF);
	d = snp_npf_decide(&f->rmp, &a, r.check, ASID);
	assert_int_equal(d.action, SNP_NPF_CONVERT_SHARED);
	assert_int_equal(snp_npf_convert(&f->rmp, a.gpa, ASID, d.action), RMP_HOST_SUCCESS);
	assert_false(f->entries[MB2 / PG + 7].assigned);
	/* The neighbours keep their state (PSMASH copies it, 15.36.11). */
	assert_true(f->entries[MB2 / PG + 8].assigned);
	assert_true(f->entries[MB2 / PG + 8].validated);
	assert_false(f->entries[MB2 / PG].page_size_2m);
	r = snp_mmu_check_fill(&f->rmp, &a, &vmpl0);
	assert_int_equal(r.check, SNP_RMP_OK);
}

/* Faults the hypervisor cannot resolve stop the guest, with the reason. */
static void test_npf_stops(void **state)
{
	struct fixture *f = *state;
	struct snp_mmu_access vmpl = access(8 * PG, true, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_access other = access(9 * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_mmu_access imm = access(10 * PG, false, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_access mismatch = access(11 * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_mmu_access vmsa = access(12 * PG, false, SNP_ACCESS_WRITE, RWX);
	struct snp_mmu_access beyond = access(NPAGES * PG, true, SNP_ACCESS_READ, RWX);
	struct snp_rmp_update other_req = {.gpa = 9 * PG, .asid = ASID + 1, .assigned = true};
	struct snp_rmp_update imm_req = {
		.gpa = 10 * PG, .asid = ASID, .assigned = true, .immutable = true};
	struct snp_rmp_update mm_req = {.gpa = 20 * PG, .asid = ASID, .assigned = true};
	struct snp_npf_decision d;

	assign(f, 8 * PG, false, true);
	d = snp_npf_decide(&f->rmp, &vmpl, SNP_RMP_NPF_VMPL, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "VMPL"));

	assert_int_equal(snp_rmp_update(&f->rmp, 9 * PG, &other_req), RMP_HOST_SUCCESS);
	d = snp_npf_decide(&f->rmp, &other, SNP_RMP_NPF, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "another guest"));

	assert_int_equal(snp_rmp_update(&f->rmp, 10 * PG, &imm_req), RMP_HOST_SUCCESS);
	d = snp_npf_decide(&f->rmp, &imm, SNP_RMP_NPF, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "immutable"));

	/* Reverse map (15.36.10): the entry names another guest-physical page. */
	assert_int_equal(snp_rmp_update(&f->rmp, 11 * PG, &mm_req), RMP_HOST_SUCCESS);
	d = snp_npf_decide(&f->rmp, &mismatch, SNP_RMP_NPF, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "reverse-map"));

	assign(f, 12 * PG, false, true);
	f->entries[12].vmsa = true;
	d = snp_npf_decide(&f->rmp, &vmsa, SNP_RMP_NPF, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "VMSA"));

	d = snp_npf_decide(&f->rmp, &beyond, SNP_RMP_NPF, ASID);
	assert_int_equal(d.action, SNP_NPF_STOP);
	assert_non_null(strstr(d.reason, "not covered"));
	/* A stop changes nothing. */
	assert_int_equal(snp_npf_convert(&f->rmp, 8 * PG, ASID, SNP_NPF_STOP), RMP_HOST_FAIL_INPUT);
	assert_true(f->entries[8].validated);
}

/*
 * APM vol. 2 15.35.5 / 15.36.12: the NAE events that become #VC (CPUID and
 * port I/O always for SNP; the others as KVM intercepts them for SEV-ES),
 * MSRs held in the VMSA excepted; automatic exits and others are not #VC.
 */
static void test_vc_intercepts(void **state)
{
	static const uint64_t vc[] = {SVM_EXIT_CPUID,	 SVM_EXIT_IOIO,	    SVM_EXIT_RDTSC,
				      SVM_EXIT_RDTSCP,	 SVM_EXIT_VMMCALL,  SVM_EXIT_WBINVD,
				      SVM_EXIT_INVD,	 SVM_EXIT_MONITOR,  SVM_EXIT_MWAIT,
				      SVM_EXIT_READ_DR7, SVM_EXIT_WRITE_DR7};

	(void)state;
	for (size_t i = 0; i < sizeof(vc) / sizeof(vc[0]); i++) {
		assert_true(snp_vc_intercepted(vc[i], false));
	}
	assert_true(snp_vc_intercepted(SVM_EXIT_MSR, false));
	assert_false(snp_vc_intercepted(SVM_EXIT_MSR, true));
	/* DR0 is swapped with the VMSA, not intercepted; HLT, VMGEXIT: no #VC. */
	assert_false(snp_vc_intercepted(SVM_EXIT_READ_DR7 - 7, false));
	assert_false(snp_vc_intercepted(SVM_EXIT_HLT, false));
	assert_false(snp_vc_intercepted(SVM_EXIT_VMGEXIT, false));
	assert_int_equal(snp_vc_mmio_error_code(), SVM_EXIT_NPF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fill_private_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_not_validated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_shared_mapping_of_guest_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fill_shared_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fill_vmpl_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_private_access_converts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_shared_write_converts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_stops, setup, teardown),
		cmocka_unit_test(test_vc_intercepts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
