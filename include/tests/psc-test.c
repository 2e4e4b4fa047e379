// SPDX-License-Identifier: MIT
/*
 * Page State Change entry helpers (include/sev/psc.h) against values worked
 * out by hand from GHCB spec 56421 section 4.1.6: CUR_PAGE [11:0],
 * GFN [51:12], OPERATION [55:52], PAGE_SIZE [56], reserved [63:57].
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sev/psc.h"

/*
 * GFN 0x12345, private (1), 2 MiB, 0x1FF pages done:
 *   cur_page             = 0x0000_0000_0000_01FF
 *   0x12345 << 12        = 0x0000_0000_1234_5000
 *   op 1 << 52           = 0x0010_0000_0000_0000
 *   size 1 << 56         = 0x0100_0000_0000_0000
 *   sum                  = 0x0110_0000_1234_51FF
 */
static void private_2m_entry(void **state)
{
	(void)state;
	uint64_t e = snp_psc_entry(0x12345, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0x1ff);

	assert_int_equal(e, 0x01100000123451ffull);
	assert_int_equal(snp_psc_entry_gfn(e), 0x12345);
	assert_int_equal(snp_psc_entry_op(e), SNP_PSC_OP_PRIVATE);
	assert_int_equal(snp_psc_entry_page_size(e), SNP_PSC_PAGE_2M);
	assert_int_equal(snp_psc_entry_cur_page(e), 0x1ff);
	assert_true(snp_psc_entry_reserved_clear(e));
}

/*
 * GFN 0xABCDE, UNSMASH (4), 4 KiB, cur 0:
 *   4 << 52 = 0x0040_0000_0000_0000; 0xABCDE << 12 = 0xABCD_E000
 *   sum     = 0x0040_0000_ABCD_E000
 * PSMASH (3): 3 << 52 = 0x0030_0000_0000_0000 -> 0x0030_0000_ABCD_E000
 * Shared (2): 2 << 52 = 0x0020_0000_0000_0000 -> 0x0020_0000_ABCD_E000
 */
static void other_operations(void **state)
{
	(void)state;
	assert_int_equal(snp_psc_entry(0xabcde, SNP_PSC_OP_UNSMASH, SNP_PSC_PAGE_4K, 0),
			 0x00400000abcde000ull);
	assert_int_equal(snp_psc_entry(0xabcde, SNP_PSC_OP_PSMASH, SNP_PSC_PAGE_4K, 0),
			 0x00300000abcde000ull);
	assert_int_equal(snp_psc_entry(0xabcde, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0),
			 0x00200000abcde000ull);
	assert_int_equal(snp_psc_entry_op(0x00400000abcde000ull), 4);
	assert_int_equal(snp_psc_entry_page_size(0x00400000abcde000ull), 0);
}

/*
 * Out-of-range inputs are cut to their fields and never reach reserved bits:
 *   cur_page 0x1000 -> 0x000 (12 bits); GFN 0x1_00_0000_0000 (bit 40) -> 0;
 *   op 0x15 -> 0x5; page_size 3 -> 1. So op 5 << 52 | 1 << 56
 *   = 0x0150_0000_0000_0000.
 */
static void fields_do_not_overflow(void **state)
{
	(void)state;
	uint64_t e = snp_psc_entry(0x10000000000ull, 0x15, 3, 0x1000);

	assert_int_equal(e, 0x0150000000000000ull);
	assert_true(snp_psc_entry_reserved_clear(e));
}

/* Bit 57 is reserved: 0x0200_0000_0000_0000 must be reported. */
static void reserved_bits_detected(void **state)
{
	(void)state;
	assert_false(snp_psc_entry_reserved_clear(0x0200000000000000ull));
	assert_false(snp_psc_entry_reserved_clear(0x8000000000000000ull));
	assert_true(snp_psc_entry_reserved_clear(0x01ffffffffffffffull));
}

/*
 * The descriptor fills the 2032-byte GHCB shared buffer:
 * 8-byte header + 253 * 8 = 8 + 2024 = 2032.
 */
static void descriptor_fills_shared_buffer(void **state)
{
	(void)state;
	struct snp_psc_desc d = {0};
	unsigned char raw[sizeof(d)];
	uint64_t last;

	d.hdr.end_entry = SNP_PSC_MAX_ENTRIES - 1;
	d.entries[SNP_PSC_MAX_ENTRIES - 1] = snp_psc_entry(1, SNP_PSC_OP_SHARED, 0, 0);
	assert_int_equal(sizeof(d), 2032);
	/* Entry 252 sits at byte 8 + 252 * 8 = 2024: 1 << 12 | 2 << 52. */
	memcpy(raw, &d, sizeof(d));
	memcpy(&last, raw + 8 + 252 * 8, sizeof(last));
	assert_int_equal(last, 0x0020000000001000ull);
	/* end_entry 252 = 0x00FC little-endian at bytes 2-3. */
	assert_int_equal(raw[2], 0xfc);
	assert_int_equal(raw[3], 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(private_2m_entry),
		cmocka_unit_test(other_operations),
		cmocka_unit_test(fields_do_not_overflow),
		cmocka_unit_test(reserved_bits_detected),
		cmocka_unit_test(descriptor_fills_shared_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
