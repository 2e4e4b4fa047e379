// SPDX-License-Identifier: MIT
/*
 * The small encode/decode helpers in the other ABI headers, against values
 * worked out by hand from the cited bit layouts (working in each comment).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sev/ghcb.h"
#include "sev/rmp-instr.h"
#include "sev/sev-status.h"
#include "sev/snp-firmware.h"
#include "sev/vmsa.h"
#include "svsm/protocol.h"
#include "x86/cpuid-sev.h"

/*
 * SVSM RAX (58019 section 3): protocol in [63:32], call in [31:0].
 *   attestation (1), ATTEST_SINGLE_SERVICE (1): 1 << 32 | 1 = 0x1_0000_0001
 * QUERY_PROTOCOL result for versions 1..1: 1 << 32 | 1 (same number).
 */
static void svsm_call_encoding(void **state)
{
	(void)state;
	uint64_t rax = svsm_rax(SVSM_PROTOCOL_ATTESTATION, SVSM_ATTEST_SINGLE_SERVICE);

	assert_int_equal(rax, 0x0000000100000001ull);
	assert_int_equal(svsm_rax_protocol(rax), 1);
	assert_int_equal(svsm_rax_call_id(rax), 1);
	assert_int_equal(svsm_rax(SVSM_PROTOCOL_CORE, SVSM_CORE_PVALIDATE), 1);
	/* vTPM (2) CMD (1): 2 << 32 | 1 = 0x2_0000_0001 */
	assert_int_equal(svsm_rax(SVSM_PROTOCOL_VTPM, SVSM_VTPM_CMD), 0x0000000200000001ull);
	assert_int_equal(svsm_query_protocol_result(1, 3), 0x0000000300000001ull);
	assert_int_equal(svsm_query_protocol_arg(SVSM_PROTOCOL_ATTESTATION, 1),
			 0x0000000100000001ull);
}

/*
 * SVSM PVALIDATE entry (58019 Table 7): GFN 0x100, 2 MiB (1), validate
 * (bit 2), ignore CF (bit 3):
 *   0x100 << 12 = 0x10_0000; | 1 | 4 | 8 = 0x10_000D
 * GFN 0x7FFFF, 4 KiB, rescind: 0x7FFFF << 12 = 0x7FFF_F000.
 */
static void svsm_pvalidate_entries(void **state)
{
	(void)state;
	uint64_t e = svsm_pvalidate_entry(0x100, SVSM_PVALIDATE_SIZE_2M, 1, 1);

	assert_int_equal(e, 0x10000dull);
	assert_int_equal(svsm_pvalidate_entry_gfn(e), 0x100);
	assert_int_equal(svsm_pvalidate_entry_size(e), SVSM_PVALIDATE_SIZE_2M);
	assert_true(e & SVSM_PVALIDATE_VALIDATE);
	assert_int_equal(svsm_pvalidate_entry(0x7ffff, SVSM_PVALIDATE_SIZE_4K, 0, 0),
			 0x7ffff000ull);
	assert_int_equal(e & SVSM_PVALIDATE_RESERVED, 0);
	/* (4096 - 8) / 8 = 511 entries fit a page-aligned list. */
	assert_int_equal(SVSM_PVALIDATE_MAX_ENTRIES, 511);
}

/*
 * RMPADJUST RDX (APM vol. 3): target VMPL 1, all four permissions, VMSA:
 *   1 | 0xF << 8 | 1 << 16 = 0x1_0F01
 * VMPL 3, read+write, no VMSA: 3 | 0x3 << 8 = 0x303
 */
static void rmpadjust_attributes(void **state)
{
	(void)state;
	uint64_t a = rmpadjust_attrs(1, RMP_PERM_ALL, 1);

	assert_int_equal(a, 0x10f01ull);
	assert_int_equal(rmpadjust_attrs_vmpl(a), 1);
	assert_int_equal(rmpadjust_attrs_perms(a), 0xf);
	assert_int_equal(rmpadjust_attrs(3, RMP_PERM_READ | RMP_PERM_WRITE, 0), 0x303ull);
}

/*
 * AP creation SW_EXITINFO1 (GHCB 4.1.9): CREATE (1), VMPL 2, APIC ID 3:
 *   3 << 32 | 2 << 16 | 1 = 0x3_0002_0001
 * Termination NAE SW_EXITINFO1: set 1 in [3:0], code 0xAB in [11:4]:
 *   1 | 0xAB << 4 = 0xAB1
 */
static void ghcb_nae_info(void **state)
{
	(void)state;
	assert_int_equal(ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 2, 3),
			 0x0000000300020001ull);
	assert_int_equal(ghcb_term_info1(1, 0xab), 0xab1ull);
}

/*
 * Valid bitmap (GHCB 2.3.1): RAX at 1F8h is qword 0x1F8 / 8 = 63 -> byte 7,
 * bit 7. SW_EXITCODE at 390h is qword 114 -> byte 14, bit 2.
 */
static void ghcb_valid_bitmap(void **state)
{
	(void)state;
	static struct ghcb g;

	ghcb_mark_valid(&g, offsetof(struct ghcb_save_area, rax));
	ghcb_mark_valid(&g, offsetof(struct ghcb_save_area, sw_exit_code));
	assert_int_equal(g.save.valid_bitmap[7], 0x80);
	assert_int_equal(g.save.valid_bitmap[14], 0x04);
	assert_true(ghcb_is_valid(&g, offsetof(struct ghcb_save_area, rax)));
	assert_false(ghcb_is_valid(&g, offsetof(struct ghcb_save_area, rcx)));
	for (unsigned int i = 0; i < sizeof(g.save.valid_bitmap); i++) {
		if (i != 7 && i != 14) {
			assert_int_equal(g.save.valid_bitmap[i], 0);
		}
	}
}

/*
 * SEV_STATUS = SEV_FEATURES << 2 (APM 15.34.10): SNPActive (feature 0) and
 * SecureTSC (feature 9) -> (1 | 0x200) << 2 = 0x804 = status bits 2 and 11.
 */
static void sev_status_from_vmsa_features(void **state)
{
	(void)state;
	uint64_t s = sev_status_from_features(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_SECURE_TSC);

	assert_int_equal(s, 0x804ull);
	assert_int_equal(s, SEV_STATUS_SNP | SEV_STATUS_SECURE_TSC);
	assert_int_equal(sev_status_to_features(SEV_STATUS_VMSA_REG_PROT), SEV_FEAT_VMSA_REG_PROT);
}

/*
 * Guest policy (56860 Table 9): ABI 1.51, SMT allowed:
 *   1 << 8 = 0x100; 51 = 0x33; SMT 1 << 16 = 0x1_0000; bit 17 (must be one)
 *   = 0x2_0000; sum = 0x3_0133
 * TCB 0xDB18_0000_0000_0304 on Milan/Genoa: boot loader = byte 0 = 0x04,
 * TEE = byte 1 = 0x03, SNP = byte 6 = 0x18, microcode = byte 7 = 0xDB.
 */
static void snp_policy_and_tcb(void **state)
{
	(void)state;
	uint64_t p = snp_policy_make(1, 51, SNP_POLICY_SMT);

	assert_int_equal(p, 0x30133ull);
	assert_int_equal(p & SNP_POLICY_RESERVED_MASK, 0);

	uint64_t tcb = 0xdb18000000000304ull;

	assert_int_equal(snp_tcb_byte(tcb, SNP_TCB_V1_BOOT_LOADER_BYTE), 0x04);
	assert_int_equal(snp_tcb_byte(tcb, SNP_TCB_V1_TEE_BYTE), 0x03);
	assert_int_equal(snp_tcb_byte(tcb, SNP_TCB_V1_SNP_BYTE), 0x18);
	assert_int_equal(snp_tcb_byte(tcb, SNP_TCB_V1_MICROCODE_BYTE), 0xdb);
}

/*
 * CPUID 8000_001F EBX: C-bit 51 (0x33), reduction 1, 4 VMPLs:
 *   0x33 | 1 << 6 | 4 << 12 = 0x33 + 0x40 + 0x4000 = 0x4073
 */
static void cpuid_sev_ebx(void **state)
{
	(void)state;
	assert_int_equal(cpuid_sev_cbit(0x4073), 51);
	assert_int_equal(cpuid_sev_phys_reduction(0x4073), 1);
	assert_int_equal(cpuid_sev_num_vmpls(0x4073), 4);
}

/*
 * Segment attribute (APM vol. 2 Table B-1) of the flat 64-bit code
 * descriptor 0x00AF_9B00_0000_FFFF: bits 47:40 = 0x9B -> attrib 7:0,
 * bits 55:52 = 0xA -> attrib 11:8, so attrib = 0xA9B (P, S, type B, L, G).
 */
static void segment_attributes(void **state)
{
	(void)state;
	uint16_t a = sev_seg_attr_from_descriptor(0x00af9b000000ffffull);

	assert_int_equal(a, 0xa9b);
	assert_true(a & SEV_SEG_ATTR_L);
	assert_true(a & SEV_SEG_ATTR_G);
	assert_false(a & SEV_SEG_ATTR_DB);
	assert_int_equal(a & SEV_SEG_ATTR_TYPE_MASK, 0xb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(svsm_call_encoding),
		cmocka_unit_test(svsm_pvalidate_entries),
		cmocka_unit_test(rmpadjust_attributes),
		cmocka_unit_test(ghcb_nae_info),
		cmocka_unit_test(ghcb_valid_bitmap),
		cmocka_unit_test(sev_status_from_vmsa_features),
		cmocka_unit_test(snp_policy_and_tcb),
		cmocka_unit_test(cpuid_sev_ebx),
		cmocka_unit_test(segment_attributes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
