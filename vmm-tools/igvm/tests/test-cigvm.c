/* SPDX-License-Identifier: MIT */
/* libcigvm unit tests (cmocka): writer/parser round trips and validation errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cigvm.h"

static void *build_small(size_t *len, uint64_t second_gpa)
{
	struct cigvm_error err;
	cigvm_builder *b = cigvm_builder_new(IGVM_FORMAT_VERSION_1);
	uint8_t page[4096], vmsa[4096];
	void *buf = NULL;

	memset(page, 0x5a, sizeof(page));
	memset(vmsa, 0x11, sizeof(vmsa));
	assert_non_null(b);
	assert_int_equal(cigvm_builder_add_platform(b, 1, IGVM_PLATFORM_SEV_SNP, 0, 0, &err), 0);
	assert_int_equal(cigvm_builder_add_guest_policy(b, 1, 0x30000, &err), 0);
	assert_int_equal(cigvm_builder_add_pages(b, 0x10000, 1, 0, IGVM_PAGE_DATA_TYPE_NORMAL, page,
						 sizeof(page), &err),
			 0);
	assert_int_equal(cigvm_builder_add_pages(b, second_gpa, 1, 0, IGVM_PAGE_DATA_TYPE_NORMAL,
						 NULL, 0, &err),
			 0);
	assert_int_equal(
		cigvm_builder_add_vp_context(b, 0xfffffffff000ull, 1, 0, vmsa, sizeof(vmsa), &err),
		0);
	if (cigvm_builder_write_buffer(b, &buf, len, &err) != 0)
		buf = NULL;
	cigvm_builder_free(b);
	return buf;
}

static void test_round_trip(void **state)
{
	struct cigvm_error err;
	cigvm_file *f = NULL;
	size_t len = 0;
	uint8_t data[4096];
	void *buf = build_small(&len, 0x11000);
	const struct igvm_vhs_page_data *pd;

	(void)state;
	assert_non_null(buf);
	assert_int_equal(cigvm_parse_buffer(buf, len, 0, &f, &err), 0);
	assert_int_equal(cigvm_header_count(f), 5);
	assert_non_null(cigvm_header_supported_platform(cigvm_header_at(f, 0)));
	assert_null(cigvm_header_page_data(cigvm_header_at(f, 0)));
	pd = cigvm_header_page_data(cigvm_header_at(f, 2));
	assert_non_null(pd);
	assert_int_equal(pd->gpa, 0x10000);
	assert_int_equal(cigvm_page_data_read(f, pd, data, sizeof(data), &err), 0);
	assert_int_equal(data[0], 0x5a);
	assert_int_equal(data[4095], 0x5a);
	pd = cigvm_header_page_data(cigvm_header_at(f, 3));
	assert_int_equal(pd->file_offset, 0); /* a zero page carries no data */
	assert_int_equal(cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP), 1);
	assert_int_equal(cigvm_platform_mask(f, IGVM_PLATFORM_TDX), 0);
	cigvm_close(f);
	free(buf);
}

static void test_overlap_refused_by_writer(void **state)
{
	size_t len = 0;
	void *buf = build_small(&len, 0x10000);

	(void)state;
	assert_null(buf);
}

static void test_every_truncation_fails_cleanly(void **state)
{
	struct cigvm_error err;
	size_t len = 0;
	uint8_t *buf = build_small(&len, 0x11000);

	(void)state;
	assert_non_null(buf);
	for (size_t n = 0; n < len; n += 7) {
		cigvm_file *f = (cigvm_file *)1;

		memset(&err, 0, sizeof(err));
		assert_true(cigvm_parse_buffer(buf, n, 0, &f, &err) < 0);
		assert_null(f);
		assert_true(err.message[0] != 0);
	}
	free(buf);
}

static void test_flipped_bits_detected(void **state)
{
	struct cigvm_error err;
	size_t len = 0;
	uint8_t *buf = build_small(&len, 0x11000);

	(void)state;
	/* Any single-bit change in the headers breaks the CRC-32. */
	for (size_t i = 0; i < 0x18 + 144; i += 3) { /* fixed + variable headers */
		cigvm_file *f = NULL;
		int rc;

		buf[i] ^= 0x04;
		rc = cigvm_parse_buffer(buf, len, 0, &f, &err);
		assert_true(rc < 0);
		buf[i] ^= 0x04;
	}
	free(buf);
}

static void test_launch_digest_zero_types(void **state)
{
	struct cigvm_error err;
	struct cigvm_ld a, b;
	uint8_t zeros[48] = {0};

	(void)state;
	cigvm_ld_init(&a);
	cigvm_ld_init(&b);
	/* Types that are not hashed ignore the page argument. */
	assert_int_equal(cigvm_ld_update(&a, 0x1000, 3, NULL, &err), 0);
	assert_int_equal(cigvm_ld_update_hashed(&b, 0x1000, 3, zeros, &err), 0);
	assert_memory_equal(a.digest, b.digest, 48);
	assert_true(cigvm_ld_update(&a, 0x1001, 3, NULL, &err) < 0);
	assert_true(cigvm_ld_update(&a, 0x1000, 7, NULL, &err) < 0);
	assert_true(cigvm_ld_update(&a, 0x1000, 1, NULL, &err) < 0);
	assert_int_equal(a.pages, 1);
}

/* Each case adds headers after a valid SNP platform + policy prefix; the writer (which
 * re-parses its output) must refuse the result with the given status. */
enum bad_case {
	BAD_MASK_TWO_BITS,
	BAD_VTL,
	BAD_POLICY_MBO,
	BAD_PAGE_FLAGS,
	BAD_2M_ALIGN,
	BAD_AREA_UNDECLARED,
	BAD_AREA_TWICE,
	BAD_INSERT_TWICE,
	BAD_PARAM_OFFSET,
	BAD_PARAM_AFTER_INSERT,
	BAD_VP_TWICE,
	BAD_REQ_MEM_ALIGN,
	BAD_DATA_TYPE,
	BAD_COUNT
};

static int add_bad(cigvm_builder *b, enum bad_case c, struct cigvm_error *err)
{
	struct igvm_vhs_page_data pd = {.gpa = 0x200000, .compatibility_mask = 1};
	uint8_t vmsa[64] = {1};

	switch (c) {
	case BAD_MASK_TWO_BITS:
		return cigvm_builder_add_platform(b, 6, IGVM_PLATFORM_NATIVE, 0, 0, err);
	case BAD_VTL:
		return cigvm_builder_add_platform(b, 2, IGVM_PLATFORM_NATIVE, 1, 0, err);
	case BAD_POLICY_MBO:
		return cigvm_builder_add_guest_policy(b, 1, 0x10000, err);
	case BAD_PAGE_FLAGS:
		pd.flags = 0x100;
		return cigvm_builder_add_raw(b, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), err);
	case BAD_2M_ALIGN:
		pd.gpa = 0x201000;
		pd.flags = IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE;
		return cigvm_builder_add_raw(b, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), err);
	case BAD_DATA_TYPE:
		pd.data_type = 7;
		return cigvm_builder_add_raw(b, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), err);
	case BAD_AREA_UNDECLARED:
		return cigvm_builder_add_parameter_insert(b, 0x1000, 1, 5, err);
	case BAD_AREA_TWICE:
		return cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, err) ||
		       cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, err);
	case BAD_INSERT_TWICE:
		return cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, err) ||
		       cigvm_builder_add_parameter_insert(b, 0x1000, 1, 0, err) ||
		       cigvm_builder_add_parameter_insert(b, 0x2000, 1, 0, err);
	case BAD_PARAM_OFFSET:
		return cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, err) ||
		       cigvm_builder_add_parameter(b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 4093, err);
	case BAD_PARAM_AFTER_INSERT:
		return cigvm_builder_add_parameter_area(b, 0, 4096, NULL, 0, err) ||
		       cigvm_builder_add_parameter_insert(b, 0x1000, 1, 0, err) ||
		       cigvm_builder_add_parameter(b, IGVM_VHT_MEMORY_MAP, 0, 0, err);
	case BAD_VP_TWICE:
		return cigvm_builder_add_vp_context(b, 0xfffffffff000ull, 1, 0, vmsa, sizeof(vmsa),
						    err) ||
		       cigvm_builder_add_vp_context(b, 0xffffffffe000ull, 1, 0, vmsa, sizeof(vmsa),
						    err);
	case BAD_REQ_MEM_ALIGN:
		return cigvm_builder_add_required_memory(b, 0x1000, 1, 0x800, 0, err);
	default:
		return -1;
	}
}

static void test_rules(void **state)
{
	static const int expect[BAD_COUNT] = {
		[BAD_MASK_TWO_BITS] = CIGVM_ERR_MASK,
		[BAD_VTL] = CIGVM_ERR_HEADER,
		[BAD_POLICY_MBO] = CIGVM_ERR_HEADER,
		[BAD_PAGE_FLAGS] = CIGVM_ERR_HEADER,
		[BAD_2M_ALIGN] = CIGVM_ERR_ALIGNMENT,
		[BAD_AREA_UNDECLARED] = CIGVM_ERR_PARAMETER,
		[BAD_AREA_TWICE] = CIGVM_ERR_PARAMETER,
		[BAD_INSERT_TWICE] = CIGVM_ERR_PARAMETER,
		[BAD_PARAM_OFFSET] = CIGVM_ERR_BOUNDS,
		[BAD_PARAM_AFTER_INSERT] = CIGVM_ERR_PARAMETER,
		[BAD_VP_TWICE] = CIGVM_ERR_HEADER,
		[BAD_REQ_MEM_ALIGN] = CIGVM_ERR_ALIGNMENT,
		[BAD_DATA_TYPE] = CIGVM_ERR_HEADER,
	};

	(void)state;
	for (int c = 0; c < BAD_COUNT; c++) {
		struct cigvm_error err;
		cigvm_builder *b = cigvm_builder_new(IGVM_FORMAT_VERSION_1);
		void *buf = NULL;
		size_t len = 0;
		int rc;

		assert_int_equal(
			cigvm_builder_add_platform(b, 1, IGVM_PLATFORM_SEV_SNP, 0, 0, &err), 0);
		if (c != BAD_POLICY_MBO && c != BAD_MASK_TWO_BITS && c != BAD_VTL)
			assert_int_equal(cigvm_builder_add_guest_policy(b, 1, 0x30000, &err), 0);
		assert_int_equal(add_bad(b, (enum bad_case)c, &err), 0);
		memset(&err, 0, sizeof(err));
		rc = cigvm_builder_write_buffer(b, &buf, &len, &err);
		if (rc != expect[c])
			print_error("case %d: got %d (%s), expected %d\n", c, rc, err.message,
				    expect[c]);
		assert_int_equal(rc, expect[c]);
		assert_null(buf);
		assert_true(err.message[0] != 0);
		cigvm_builder_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_overlap_refused_by_writer),
		cmocka_unit_test(test_every_truncation_fails_cleanly),
		cmocka_unit_test(test_flipped_bits_detected),
		cmocka_unit_test(test_launch_digest_zero_types),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
