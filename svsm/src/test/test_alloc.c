// SPDX-License-Identifier: MIT
/* In-SVSM allocator tests (debug build: poisoning and corruption reports are on). */
#include "svsmk/kmalloc.h"
#include "svsmk/mm.h"
#include "svsmk/smp.h"
#include "svsmk/spinlock.h"
#include "svsmk/string.h"
#include "svsmk/test.h"

SVSM_TEST(buddy_orders_and_merge)
{
	size_t before = kernel_buddy.free_pages;
	void *p[6];
	for (unsigned int o = 0; o < 6; o++) {
		p[o] = alloc_pages(o);
		KT_ASSERT(p[o] != NULL);
		KT_ASSERT(pa_in_svsm(virt_to_phys(p[o]), 4096UL << o));
		memset(p[o], 0x11, 4096UL << o);
	}
	KT_ASSERT_EQ(kernel_buddy.free_pages, before - 63);
	for (unsigned int o = 0; o < 6; o++)
		free_pages(p[o], o);
	KT_ASSERT_EQ(kernel_buddy.free_pages, before);
	KT_ASSERT_EQ(buddy_check(&kernel_buddy), 0);
}

SVSM_TEST(kmalloc_sizes_and_poison)
{
	static const size_t sizes[] = {1, 24, 64, 300, 2048, 2049, 12000};
	void *p[ARRAY_SIZE(sizes)];
	size_t before = kernel_buddy.free_pages;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(p[i] != NULL);
		/* Test builds fill fresh objects with POISON_ALLOC. */
		KT_ASSERT_EQ(((unsigned char *)p[i])[sizes[i] - 1], POISON_ALLOC);
		KT_ASSERT(heap_size(&kernel_heap, p[i]) >= sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	KT_ASSERT_EQ(kernel_buddy.free_pages, before);
	unsigned char *z = kzalloc(100);
	KT_ASSERT(z != NULL);
	for (int i = 0; i < 100; i++)
		KT_ASSERT_EQ(z[i], 0);
	kfree(z);
}

SVSM_TEST(kfree_double_free_reported)
{
	size_t before = kernel_heap.corruptions;
	void *keep = kmalloc(32);
	void *p = kmalloc(32);
	kfree(p);
	/* Reading the freed object on purpose: it must carry the poison. */
	KT_ASSERT_EQ(((unsigned char *)p)[31], POISON_FREE); // NOLINT(clang-analyzer-unix.Malloc)
	kfree(p);
	KT_ASSERT_EQ(kernel_heap.corruptions, before + 1);
	kfree(keep);
	kernel_heap.corruptions = before; /* expected report, not a real corruption */
}

static volatile uint32_t alloc_errors;

static void alloc_storm(void *arg)
{
	(void)arg;
	void *p[16];
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 16; i++) {
			p[i] = kmalloc((size_t)16 << (i % 8));
			if (!p[i]) {
				__atomic_fetch_add(&alloc_errors, 1, __ATOMIC_RELAXED);
				continue;
			}
			memset(p[i], (int)smp_this_index(), 16);
		}
		for (int i = 0; i < 16; i++) {
			if (p[i] && ((unsigned char *)p[i])[15] != smp_this_index())
				__atomic_fetch_add(&alloc_errors, 1, __ATOMIC_RELAXED);
			kfree(p[i]);
		}
	}
}

SVSM_TEST(kmalloc_concurrent_all_cpus)
{
	KT_ASSERT(nr_cpus >= 2);
	size_t before = kernel_buddy.free_pages;
	size_t corruptions = kernel_heap.corruptions;
	alloc_errors = 0;
	smp_call_all(alloc_storm, NULL);
	KT_ASSERT_EQ(alloc_errors, 0);
	KT_ASSERT_EQ(kernel_heap.corruptions, corruptions);
	KT_ASSERT_EQ(buddy_check(&kernel_buddy), 0);
	/* Slabs emptied by the storm are returned, so no page leaked. */
	KT_ASSERT_EQ(kernel_buddy.free_pages, before);
}

SVSM_TEST(heap_exhaustion_recovers)
{
	size_t before = kernel_buddy.free_pages;
	/* Take every free page, chaining them through their first word. */
	void *chain = NULL;
	size_t taken = 0;
	void *p;
	while ((p = alloc_pages(0)) != NULL) {
		*(void **)p = chain;
		chain = p;
		taken++;
	}
	KT_ASSERT_EQ(taken, before);
	KT_ASSERT_EQ(kernel_buddy.free_pages, 0);
	KT_ASSERT(kmalloc(5000) == NULL); /* page-sized requests fail cleanly */
	while (chain) {
		void *next = *(void **)chain;
		free_pages(chain, 0);
		chain = next;
	}
	KT_ASSERT_EQ(kernel_buddy.free_pages, before);
	KT_ASSERT_EQ(buddy_check(&kernel_buddy), 0);
	/* Coalescing worked: a 1 MiB block is available again. */
	void *big = alloc_pages(8);
	KT_ASSERT(big != NULL);
	free_pages(big, 8);
}
