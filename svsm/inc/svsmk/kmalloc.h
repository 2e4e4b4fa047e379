/* SPDX-License-Identifier: MIT */
/* Kernel allocator interface: locked wrappers around the buddy allocator and slab heap. */
#ifndef SVSMK_KMALLOC_H
#define SVSMK_KMALLOC_H

#include <stddef.h>
#include <stdint.h>
#include "svsmk/buddy.h"
#include "svsmk/slab.h"

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
void *alloc_pages(unsigned int order);
void *alloc_page_zeroed(void);
void free_pages(void *p, unsigned int order);

/* Kernel heap state, exposed for statistics and tests. */
extern struct buddy kernel_buddy;
extern struct heap kernel_heap;
void mm_heap_init(void *arena, size_t size);

#endif /* SVSMK_KMALLOC_H */
