/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the reset-state VMSA of a firmware launch (snp-launch.c
 * snp_launch_kvm_reset_vmsa(), extracted from our QEMU patch): the page KVM
 * gives a vCPU at SNP_LAUNCH_FINISH when the launch (OVMF's SEV metadata)
 * provides none. The whole page is compared with igvmtool's independent model
 * through the launch digest in suite 57; here each change is checked alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/vmsa.h"
#include "snp-launch.h"
#include "x86/cr.h"
#include "x86/msr.h"

/* The x86 reset state (APM vol. 2 Table 14-1) as QEMU's vCPU holds it. */
static void reset_state(struct sev_vmsa *v)
{
	memset(v, 0, sizeof(*v));
	v->cr0 = CR0_CD | CR0_NW | CR0_ET; /* 6000_0010h */
	v->rip = 0xfff0;
	v->cs.selector = 0xf000;
	v->cs.base = 0xffff0000;
	v->rflags = 0x2;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->x87_fcw = 0x37f;
	v->x87_ftw = 0xffff; /* every register empty (full tag word) */
	v->mxcsr = 0x1f80;
	v->xcr0 = 1;
	/* What a save of the context writes (interpretation 27), to be dropped. */
	v->guest_exit_code = 0x403;
	v->guest_exit_info_1 = 1;
	v->guest_exit_info_2 = 2;
	v->guest_exit_int_info = 3;
	v->vmpl = 2;
}

/* KVM's CD_NW_CLEARED quirk, CR4.MCE from the host, EFER.SVME (APM 15.5.1). */
static void test_control_registers(void **state)
{
	struct sev_vmsa v;

	(void)state;
	reset_state(&v);
	snp_launch_kvm_reset_vmsa(&v, SEV_FEAT_SNP_ACTIVE);
	assert_int_equal(v.cr0, CR0_ET);
	assert_int_equal(v.cr4, CR4_MCE);
	assert_int_equal(v.efer, EFER_SVME);
}

/* FXSAVE's abridged tag: bit i set when physical register i is not empty. */
static void test_abridged_tag_word(void **state)
{
	struct sev_vmsa v;

	(void)state;
	reset_state(&v);
	snp_launch_kvm_reset_vmsa(&v, SEV_FEAT_SNP_ACTIVE);
	assert_int_equal(v.x87_ftw, 0x00);
	reset_state(&v);
	v.x87_ftw = 0xfff4; /* reg 0 valid (00), reg 1 zero (01), rest empty */
	snp_launch_kvm_reset_vmsa(&v, SEV_FEAT_SNP_ACTIVE);
	assert_int_equal(v.x87_ftw, 0x03);
}

/* SEV_FEATURES as given (APM Table B-4), VMPL0, no exit information. */
static void test_features_vmpl_exit_info(void **state)
{
	struct sev_vmsa v;

	(void)state;
	reset_state(&v);
	snp_launch_kvm_reset_vmsa(&v, SEV_FEAT_SNP_ACTIVE);
	assert_int_equal(v.sev_features, SEV_FEAT_SNP_ACTIVE);
	assert_int_equal(v.vmpl, 0);
	assert_int_equal(v.guest_exit_code, 0);
	assert_int_equal(v.guest_exit_info_1, 0);
	assert_int_equal(v.guest_exit_info_2, 0);
	assert_int_equal(v.guest_exit_int_info, 0);
}

/* Everything else is the reset state as the vCPU holds it. */
static void test_rest_unchanged(void **state)
{
	struct sev_vmsa v, want;

	(void)state;
	reset_state(&v);
	reset_state(&want);
	snp_launch_kvm_reset_vmsa(&v, SEV_FEAT_SNP_ACTIVE);
	want.cr0 = v.cr0;
	want.cr4 = v.cr4;
	want.efer = v.efer;
	want.x87_ftw = v.x87_ftw;
	want.sev_features = v.sev_features;
	want.vmpl = v.vmpl;
	want.guest_exit_code = 0;
	want.guest_exit_info_1 = 0;
	want.guest_exit_info_2 = 0;
	want.guest_exit_int_info = 0;
	assert_memory_equal(&v, &want, sizeof(v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_registers),
		cmocka_unit_test(test_abridged_tag_word),
		cmocka_unit_test(test_features_vmpl_exit_info),
		cmocka_unit_test(test_rest_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
