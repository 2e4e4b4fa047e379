/* SPDX-License-Identifier: MIT */
/*
 * Binary buddy page allocator over one virtually contiguous arena. Pure code (host-testable):
 * no locking here, the kernel wrapper (svsmk/kmalloc.h) serialises callers.
 */
#ifndef SVSMK_BUDDY_H
#define SVSMK_BUDDY_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define BUDDY_PAGE_SIZE 4096UL
#define BUDDY_MAX_ORDER 10 /* 4 MiB blocks */

/* Per-page state byte. */
#define PG_FREE_HEAD  0x80 /* first page of a free block */
#define PG_ALLOC_HEAD 0x40 /* first page of an allocated block */
#define PG_SLAB	      0x20 /* allocated page used by a slab */
#define PG_RESERVED   0x10 /* allocator metadata, never freed */
#define PG_ORDER_MASK 0x0f

struct buddy_node {
	struct buddy_node *next, *prev;
};

struct buddy {
	uintptr_t base; /* VA of page 0 */
	size_t npages;	/* pages managed */
	uint8_t *state; /* one byte per page */
	struct buddy_node free_list[BUDDY_MAX_ORDER + 1];
	size_t free_count[BUDDY_MAX_ORDER + 1];
	size_t free_pages;
	bool poison; /* fill freed pages (debug builds) */
};

/*
 * Manage [arena, arena + size). The state array lives at the start of the arena and its
 * pages are marked allocated. Returns -EINVAL if the arena is unaligned or too small.
 */
int buddy_init(struct buddy *b, void *arena, size_t size, bool poison);
void *buddy_alloc(struct buddy *b, unsigned int order);
/* Returns -EINVAL for a pointer that is not the head of an allocated block of that order. */
int buddy_free(struct buddy *b, void *p, unsigned int order);
/* Order of the allocated block starting at p, or -EINVAL. */
int buddy_block_order(const struct buddy *b, const void *p);
bool buddy_owns(const struct buddy *b, const void *p);
uint8_t *buddy_page_state(struct buddy *b, const void *p);
/* Internal consistency check: free lists agree with page states; returns 0 or -EIO. */
int buddy_check(const struct buddy *b);

#define POISON_FREE_PAGE 0x5a

#endif /* SVSMK_BUDDY_H */
