// SPDX-License-Identifier: MIT
/*
 * Slab heap: one-page slabs per power-of-two size class with an allocation bitmap per slab,
 * so a double free is detected instead of corrupting the free list. In debug mode objects
 * are filled with POISON_FREE when freed and checked when handed out again (catches writes
 * after free), and filled with POISON_ALLOC when allocated (catches use of uninitialised data).
 * Larger requests go straight to the buddy allocator.
 */
#include "svsmk/slab.h"
#include "svsmk/bitmap.h"
#include "svsmk/compiler.h"
#include "svsmk/string.h"

#define SLAB_MAGIC 0x51ab51abU

struct slab_page {
	uint32_t magic;
	uint16_t nr_objs;
	uint16_t inuse;
	struct slab_cache *cache;
	struct slab_page *next, *prev;
	void *freelist;
	uintptr_t first; /* address of object 0 */
	uint64_t allocated[BITMAP_WORDS(SLAB_MAX_OBJ)];
};
_Static_assert(sizeof(struct slab_page) <= 128, "slab header fits before the objects");

static void report(struct heap *h, const char *what, const void *p)
{
	h->corruptions++;
	if (h->report)
		h->report(what, p);
}

void heap_init(struct heap *h, struct buddy *b, bool debug,
	       void (*report_fn)(const char *, const void *))
{
	memset(h, 0, sizeof(*h));
	h->buddy = b;
	h->debug = debug;
	h->report = report_fn;
	for (unsigned int i = 0; i < SLAB_NR_CACHES; i++)
		h->caches[i].obj_size = 1UL << (SLAB_MIN_SHIFT + i);
}

static void partial_add(struct slab_cache *c, struct slab_page *s)
{
	s->prev = NULL;
	s->next = c->partial;
	if (c->partial)
		c->partial->prev = s;
	c->partial = s;
}

static void partial_del(struct slab_cache *c, struct slab_page *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		c->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static struct slab_page *slab_new(struct heap *h, struct slab_cache *c)
{
	struct slab_page *s = buddy_alloc(h->buddy, 0);
	if (!s)
		return NULL;
	*buddy_page_state(h->buddy, s) |= PG_SLAB;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->cache = c;
	s->first = ALIGN_UP((uintptr_t)s + sizeof(*s), c->obj_size);
	s->nr_objs = (uint16_t)(((uintptr_t)s + BUDDY_PAGE_SIZE - s->first) / c->obj_size);
	/* Thread the free list from the last object down so allocation order is ascending. */
	for (int i = s->nr_objs - 1; i >= 0; i--) {
		void **obj = addr_to_ptr(s->first + (uintptr_t)i * c->obj_size);
		if (h->debug)
			memset(obj, POISON_FREE, c->obj_size);
		*obj = s->freelist;
		s->freelist = obj;
	}
	partial_add(c, s);
	c->nr_slabs++;
	return s;
}

static int size_class(size_t size)
{
	for (unsigned int i = 0; i < SLAB_NR_CACHES; i++) {
		if (size <= (1UL << (SLAB_MIN_SHIFT + i)))
			return (int)i;
	}
	return -1;
}

static unsigned int pages_order(size_t size)
{
	unsigned int order = 0;
	while ((BUDDY_PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *heap_alloc(struct heap *h, size_t size)
{
	if (size == 0)
		return NULL;
	int cls = size_class(size);
	if (cls < 0) {
		unsigned int order = pages_order(size);
		void *p = order <= BUDDY_MAX_ORDER ? buddy_alloc(h->buddy, order) : NULL;
		if (p && h->debug)
			memset(p, POISON_ALLOC, BUDDY_PAGE_SIZE << order);
		return p;
	}
	struct slab_cache *c = &h->caches[cls];
	struct slab_page *s = c->partial ? c->partial : slab_new(h, c);
	if (!s)
		return NULL;
	void **obj = s->freelist;
	s->freelist = *obj;
	size_t idx = ((uintptr_t)obj - s->first) / c->obj_size;
	bitmap_set(s->allocated, idx);
	s->inuse++;
	if (!s->freelist)
		partial_del(c, s);
	if (h->debug) {
		const unsigned char *b = (const unsigned char *)obj;
		for (size_t i = sizeof(void *); i < c->obj_size; i++) {
			if (b[i] != POISON_FREE) {
				report(h, "write after free", obj);
				break;
			}
		}
		memset(obj, POISON_ALLOC, c->obj_size);
	}
	return obj;
}

static struct slab_page *slab_of(struct heap *h, const void *p, uint8_t **state)
{
	const void *page = addr_to_ptr(ALIGN_DOWN((uintptr_t)p, BUDDY_PAGE_SIZE));
	*state = buddy_page_state(h->buddy, page);
	if (!*state || !(**state & PG_SLAB))
		return NULL;
	struct slab_page *s = (struct slab_page *)page;
	return s->magic == SLAB_MAGIC ? s : NULL;
}

void heap_free(struct heap *h, void *p)
{
	if (!p)
		return;
	uint8_t *state;
	struct slab_page *s = slab_of(h, p, &state);
	if (!s) {
		if (!state || buddy_block_order(h->buddy, p) < 0 ||
		    buddy_free(h->buddy, p, (unsigned int)buddy_block_order(h->buddy, p)) < 0)
			report(h, "invalid free", p);
		return;
	}
	struct slab_cache *c = s->cache;
	uintptr_t off = (uintptr_t)p - s->first;
	if ((uintptr_t)p < s->first || off % c->obj_size || off / c->obj_size >= s->nr_objs) {
		report(h, "invalid free", p);
		return;
	}
	size_t idx = off / c->obj_size;
	if (!bitmap_test(s->allocated, idx)) {
		report(h, "double free", p);
		return;
	}
	bitmap_clear(s->allocated, idx);
	if (h->debug)
		memset(p, POISON_FREE, c->obj_size);
	bool was_full = s->freelist == NULL;
	*(void **)p = s->freelist;
	s->freelist = p;
	s->inuse--;
	if (was_full)
		partial_add(c, s);
	if (s->inuse == 0) {
		partial_del(c, s);
		c->nr_slabs--;
		s->magic = 0;
		*state &= (uint8_t)~PG_SLAB;
		buddy_free(h->buddy, s, 0);
	}
}

size_t heap_size(struct heap *h, const void *p)
{
	uint8_t *state;
	if (!p)
		return 0;
	struct slab_page *s = slab_of(h, p, &state);
	if (s)
		return s->cache->obj_size;
	int order = buddy_block_order(h->buddy, p);
	return order < 0 ? 0 : BUDDY_PAGE_SIZE << order;
}
