// SPDX-License-Identifier: MIT
#include "page-bitmap.h"

#include <errno.h>
#include <stdlib.h>

#define WORD_BITS 64U

static uint64_t nwords(uint64_t npages)
{
	return (npages + WORD_BITS - 1) / WORD_BITS;
}

int page_bitmap_init(struct page_bitmap *b, uint64_t npages)
{
	b->npages = npages;
	b->words = calloc(nwords(npages) ? nwords(npages) : 1, sizeof(uint64_t));
	return b->words ? 0 : -ENOMEM;
}

void page_bitmap_free(struct page_bitmap *b)
{
	free(b->words);
	b->words = NULL;
	b->npages = 0;
}

bool page_bitmap_test(const struct page_bitmap *b, uint64_t page)
{
	return (b->words[page / WORD_BITS] >> (page % WORD_BITS)) & 1U;
}

/* Mask of bits [lo, hi) within one word, 0 <= lo < hi <= 64. */
static uint64_t word_mask(unsigned int lo, unsigned int hi)
{
	uint64_t upper = hi == WORD_BITS ? ~0ULL : (1ULL << hi) - 1;
	return upper & ~((1ULL << lo) - 1);
}

void page_bitmap_assign(struct page_bitmap *b, uint64_t first, uint64_t count, bool value)
{
	uint64_t end = first + count;

	while (first < end) {
		uint64_t w = first / WORD_BITS;
		unsigned int lo = first % WORD_BITS;
		uint64_t word_end = (w + 1) * WORD_BITS;
		unsigned int hi = end < word_end ? (unsigned int)(end % WORD_BITS) : WORD_BITS;
		uint64_t m = word_mask(lo, hi);

		if (value)
			b->words[w] |= m;
		else
			b->words[w] &= ~m;
		first = w * WORD_BITS + hi;
	}
}

uint64_t page_bitmap_count(const struct page_bitmap *b, uint64_t first, uint64_t count)
{
	uint64_t end = first + count, n = 0;

	while (first < end) {
		uint64_t w = first / WORD_BITS;
		unsigned int lo = first % WORD_BITS;
		uint64_t word_end = (w + 1) * WORD_BITS;
		unsigned int hi = end < word_end ? (unsigned int)(end % WORD_BITS) : WORD_BITS;

		n += (uint64_t)__builtin_popcountll(b->words[w] & word_mask(lo, hi));
		first = w * WORD_BITS + hi;
	}
	return n;
}

uint64_t page_bitmap_find(const struct page_bitmap *b, uint64_t from, uint64_t end, bool value)
{
	while (from < end) {
		uint64_t w = from / WORD_BITS;
		unsigned int lo = from % WORD_BITS;
		uint64_t bits = value ? b->words[w] : ~b->words[w];

		bits &= word_mask(lo, WORD_BITS);
		if (bits) {
			uint64_t hit = w * WORD_BITS + (uint64_t)__builtin_ctzll(bits);
			return hit < end ? hit : end;
		}
		from = (w + 1) * WORD_BITS;
	}
	return end;
}
