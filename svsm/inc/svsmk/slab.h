/* SPDX-License-Identifier: MIT */
/*
 * Slab caches of power-of-two objects (16..2048 bytes), one page per slab, on top of the
 * buddy allocator. Pure code (host-testable); callers serialise.
 */
#ifndef SVSMK_SLAB_H
#define SVSMK_SLAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "svsmk/buddy.h"

#define SLAB_MIN_SHIFT 4
#define SLAB_MAX_SHIFT 11
#define SLAB_NR_CACHES (SLAB_MAX_SHIFT - SLAB_MIN_SHIFT + 1)
#define SLAB_MAX_OBJ   256
#define POISON_FREE    0x6b /* freed object contents (debug) */
#define POISON_ALLOC   0xa5 /* fresh object contents (debug) */

struct slab_page;

struct slab_cache {
	size_t obj_size;
	struct slab_page *partial; /* slabs with at least one free object */
	size_t nr_slabs;
};

struct heap {
	struct buddy *buddy;
	struct slab_cache caches[SLAB_NR_CACHES];
	bool debug;
	/* Called on a detected corruption (double free, poison overwrite); returns. */
	void (*report)(const char *what, const void *p);
	size_t corruptions;
};

void heap_init(struct heap *h, struct buddy *b, bool debug,
	       void (*report)(const char *, const void *));
void *heap_alloc(struct heap *h, size_t size);
void heap_free(struct heap *h, void *p);
/* Usable size of an allocation, 0 for an invalid pointer. */
size_t heap_size(struct heap *h, const void *p);

#endif /* SVSMK_SLAB_H */
