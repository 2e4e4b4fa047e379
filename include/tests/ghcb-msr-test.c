// SPDX-License-Identifier: MIT
/*
 * GHCB MSR protocol encode/decode helpers (include/sev/ghcb-msr.h) against
 * values worked out by hand from the bit layouts in GHCB spec 56421 section
 * 2.3.1 (GHCBData[63:12] | GHCBInfo[11:0]). Each test shows the arithmetic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sev/ghcb-msr.h"

/*
 * SEV information response, hypervisor supports versions 1..2, C-bit 51:
 *   max 2      << 48 = 0x0002_0000_0000_0000
 *   min 1      << 32 = 0x0000_0001_0000_0000
 *   cbit 0x33  << 24 = 0x0000_0000_3300_0000
 *   info             = 0x001
 *   sum              = 0x0002_0001_3300_0001
 */
static void sev_info_round_trip(void **state)
{
	(void)state;
	uint64_t v = ghcb_msr_sev_info_resp(2, 1, 51);

	assert_int_equal(v, 0x0002000133000001ull);
	assert_int_equal(ghcb_msr_info(v), GHCB_MSR_SEV_INFO_RESP);
	assert_int_equal(ghcb_msr_sev_info_max(v), 2);
	assert_int_equal(ghcb_msr_sev_info_min(v), 1);
	assert_int_equal(ghcb_msr_sev_info_cbit(v), 51);
	assert_int_equal(GHCB_MSR_SEV_INFO_REQ, 0x002);
}

/*
 * CPUID request for Fn8000_001F, register EBX (select 1):
 *   fn 0x8000001F << 32 = 0x8000_001F_0000_0000
 *   reg 1         << 30 = 0x0000_0000_4000_0000
 *   info                = 0x004
 *   sum                 = 0x8000_001F_4000_0004
 * Response carrying EDX (select 3) = 0x0000B1F3:
 *   0xB1F3 << 32 | 3 << 30 | 0x005 = 0x0000_B1F3_C000_0005
 */
static void cpuid_request_and_response(void **state)
{
	(void)state;
	uint64_t req = ghcb_msr_cpuid_req(0x8000001fu, GHCB_CPUID_REG_EBX);

	assert_int_equal(req, 0x8000001f40000004ull);
	assert_int_equal(ghcb_msr_cpuid_reg(req), GHCB_CPUID_REG_EBX);

	uint64_t rsp = ghcb_msr_cpuid_resp(0xb1f3u, GHCB_CPUID_REG_EDX);

	assert_int_equal(rsp, 0x0000b1f3c0000005ull);
	assert_true(ghcb_msr_is(rsp, GHCB_MSR_CPUID_RESP));
	assert_int_equal(ghcb_msr_cpuid_reg(rsp), 3);
	assert_int_equal(ghcb_msr_cpuid_value(rsp), 0xb1f3u);
	/* A register select above 3 must not leak into GHCBData[32]: 4 & 3 = 0. */
	assert_int_equal(ghcb_msr_cpuid_req(0, 4), 0x004ull);
}

/*
 * Register GHCB GPA 0x7FFF_E000: GFN = 0x7FFFE,
 *   0x7FFFE << 12 | 0x012 = 0x7FFF_E012
 * "Failed" response: GFN field all ones (52 bits) | 0x013
 *   = 0xFFFF_FFFF_FFFF_F013
 */
static void register_ghcb_gpa(void **state)
{
	(void)state;
	uint64_t req = ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, 0x7fffe);

	assert_int_equal(req, 0x7fffe012ull);
	assert_int_equal(ghcb_msr_gfn(req), 0x7fffe);

	uint64_t fail = 0xfffffffffffff013ull;

	assert_true(ghcb_msr_is(fail, GHCB_MSR_REG_GPA_RESP));
	assert_int_equal(ghcb_msr_gfn(fail), GHCB_MSR_GFN_NONE);
	/* Encoding the "none" GFN gives the same word back. */
	assert_int_equal(ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, GHCB_MSR_GFN_NONE), fail);
}

/*
 * Page state change, GFN 0x12345 to shared (op 2):
 *   op 2      << 52 = 0x0020_0000_0000_0000
 *   0x12345   << 12 = 0x0000_0000_1234_5000
 *   info            = 0x014
 *   sum             = 0x0020_0000_1234_5014
 * Largest GFN (40 bits all ones) to private (op 1):
 *   0xFF_FFFF_FFFF << 12 = 0x000F_FFFF_FFFF_F000
 *   1 << 52              = 0x0010_0000_0000_0000
 *   sum | 0x014          = 0x001F_FFFF_FFFF_F014
 * A GFN with bit 40 set is cut to 40 bits: 0x100_0000_0001 -> 0x1.
 */
static void page_state_change(void **state)
{
	(void)state;
	uint64_t req = ghcb_msr_psc_req(0x12345, GHCB_MSR_PSC_OP_SHARED);

	assert_int_equal(req, 0x0020000012345014ull);
	assert_int_equal(ghcb_msr_psc_req_gfn(req), 0x12345);
	assert_int_equal(ghcb_msr_psc_req_op(req), GHCB_MSR_PSC_OP_SHARED);

	uint64_t top = ghcb_msr_psc_req(0xffffffffffull, GHCB_MSR_PSC_OP_PRIVATE);

	assert_int_equal(top, 0x001ffffffffff014ull);
	assert_int_equal(ghcb_msr_psc_req_gfn(top), 0xffffffffffull);
	assert_int_equal(ghcb_msr_psc_req_op(top), 1);

	assert_int_equal(ghcb_msr_psc_req_gfn(ghcb_msr_psc_req(0x10000000001ull, 1)), 1);

	/* Response error 1: 1 << 32 | 0x015 = 0x0000_0001_0000_0015. */
	assert_int_equal(ghcb_msr_psc_resp(1), 0x0000000100000015ull);
	assert_int_equal(ghcb_msr_psc_resp_error(0x0000000100000015ull), 1);
	assert_int_equal(ghcb_msr_psc_resp_error(ghcb_msr_psc_resp(0)), 0);
}

/*
 * Run at VMPL 1: 1 << 32 | 0x016 = 0x0000_0001_0000_0016.
 * Response error 2: 2 << 32 | 0x017 = 0x0000_0002_0000_0017.
 */
static void run_vmpl(void **state)
{
	(void)state;
	assert_int_equal(ghcb_msr_vmpl_req(0), 0x016ull);
	assert_int_equal(ghcb_msr_vmpl_req(1), 0x0000000100000016ull);
	assert_int_equal(ghcb_msr_vmpl_req_vmpl(0x0000000100000016ull), 1);
	assert_int_equal(ghcb_msr_vmpl_resp(2), 0x0000000200000017ull);
	assert_int_equal(ghcb_msr_vmpl_resp_error(0x0000000200000017ull), 2);
}

/*
 * Hypervisor features SNP (bit 0) + AP creation (bit 1) + multi-VMPL (bit 5):
 *   bitmap = 0b10_0011 = 0x23;  0x23 << 12 | 0x081 = 0x2_3081
 */
static void hypervisor_features(void **state)
{
	(void)state;
	uint64_t ft = GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL;

	assert_int_equal(ft, 0x23);
	assert_int_equal(ghcb_msr_hv_ft_resp(ft), 0x23081ull);
	assert_int_equal(ghcb_msr_hv_ft(0x23081ull), 0x23);
	assert_true(ghcb_msr_hv_ft(0x23081ull) & GHCB_HV_FT_SNP_MULTI_VMPL);
	assert_false(ghcb_msr_hv_ft(0x23081ull) & GHCB_HV_FT_SNP_RESTRICTED_INJ);
}

/*
 * Termination, set 0 reason 2 (SNP features unsupported):
 *   2 << 16 | 0x100 = 0x2_0100
 * Set 1 reason 0xFF: 1 << 12 | 0xFF << 16 | 0x100 = 0xFF_1100
 * Set 0x1F is cut to 4 bits: 0xF << 12 | 0x100 = 0xF100
 */
static void termination(void **state)
{
	(void)state;
	uint64_t v = ghcb_msr_term_req(GHCB_TERM_SET_GENERAL, GHCB_TERM_SNP_FEATURES_UNSUPPORTED);

	assert_int_equal(v, 0x20100ull);
	assert_int_equal(ghcb_msr_term_set(v), 0);
	assert_int_equal(ghcb_msr_term_code(v), 2);

	v = ghcb_msr_term_req(1, 0xff);
	assert_int_equal(v, 0xff1100ull);
	assert_int_equal(ghcb_msr_term_set(v), 1);
	assert_int_equal(ghcb_msr_term_code(v), 0xff);

	assert_int_equal(ghcb_msr_term_req(0x1f, 0), 0xf100ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sev_info_round_trip),
		cmocka_unit_test(cpuid_request_and_response),
		cmocka_unit_test(register_ghcb_gpa),
		cmocka_unit_test(page_state_change),
		cmocka_unit_test(run_vmpl),
		cmocka_unit_test(hypervisor_features),
		cmocka_unit_test(termination),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
