// SPDX-License-Identifier: MIT
/* Host unit tests of the slab heap (kmalloc/kfree semantics, debug poisoning). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "svsmk/slab.h"

#define ARENA (4UL << 20)

static const char *last_report;
static const void *last_ptr;

static void record(const char *what, const void *p)
{
	last_report = what;
	last_ptr = p;
}

struct fixture {
	void *arena;
	struct buddy b;
	struct heap h;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->arena = aligned_alloc(BUDDY_PAGE_SIZE, ARENA);
	if (buddy_init(&f->b, f->arena, ARENA, false))
		return -1;
	heap_init(&f->h, &f->b, true, record);
	last_report = NULL;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	free(f->arena);
	free(f);
	return 0;
}

static void test_sizes_distinct_and_restored(void **state)
{
	struct fixture *f = *state;
	size_t before = f->b.free_pages;
	static const size_t sizes[] = {1, 8, 16, 17, 100, 512, 1000, 2048, 2049, 4096, 9000, 70000};
	void *p[sizeof(sizes) / sizeof(sizes[0])][5];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int k = 0; k < 5; k++) {
			p[i][k] = heap_alloc(&f->h, sizes[i]);
			assert_non_null(p[i][k]);
			assert_true(heap_size(&f->h, p[i][k]) >= sizes[i]);
			memset(p[i][k], (int)(i * 5 + k), sizes[i]);
		}
	}
	/* No two allocations overlap: every block still holds its own fill byte. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int k = 0; k < 5; k++) {
			const unsigned char *c = p[i][k];
			for (size_t j = 0; j < sizes[i]; j++)
				assert_int_equal(c[j], (unsigned char)(i * 5 + k));
		}
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int k = 0; k < 5; k++)
			heap_free(&f->h, p[i][k]);
	}
	assert_null(last_report);
	assert_int_equal(f->b.free_pages, before);
	assert_int_equal(buddy_check(&f->b), 0);
	assert_null(heap_alloc(&f->h, 0));
}

static void test_double_free_detected(void **state)
{
	struct fixture *f = *state;
	void *keep = heap_alloc(&f->h, 64); /* keeps the slab alive */
	void *p = heap_alloc(&f->h, 64);
	heap_free(&f->h, p);
	assert_null(last_report);
	heap_free(&f->h, p);
	assert_string_equal(last_report, "double free");
	assert_ptr_equal(last_ptr, p);
	assert_int_equal(f->h.corruptions, 1);
	/* The free list is intact: two allocations give two different objects. */
	void *a = heap_alloc(&f->h, 64), *b = heap_alloc(&f->h, 64);
	assert_ptr_not_equal(a, b);
	heap_free(&f->h, a);
	heap_free(&f->h, b);
	heap_free(&f->h, keep);
}

static void test_poison_patterns(void **state)
{
	struct fixture *f = *state;
	void *keep = heap_alloc(&f->h, 128);
	unsigned char *p = heap_alloc(&f->h, 128);
	for (int i = 0; i < 128; i++)
		assert_int_equal(p[i], POISON_ALLOC);
	heap_free(&f->h, p);
	for (size_t i = sizeof(void *); i < 128; i++)
		assert_int_equal(p[i], POISON_FREE);
	heap_free(&f->h, keep);
}

static void test_write_after_free_detected(void **state)
{
	struct fixture *f = *state;
	void *keep = heap_alloc(&f->h, 256);
	unsigned char *p = heap_alloc(&f->h, 256);
	heap_free(&f->h, p);
	p[100] = 0; /* use after free */
	void *again = heap_alloc(&f->h, 256);
	assert_ptr_equal(again, p); /* LIFO free list hands the same object back */
	assert_string_equal(last_report, "write after free");
	heap_free(&f->h, again);
	heap_free(&f->h, keep);
}

static void test_invalid_free_reported(void **state)
{
	struct fixture *f = *state;
	char *p = heap_alloc(&f->h, 512);
	heap_free(&f->h, p + 8);
	assert_string_equal(last_report, "invalid free");
	char *big = heap_alloc(&f->h, 3 * 4096);
	heap_free(&f->h, big + 4096);
	assert_int_equal(f->h.corruptions, 2);
	heap_free(&f->h, big);
	heap_free(&f->h, p);
	assert_int_equal(f->h.corruptions, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sizes_distinct_and_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_double_free_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_poison_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_after_free_detected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_free_reported, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
