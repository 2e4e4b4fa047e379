// SPDX-License-Identifier: MIT
/*
 * Binary buddy allocator. Blocks of 2^order pages are aligned to their size relative to the
 * arena base; a free block's buddy is found by flipping bit 'order' of its page index.
 * Free blocks are kept on per-order doubly-linked lists threaded through the free pages.
 */
#include "svsmk/buddy.h"
#include "svsmk/compiler.h"
#include "svsmk/string.h"

static void list_init(struct buddy_node *head)
{
	head->next = head;
	head->prev = head;
}

static void list_add(struct buddy_node *head, struct buddy_node *n)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}

static void list_del(struct buddy_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
}

static struct buddy_node *page_node(const struct buddy *b, size_t idx)
{
	return addr_to_ptr(b->base + idx * BUDDY_PAGE_SIZE);
}

static void insert_free(struct buddy *b, size_t idx, unsigned int order)
{
	b->state[idx] = (uint8_t)(PG_FREE_HEAD | order);
	list_add(&b->free_list[order], page_node(b, idx));
	b->free_count[order]++;
	b->free_pages += 1UL << order;
}

static void remove_free(struct buddy *b, size_t idx, unsigned int order)
{
	list_del(page_node(b, idx));
	b->state[idx] = 0;
	b->free_count[order]--;
	b->free_pages -= 1UL << order;
}

int buddy_init(struct buddy *b, void *arena, size_t size, bool poison)
{
	uintptr_t base = (uintptr_t)arena;
	if (!IS_ALIGNED(base, BUDDY_PAGE_SIZE) || size < 2 * BUDDY_PAGE_SIZE)
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	b->base = base;
	b->npages = size / BUDDY_PAGE_SIZE;
	b->poison = poison;
	for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
		list_init(&b->free_list[o]);
	/* The state array occupies the first pages of the arena. */
	b->state = arena;
	size_t meta_pages = (b->npages + BUDDY_PAGE_SIZE - 1) / BUDDY_PAGE_SIZE;
	if (meta_pages >= b->npages)
		return -EINVAL;
	memset(b->state, 0, b->npages);
	for (size_t i = 0; i < meta_pages; i++)
		b->state[i] = PG_RESERVED;
	size_t idx = meta_pages;
	while (idx < b->npages) {
		unsigned int order = BUDDY_MAX_ORDER;
		while (order && ((idx & ((1UL << order) - 1)) || idx + (1UL << order) > b->npages))
			order--;
		insert_free(b, idx, order);
		idx += 1UL << order;
	}
	return 0;
}

void *buddy_alloc(struct buddy *b, unsigned int order)
{
	if (order > BUDDY_MAX_ORDER)
		return NULL;
	unsigned int o = order;
	while (o <= BUDDY_MAX_ORDER && b->free_list[o].next == &b->free_list[o])
		o++;
	if (o > BUDDY_MAX_ORDER)
		return NULL;
	struct buddy_node *n = b->free_list[o].next;
	size_t idx = ((uintptr_t)n - b->base) / BUDDY_PAGE_SIZE;
	remove_free(b, idx, o);
	while (o > order) {
		o--;
		insert_free(b, idx + (1UL << o), o);
	}
	b->state[idx] = (uint8_t)(PG_ALLOC_HEAD | order);
	return addr_to_ptr(b->base + idx * BUDDY_PAGE_SIZE);
}

bool buddy_owns(const struct buddy *b, const void *p)
{
	uintptr_t a = (uintptr_t)p;
	return a >= b->base && a < b->base + b->npages * BUDDY_PAGE_SIZE;
}

uint8_t *buddy_page_state(struct buddy *b, const void *p)
{
	if (!buddy_owns(b, p))
		return NULL;
	return &b->state[((uintptr_t)p - b->base) / BUDDY_PAGE_SIZE];
}

int buddy_block_order(const struct buddy *b, const void *p)
{
	if (!buddy_owns(b, p) || !IS_ALIGNED((uintptr_t)p, BUDDY_PAGE_SIZE))
		return -EINVAL;
	uint8_t s = b->state[((uintptr_t)p - b->base) / BUDDY_PAGE_SIZE];
	if (!(s & PG_ALLOC_HEAD))
		return -EINVAL;
	return s & PG_ORDER_MASK;
}

int buddy_free(struct buddy *b, void *p, unsigned int order)
{
	if (order > BUDDY_MAX_ORDER || !buddy_owns(b, p) ||
	    !IS_ALIGNED((uintptr_t)p, BUDDY_PAGE_SIZE))
		return -EINVAL;
	size_t idx = ((uintptr_t)p - b->base) / BUDDY_PAGE_SIZE;
	if (b->state[idx] != (PG_ALLOC_HEAD | order) || idx + (1UL << order) > b->npages)
		return -EINVAL;
	if (b->poison)
		memset(p, POISON_FREE_PAGE, BUDDY_PAGE_SIZE << order);
	b->state[idx] = 0;
	while (order < BUDDY_MAX_ORDER) {
		size_t buddy = idx ^ (1UL << order);
		if (buddy + (1UL << order) > b->npages || b->state[buddy] != (PG_FREE_HEAD | order))
			break;
		remove_free(b, buddy, order);
		idx = MIN(idx, buddy);
		order++;
	}
	insert_free(b, idx, order);
	return 0;
}

int buddy_check(const struct buddy *b)
{
	size_t pages = 0;
	for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
		size_t n = 0;
		for (const struct buddy_node *it = b->free_list[o].next; it != &b->free_list[o];
		     it = it->next) {
			size_t idx = ((uintptr_t)it - b->base) / BUDDY_PAGE_SIZE;
			if (!buddy_owns(b, it) || b->state[idx] != (PG_FREE_HEAD | o) ||
			    (idx & ((1UL << o) - 1)) || it->next->prev != it)
				return -EIO;
			n++;
			pages += 1UL << o;
		}
		if (n != b->free_count[o])
			return -EIO;
	}
	size_t heads = 0;
	for (size_t i = 0; i < b->npages; i++)
		heads += (b->state[i] & PG_FREE_HEAD) ? 1UL << (b->state[i] & PG_ORDER_MASK) : 0;
	return pages == b->free_pages && heads == pages ? 0 : -EIO;
}
