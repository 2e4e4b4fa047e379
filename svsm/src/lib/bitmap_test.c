// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "svsmk/bitmap.h"

static void test_set_clear_test(void **state)
{
	(void)state;
	uint64_t m[BITMAP_WORDS(130)] = {0};
	bitmap_set(m, 0);
	bitmap_set(m, 63);
	bitmap_set(m, 64);
	bitmap_set(m, 129);
	assert_true(bitmap_test(m, 0) && bitmap_test(m, 63) && bitmap_test(m, 64));
	assert_false(bitmap_test(m, 1) || bitmap_test(m, 65) || bitmap_test(m, 128));
	assert_int_equal(bitmap_count(m, 130), 4);
	bitmap_clear(m, 63);
	assert_false(bitmap_test(m, 63));
	assert_int_equal(m[0], 1);
}

static void test_find_clear(void **state)
{
	(void)state;
	uint64_t m[BITMAP_WORDS(100)] = {0};
	for (size_t i = 0; i < 70; i++)
		bitmap_set(m, i);
	assert_int_equal(bitmap_find_clear(m, 100), 70);
	for (size_t i = 70; i < 100; i++)
		bitmap_set(m, i);
	assert_int_equal(bitmap_find_clear(m, 100), 100); /* full */
	/* Bits beyond nbits in the last word are not reported as free. */
	uint64_t n[1] = {0x7};
	assert_int_equal(bitmap_find_clear(n, 3), 3);
}

static void test_find_clear_run(void **state)
{
	(void)state;
	uint64_t m[BITMAP_WORDS(128)] = {0};
	bitmap_set(m, 2);
	bitmap_set(m, 10);
	assert_int_equal(bitmap_find_clear_run(m, 128, 2), 0);
	assert_int_equal(bitmap_find_clear_run(m, 128, 3), 3);
	assert_int_equal(bitmap_find_clear_run(m, 128, 8), 11);
	assert_int_equal(bitmap_find_clear_run(m, 128, 118), 128); /* none long enough */
	assert_int_equal(bitmap_find_clear_run(m, 128, 117), 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_clear_test),
		cmocka_unit_test(test_find_clear),
		cmocka_unit_test(test_find_clear_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
