// SPDX-License-Identifier: MIT
/* Locked kernel allocator on top of the pure buddy and slab code. */
#include "svsmk/kmalloc.h"
#include "svsmk/console.h"
#include "svsmk/panic.h"
#include "svsmk/spinlock.h"
#include "svsmk/string.h"

struct buddy kernel_buddy;
struct heap kernel_heap;
static struct spinlock heap_lock = SPINLOCK_INIT;

#ifdef SVSM_TEST_BUILD
#define HEAP_DEBUG 1
#else
#define HEAP_DEBUG 0
#endif

static void heap_report(const char *what, const void *p)
{
	pr_err("heap: %s at %p\n", what, p);
}

void mm_heap_init(void *arena, size_t size)
{
	if (buddy_init(&kernel_buddy, arena, size, HEAP_DEBUG))
		panic("heap: bad arena %p size %zu", arena, size);
	heap_init(&kernel_heap, &kernel_buddy, HEAP_DEBUG, heap_report);
}

void *kmalloc(size_t size)
{
	spin_lock(&heap_lock);
	void *p = heap_alloc(&kernel_heap, size);
	spin_unlock(&heap_lock);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	spin_lock(&heap_lock);
	heap_free(&kernel_heap, p);
	spin_unlock(&heap_lock);
}

void *alloc_pages(unsigned int order)
{
	spin_lock(&heap_lock);
	void *p = buddy_alloc(&kernel_buddy, order);
	spin_unlock(&heap_lock);
	return p;
}

void *alloc_page_zeroed(void)
{
	void *p = alloc_pages(0);
	if (p)
		memset(p, 0, BUDDY_PAGE_SIZE);
	return p;
}

void free_pages(void *p, unsigned int order)
{
	spin_lock(&heap_lock);
	int rc = buddy_free(&kernel_buddy, p, order);
	spin_unlock(&heap_lock);
	if (rc)
		panic("free_pages: bad free of %p order %u", p, order);
}
