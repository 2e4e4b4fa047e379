/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the VMPL context decisions (snp-vmpl.c, extracted from our
 * QEMU patches): Run VMPL target checks and AP Creation request checks, GHCB
 * spec (pub. 56421) "SNP Run VMPL" and "SNP AP Creation"; VMSA pages per APM
 * vol. 2 15.36.12.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/ghcb.h"
#include "sev/vmsa.h"
#include "snp-rmp.h"
#include "snp-vmpl.h"

#define NPAGES 1024u
#define ASID   1u
#define PG     SNP_RMP_PAGE_SIZE
#define VMSA   (16 * PG) /* a guest page the tests turn into a VMSA */

struct fixture {
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
	struct snp_ap_caller caller;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct snp_rmp_update assign = {.gpa = VMSA, .asid = ASID, .assigned = true};

	if (!f) {
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, NPAGES);
	if (snp_rmp_update(&f->rmp, VMSA, &assign) != 0) {
		free(f);
		return -1;
	}
	f->entries[VMSA / PG].vmsa = true;
	f->entries[VMSA / PG].validated = true;
	f->caller = (struct snp_ap_caller){
		.vmpl = 0,
		.apic_id = 0,
		.nr_vcpus = 2,
		.ram_end = NPAGES * PG,
		.asid = ASID,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* Run VMPL: VMPL 0..3 with a context may run, nothing else. */
static void test_run_check(void **state)
{
	struct snp_vmpl_vcpu v;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.ctx[0].present = true;
	v.ctx[2].present = true;
	v.running = true;
	assert_int_equal(snp_vmpl_run_check(&v, 0), SNP_VMPL_OK);
	assert_int_equal(snp_vmpl_run_check(&v, 2), SNP_VMPL_OK);
	assert_int_equal(snp_vmpl_run_check(&v, 1), SNP_VMPL_NO_CONTEXT);
	assert_int_equal(snp_vmpl_run_check(&v, 3), SNP_VMPL_NO_CONTEXT);
	assert_int_equal(snp_vmpl_run_check(&v, 4), SNP_VMPL_BAD_VMPL);
	assert_int_equal(snp_vmpl_run_check(&v, 0x100000000ull), SNP_VMPL_BAD_VMPL);
}

/* EXITINFO1: [15:0] request, [19:16] VMPL, [31:20] reserved, [63:32] APIC ID. */
static void test_decode(void **state)
{
	struct snp_ap_request r;

	(void)state;
	snp_ap_decode(ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 2, 7), VMSA, 0x1, &r);
	assert_int_equal(r.request, 1);
	assert_int_equal(r.action, SNP_AP_CREATE);
	assert_int_equal(r.vmpl, 2);
	assert_int_equal(r.reserved, 0);
	assert_int_equal(r.apic_id, 7);
	assert_int_equal(r.vmsa_gpa, VMSA);
	assert_int_equal(r.sev_features, 1);
	snp_ap_decode(0x0000000300f30001ull, 0, 0, &r);
	assert_int_equal(r.request, 1);
	assert_int_equal(r.vmpl, 3);
	assert_int_equal(r.reserved, 0xf);
	assert_int_equal(r.apic_id, 3);
	snp_ap_decode(0x2, 0, 0, &r);
	assert_int_equal(r.action, SNP_AP_DESTROY);
	snp_ap_decode(0x0, 0, 0, &r);
	assert_int_equal(r.action, SNP_AP_CREATE_ON_INIT);
	snp_ap_decode(0x3, 0, 0, &r);
	assert_int_equal(r.action, SNP_AP_INVALID);
}

static struct snp_ap_request req(uint32_t request, uint8_t vmpl, uint32_t apic_id)
{
	struct snp_ap_request r;

	snp_ap_decode(ghcb_ap_creation_info1(request, vmpl, apic_id), VMSA, SEV_FEAT_SNP_ACTIVE,
		      &r);
	return r;
}

static void test_ap_create_ok(void **state)
{
	struct fixture *f = *state;
	struct snp_ap_request r = req(SVM_VMGEXIT_AP_CREATE, 1, 0);

	/* A VMPL1 context on the caller's own vCPU, from VMPL0. */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_OK);
	/* VMPL0 of another vCPU, from VMPL0. */
	r = req(SVM_VMGEXIT_AP_CREATE_ON_INIT, 0, 1);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_OK);
	/* A VMPL2 caller may create VMPL2 and VMPL3 APs. */
	f->caller.vmpl = 2;
	r = req(SVM_VMGEXIT_AP_CREATE, 2, 1);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_OK);
	r = req(SVM_VMGEXIT_AP_CREATE, 3, 0);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_OK);
}

static void test_ap_hostile(void **state)
{
	struct fixture *f = *state;
	struct snp_ap_request r;

	r = req(3, 1, 1); /* unknown request */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_REQUEST);
	r = req(SVM_VMGEXIT_AP_CREATE, 1, 1);
	r.reserved = 1;
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_REQUEST);
	r = req(SVM_VMGEXIT_AP_CREATE, 4, 1);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_VMPL);
	r = req(SVM_VMGEXIT_AP_CREATE, 1, 2); /* only APIC IDs 0 and 1 */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_APIC_ID);
	r = req(SVM_VMGEXIT_AP_CREATE, 0, 0); /* own VMPL0 */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_VMPL0_SELF);
	r = req(SVM_VMGEXIT_AP_DESTROY, 0, 0);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_VMPL0_SELF);
	r = req(SVM_VMGEXIT_AP_CREATE, 1, 1);
	r.vmsa_gpa = VMSA + 8; /* not page aligned */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_GPA);
	r.vmsa_gpa = NPAGES * PG; /* beyond RAM */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_GPA);
	r = req(SVM_VMGEXIT_AP_CREATE, 1, 1);
	r.sev_features = SEV_FEAT_DEBUG_SWAP;
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_BAD_FEATURES);
	/* A VMPL1 caller asks for a VMPL0 AP: refused. */
	f->caller.vmpl = 1;
	r = req(SVM_VMGEXIT_AP_CREATE, 0, 1);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_MORE_PRIVILEGED);
	r = req(SVM_VMGEXIT_AP_DESTROY, 0, 1);
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_MORE_PRIVILEGED);
}

/* 15.36.12: only a guest-owned page with the RMP VMSA bit can run. */
static void test_ap_vmsa_page(void **state)
{
	struct fixture *f = *state;
	struct snp_ap_request r = req(SVM_VMGEXIT_AP_CREATE, 1, 1);

	f->entries[VMSA / PG].vmsa = false;
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_NOT_VMSA_PAGE);
	f->entries[VMSA / PG].vmsa = true;
	f->entries[VMSA / PG].asid = ASID + 1;
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_NOT_VMSA_PAGE);
	f->entries[VMSA / PG].asid = ASID;
	r.vmsa_gpa = VMSA + PG; /* hypervisor-owned page */
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_NOT_VMSA_PAGE);
	/* Destroy needs no VMSA page. */
	r = req(SVM_VMGEXIT_AP_DESTROY, 1, 1);
	r.vmsa_gpa = 0x123;
	assert_int_equal(snp_ap_check(&r, &f->caller, &f->rmp), SNP_VMPL_OK);
}

static void test_ap_apply(void **state)
{
	struct snp_vmpl_vcpu v;
	struct snp_ap_request r;

	(void)state;
	memset(&v, 0, sizeof(v));
	/* Create on INIT: registered, the switch waits for INIT. */
	r = req(SVM_VMGEXIT_AP_CREATE_ON_INIT, 2, 1);
	snp_ap_apply(&v, &r);
	assert_true(v.ctx[2].present);
	assert_int_equal(v.ctx[2].vmsa_gpa, VMSA);
	assert_true(v.init_pending);
	assert_int_equal(v.init_vmpl, 2);
	assert_false(v.running);
	/* Create: runs next. */
	r = req(SVM_VMGEXIT_AP_CREATE, 1, 1);
	snp_ap_apply(&v, &r);
	assert_true(v.running);
	assert_int_equal(v.current, 1);
	/* Destroying another VMPL leaves the running one alone. */
	r = req(SVM_VMGEXIT_AP_DESTROY, 2, 1);
	snp_ap_apply(&v, &r);
	assert_false(v.ctx[2].present);
	assert_false(v.init_pending);
	assert_true(v.running);
	/* Destroying the running one stops the vCPU. */
	r = req(SVM_VMGEXIT_AP_DESTROY, 1, 1);
	snp_ap_apply(&v, &r);
	assert_false(v.ctx[1].present);
	assert_false(v.running);
}

/*
 * An SVSM running at VMPL0 creates its guest's VMPL2 context on a running
 * vCPU: the VMSA is registered for VMPL2 and VMPL0 keeps running until a Run
 * VMPL (GHCB spec 4.1.9 AP Creation, 4.1.12 Run VMPL).
 */
static void test_ap_create_other_vmpl_of_running_vcpu(void **state)
{
	struct snp_vmpl_vcpu v;
	struct snp_ap_request r;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.running = true;
	v.current = 0;
	v.ctx[0].present = true;
	r = req(SVM_VMGEXIT_AP_CREATE, 2, 0);
	snp_ap_apply(&v, &r);
	assert_true(v.ctx[2].present);
	assert_int_equal(v.ctx[2].vmsa_gpa, VMSA);
	assert_true(v.running);
	assert_int_equal(v.current, 0);
	/* A new VMSA for the running VMPL replaces it and runs. */
	r = req(SVM_VMGEXIT_AP_CREATE, 0, 0);
	snp_ap_apply(&v, &r);
	assert_int_equal(v.current, 0);
	assert_int_equal(v.ctx[0].vmsa_gpa, VMSA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_check),
		cmocka_unit_test(test_decode),
		cmocka_unit_test_setup_teardown(test_ap_create_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_vmsa_page, setup, teardown),
		cmocka_unit_test(test_ap_apply),
		cmocka_unit_test(test_ap_create_other_vmpl_of_running_vcpu),
	};

	assert_string_equal(snp_vmpl_err_str(SNP_VMPL_VMPL0_SELF),
			    "the caller's own VMPL0 context cannot be replaced");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
