// SPDX-License-Identifier: MIT
/* Host unit tests of the page-table builder; "physical" addresses are host pointers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "svsmk/compiler.h"
#include "svsmk/pgtable.h"

#define MAX_TABLES 64

struct ctx {
	void *tables[MAX_TABLES];
	int n;
	int fail_after; /* simulate allocation failure */
};

static uint64_t alloc_table(void *c)
{
	struct ctx *x = c;
	if (x->n >= MAX_TABLES || x->n == x->fail_after)
		return 0;
	void *p = aligned_alloc(4096, 4096);
	memset(p, 0, 4096);
	x->tables[x->n++] = p;
	return (uint64_t)(uintptr_t)p;
}

static uint64_t *table_va(void *c, uint64_t pa)
{
	(void)c;
	return addr_to_ptr(pa);
}

struct fixture {
	struct ctx ctx;
	struct pt_ops ops;
	struct pgtable pt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->ctx.fail_after = -1;
	f->ops = (struct pt_ops){alloc_table, table_va, &f->ctx};
	f->pt.ops = &f->ops;
	f->pt.root_pa = alloc_table(&f->ctx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	for (int i = 0; i < f->ctx.n; i++)
		free(f->ctx.tables[i]);
	free(f);
	return 0;
}

#define KVA 0xffffffff80000000ULL

static void test_map_4k_and_lookup(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pt_map(&f->pt, KVA + 0x5000, 0x123000, 0x2000, PAGE_SIZE, PTE_RW | PTE_NX),
			 0);
	uint64_t pa, flags, size;
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x5abc, &pa, &flags, &size), 0);
	assert_int_equal(pa, 0x123abc);
	assert_int_equal(size, PAGE_SIZE);
	assert_true(flags & PTE_P);
	assert_true(flags & PTE_RW);
	assert_true(flags & PTE_NX);
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x6010, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x124010);
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x7000, &pa, NULL, NULL), -ENOENT);
	/* PML4 + PDPT + PD + PT. */
	assert_int_equal(f->ctx.n, 4);
	/* The PML4 entry for the top 512 GiB is slot 511, the PDPT slot 510. */
	uint64_t *pml4 = table_va(NULL, f->pt.root_pa);
	assert_true(pml4[511] & PTE_P);
	uint64_t *pdpt = table_va(NULL, pml4[511] & PTE_ADDR_MASK);
	assert_true(pdpt[510] & PTE_P);
}

static void test_map_2m(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pt_map(&f->pt, KVA + LARGE_PAGE_SIZE, 0x40000000, LARGE_PAGE_SIZE,
				LARGE_PAGE_SIZE, PTE_RW),
			 0);
	uint64_t pa, flags, size;
	assert_int_equal(pt_lookup(&f->pt, KVA + LARGE_PAGE_SIZE + 0x12345, &pa, &flags, &size), 0);
	assert_int_equal(pa, 0x40012345);
	assert_int_equal(size, LARGE_PAGE_SIZE);
	assert_true(flags & PTE_PS);
	assert_int_equal(f->ctx.n, 3); /* no PT for a 2M page */
	/* A 4K mapping cannot go where the 2M page is. */
	assert_int_not_equal(pt_map(&f->pt, KVA + LARGE_PAGE_SIZE, 0x1000, PAGE_SIZE, PAGE_SIZE, 0),
			     0);
	assert_int_equal(pt_unmap(&f->pt, KVA + LARGE_PAGE_SIZE + 0x1000), 0);
	assert_int_equal(pt_lookup(&f->pt, KVA + LARGE_PAGE_SIZE, NULL, NULL, NULL), -ENOENT);
}

static void test_rejects_bad_requests(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(pt_map(&f->pt, KVA + 1, 0, PAGE_SIZE, PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(pt_map(&f->pt, KVA, 0x800, PAGE_SIZE, PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(pt_map(&f->pt, KVA, 0x1000, PAGE_SIZE, 8192, 0), -EINVAL);
	assert_int_equal(pt_map(&f->pt, KVA, 0x200000, PAGE_SIZE, LARGE_PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(pt_map(&f->pt, 0x0000800000000000ULL, 0, PAGE_SIZE, PAGE_SIZE, 0),
			 -EINVAL);
	assert_int_equal(pt_map(&f->pt, KVA, 1ULL << 52, PAGE_SIZE, PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(pt_map(&f->pt, KVA, 0, 0, PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(pt_lookup(&f->pt, 0x0000900000000000ULL, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(f->ctx.n, 1); /* nothing allocated by rejected calls */
	assert_int_equal(pt_map(&f->pt, KVA, 0x1000, PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(pt_map(&f->pt, KVA, 0x2000, PAGE_SIZE, PAGE_SIZE, 0), -EEXIST);
	assert_int_equal(pt_unmap(&f->pt, KVA + PAGE_SIZE), -ENOENT);
}

static void test_map_range_mixes_sizes(void **state)
{
	struct fixture *f = *state;
	/* 1 MiB of 4K pages, two 2M pages, then 1 MiB of 4K pages. */
	uint64_t va = KVA + 0x100000, pa = 0x10100000, size = 0x600000;
	assert_int_equal(pt_map_range(&f->pt, va, pa, size, PTE_RW), 0);
	int small = 0, large = 0;
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t got, psize;
		assert_int_equal(pt_lookup(&f->pt, va + off, &got, NULL, &psize), 0);
		assert_int_equal(got, pa + off);
		if (psize == PAGE_SIZE)
			small++;
		else if (((va + off) & (LARGE_PAGE_SIZE - 1)) == 0)
			large++;
	}
	assert_int_equal(small, 512);
	assert_int_equal(large, 2);
}

static void test_alloc_failure_reported(void **state)
{
	struct fixture *f = *state;
	f->ctx.fail_after = 2;
	assert_int_equal(pt_map(&f->pt, KVA, 0x1000, PAGE_SIZE, PAGE_SIZE, 0), -ENOMEM);
	assert_null(pt_leaf_entry(&f->pt, KVA, 1));
}

static void test_share_slot(void **state)
{
	struct fixture *f = *state;
	struct pgtable other = {alloc_table(&f->ctx), f->pt.ops, 0};
	assert_int_equal(pt_map(&f->pt, KVA, 0x5000, PAGE_SIZE, PAGE_SIZE, 0), 0);
	pt_share_slot(&other, &f->pt, 511);
	uint64_t pa;
	assert_int_equal(pt_lookup(&other, KVA, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x5000);
	/* Later mappings under the shared subtree are visible through both roots. */
	assert_int_equal(pt_map(&f->pt, KVA + PAGE_SIZE, 0x9000, PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(pt_lookup(&other, KVA + PAGE_SIZE, &pa, NULL, NULL), 0);
	assert_int_equal(pa, 0x9000);
	/* Other slots stay private. */
	assert_int_equal(pt_map(&other, 0xffffff0000000000ULL, 0x7000, PAGE_SIZE, PAGE_SIZE, 0), 0);
	assert_int_equal(pt_lookup(&f->pt, 0xffffff0000000000ULL, NULL, NULL, NULL), -ENOENT);
}

/* SEV: the C-bit goes into every table entry and every private leaf, never into a
 * PT_FLAG_SHARED leaf, and is stripped from the addresses read back. */
static void test_enc_mask(void **state)
{
	struct fixture *f = *state;
	const uint64_t cbit = 1ULL << 51;
	f->pt.enc_mask = cbit;
	assert_int_equal(pt_map(&f->pt, KVA, 0x400000, 0x1000, PAGE_SIZE, PTE_RW | PTE_NX), 0);
	assert_int_equal(pt_map(&f->pt, KVA + 0x1000, 0x401000, 0x1000, PAGE_SIZE,
				PTE_RW | PTE_NX | PT_FLAG_SHARED),
			 0);
	assert_int_equal(
		pt_map(&f->pt, KVA + 0x200000, 0x600000, 0x200000, LARGE_PAGE_SIZE, PTE_RW), 0);
	uint64_t *priv = pt_leaf_entry(&f->pt, KVA, 0);
	uint64_t *shared = pt_leaf_entry(&f->pt, KVA + 0x1000, 0);
	assert_non_null(priv);
	assert_non_null(shared);
	assert_true(*priv & cbit);
	assert_false(*shared & cbit);
	uint64_t *pml4 = addr_to_ptr(f->pt.root_pa);
	assert_true(pml4[511] & cbit);
	uint64_t pa, flags, size;
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x10, &pa, &flags, &size), 0);
	assert_int_equal(pa, 0x400010);
	assert_true(flags & cbit);
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x1010, &pa, &flags, &size), 0);
	assert_int_equal(pa, 0x401010);
	assert_false(flags & cbit);
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x200abc, &pa, NULL, &size), 0);
	assert_int_equal(pa, 0x600abc);
	assert_int_equal(size, LARGE_PAGE_SIZE);
	assert_int_equal(pt_unmap(&f->pt, KVA + 0x200000), 0);
	assert_int_equal(pt_lookup(&f->pt, KVA + 0x200abc, &pa, NULL, NULL), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_4k_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enc_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_2m, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rejects_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_range_mixes_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_failure_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_share_slot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
