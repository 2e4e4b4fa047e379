// SPDX-License-Identifier: MIT
/* Host unit tests of the buddy allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "svsmk/buddy.h"
#include "svsmk/compiler.h"

#define ARENA (4UL << 20) /* 1024 pages */

static void *arena_new(void)
{
	void *a = aligned_alloc(BUDDY_PAGE_SIZE, ARENA);
	assert_non_null(a);
	return a;
}

static void test_init_rejects_bad_arena(void **state)
{
	(void)state;
	struct buddy b;
	char *a = arena_new();
	assert_int_equal(buddy_init(&b, a + 8, ARENA - BUDDY_PAGE_SIZE, false), -EINVAL);
	assert_int_equal(buddy_init(&b, a, BUDDY_PAGE_SIZE, false), -EINVAL);
	free(a);
}

static void test_alloc_free_restores_everything(void **state)
{
	(void)state;
	struct buddy b;
	void *a = arena_new();
	assert_int_equal(buddy_init(&b, a, ARENA, false), 0);
	assert_int_equal(buddy_check(&b), 0);
	/* 1024 pages, one used by the state array. */
	assert_int_equal(b.free_pages, 1023);
	size_t before = b.free_pages;
	void *p[BUDDY_MAX_ORDER + 1];
	for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++) {
		p[o] = buddy_alloc(&b, o);
		assert_non_null(p[o]);
		/* Blocks are aligned to their size relative to the arena. */
		assert_int_equal(((uintptr_t)p[o] - (uintptr_t)a) % (BUDDY_PAGE_SIZE << o), 0);
		assert_int_equal(buddy_block_order(&b, p[o]), (int)o);
		memset(p[o], 0xee, BUDDY_PAGE_SIZE << o); /* the whole block is usable */
		assert_int_equal(buddy_check(&b), 0);
	}
	assert_int_equal(b.free_pages, before - ((1UL << BUDDY_MAX_ORDER) - 1));
	for (unsigned int o = 0; o < BUDDY_MAX_ORDER; o++)
		assert_int_equal(buddy_free(&b, p[o], o), 0);
	assert_int_equal(b.free_pages, before);
	assert_int_equal(buddy_check(&b), 0);
	free(a);
}

static void test_merge_makes_large_block_again(void **state)
{
	(void)state;
	struct buddy b;
	void *a = arena_new();
	assert_int_equal(buddy_init(&b, a, ARENA, false), 0);
	/* Take every page one at a time, give them all back, then the 2 MiB blocks exist again. */
	void **pages = calloc(1024, sizeof(void *));
	size_t n = 0;
	void *p;
	while ((p = buddy_alloc(&b, 0)) != NULL)
		pages[n++] = p;
	assert_int_equal(n, 1023);
	assert_null(buddy_alloc(&b, 0));
	assert_int_equal(b.free_pages, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buddy_free(&b, pages[n - 1 - i], 0), 0);
	assert_int_equal(buddy_check(&b), 0);
	assert_non_null(buddy_alloc(&b, 9));
	free(pages);
	free(a);
}

static void test_bad_free_changes_nothing(void **state)
{
	(void)state;
	struct buddy b;
	char *a = arena_new();
	assert_int_equal(buddy_init(&b, a, ARENA, false), 0);
	char *p = buddy_alloc(&b, 2);
	size_t free_before = b.free_pages;
	assert_int_equal(buddy_free(&b, p, 1), -EINVAL);	/* wrong order */
	assert_int_equal(buddy_free(&b, p + 8, 2), -EINVAL);	/* unaligned */
	assert_int_equal(buddy_free(&b, p + 4096, 0), -EINVAL); /* tail page */
	assert_int_equal(buddy_free(&b, a - 4096, 0), -EINVAL); /* outside */
	assert_int_equal(buddy_free(&b, a, 0), -EINVAL);	/* allocator metadata */
	assert_int_equal(b.free_pages, free_before);
	assert_int_equal(buddy_free(&b, p, 2), 0);
	assert_int_equal(buddy_free(&b, p, 2), -EINVAL); /* double free */
	assert_int_equal(buddy_check(&b), 0);
	assert_null(buddy_alloc(&b, BUDDY_MAX_ORDER + 1));
	free(a);
}

static void test_poison_on_free(void **state)
{
	(void)state;
	struct buddy b;
	void *a = arena_new();
	assert_int_equal(buddy_init(&b, a, ARENA, true), 0);
	unsigned char *p = buddy_alloc(&b, 0);
	memset(p, 0, BUDDY_PAGE_SIZE);
	assert_int_equal(buddy_free(&b, p, 0), 0);
	/* The free-list node overwrites the first bytes; the rest carries the poison. */
	for (size_t i = sizeof(struct buddy_node); i < BUDDY_PAGE_SIZE; i++)
		assert_int_equal(p[i], POISON_FREE_PAGE);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_arena),
		cmocka_unit_test(test_alloc_free_restores_everything),
		cmocka_unit_test(test_merge_makes_large_block_again),
		cmocka_unit_test(test_bad_free_changes_nothing),
		cmocka_unit_test(test_poison_on_free),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
