/* SPDX-License-Identifier: MIT */
/* One bit per 4K page (1 = private), with run scanning a word at a time. Internal to libupm. */
#ifndef UPM_PAGE_BITMAP_H
#define UPM_PAGE_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

struct page_bitmap {
	uint64_t *words;
	uint64_t npages;
};

/* Allocates a bitmap of npages bits, all clear. Returns 0 or -ENOMEM. */
int page_bitmap_init(struct page_bitmap *b, uint64_t npages);
void page_bitmap_free(struct page_bitmap *b);

bool page_bitmap_test(const struct page_bitmap *b, uint64_t page);
/* Sets (value true) or clears pages [first, first+count). */
void page_bitmap_assign(struct page_bitmap *b, uint64_t first, uint64_t count, bool value);
/* Number of set bits in [first, first+count). */
uint64_t page_bitmap_count(const struct page_bitmap *b, uint64_t first, uint64_t count);
/*
 * First page in [from, end) whose bit equals value, or end if none. Used to find the
 * maximal runs of pages that must change: find(!target) then find(target).
 */
uint64_t page_bitmap_find(const struct page_bitmap *b, uint64_t from, uint64_t end, bool value);

#endif /* UPM_PAGE_BITMAP_H */
