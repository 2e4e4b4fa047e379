// SPDX-License-Identifier: MIT
/* page-bitmap: checked against a plain bool-per-page model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "page-bitmap.h"

#define NPAGES 1000 /* not a multiple of 64: the last word is partial */

static uint64_t model_count(const bool *m, uint64_t first, uint64_t count)
{
	uint64_t n = 0;

	for (uint64_t i = first; i < first + count; i++)
		n += m[i];
	return n;
}

static uint64_t model_find(const bool *m, uint64_t from, uint64_t end, bool v)
{
	for (uint64_t i = from; i < end; i++)
		if (m[i] == v)
			return i;
	return end;
}

static void test_starts_clear(void **state)
{
	struct page_bitmap b;

	(void)state;
	assert_int_equal(page_bitmap_init(&b, NPAGES), 0);
	assert_int_equal(page_bitmap_count(&b, 0, NPAGES), 0);
	assert_int_equal(page_bitmap_find(&b, 0, NPAGES, true), NPAGES);
	assert_int_equal(page_bitmap_find(&b, 5, NPAGES, false), 5);
	page_bitmap_free(&b);
}

static void test_word_edges(void **state)
{
	struct page_bitmap b;

	(void)state;
	assert_int_equal(page_bitmap_init(&b, NPAGES), 0);
	page_bitmap_assign(&b, 63, 2, true); /* straddles words 0 and 1 */
	assert_false(page_bitmap_test(&b, 62));
	assert_true(page_bitmap_test(&b, 63));
	assert_true(page_bitmap_test(&b, 64));
	assert_false(page_bitmap_test(&b, 65));
	assert_int_equal(page_bitmap_count(&b, 0, NPAGES), 2);
	assert_int_equal(page_bitmap_find(&b, 0, NPAGES, true), 63);
	assert_int_equal(page_bitmap_find(&b, 63, NPAGES, false), 65);
	/* end limits the search even when a hit lies beyond it */
	assert_int_equal(page_bitmap_find(&b, 0, 50, true), 50);
	page_bitmap_assign(&b, 0, NPAGES, true);
	assert_int_equal(page_bitmap_count(&b, 0, NPAGES), NPAGES);
	assert_int_equal(page_bitmap_find(&b, 0, NPAGES, false), NPAGES);
	page_bitmap_assign(&b, 128, 64, false); /* exactly one whole word */
	assert_int_equal(page_bitmap_count(&b, 0, NPAGES), NPAGES - 64);
	assert_int_equal(page_bitmap_find(&b, 100, NPAGES, false), 128);
	assert_int_equal(page_bitmap_find(&b, 128, NPAGES, true), 192);
	page_bitmap_free(&b);
}

static void test_random_against_model(void **state)
{
	static bool m[NPAGES];
	struct page_bitmap b;

	(void)state;
	memset(m, 0, sizeof(m));
	srand(1234);
	assert_int_equal(page_bitmap_init(&b, NPAGES), 0);
	for (int iter = 0; iter < 20000; iter++) {
		uint64_t first = (uint64_t)rand() % NPAGES;
		uint64_t count = 1 + (uint64_t)rand() % (NPAGES - first);
		bool v = rand() & 1;

		page_bitmap_assign(&b, first, count, v);
		for (uint64_t i = first; i < first + count; i++)
			m[i] = v;

		uint64_t a = (uint64_t)rand() % NPAGES;
		uint64_t n = 1 + (uint64_t)rand() % (NPAGES - a);
		assert_int_equal(page_bitmap_count(&b, a, n), model_count(m, a, n));
		assert_int_equal(page_bitmap_find(&b, a, a + n, true),
				 model_find(m, a, a + n, true));
		assert_int_equal(page_bitmap_find(&b, a, a + n, false),
				 model_find(m, a, a + n, false));
		assert_int_equal(page_bitmap_test(&b, a), m[a]);
	}
	page_bitmap_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_clear),
		cmocka_unit_test(test_word_edges),
		cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
