// SPDX-License-Identifier: MIT
#include "svsmk/bitmap.h"

void bitmap_set(uint64_t *map, size_t bit)
{
	map[bit / 64] |= 1ULL << (bit % 64);
}

void bitmap_clear(uint64_t *map, size_t bit)
{
	map[bit / 64] &= ~(1ULL << (bit % 64));
}

bool bitmap_test(const uint64_t *map, size_t bit)
{
	return (map[bit / 64] >> (bit % 64)) & 1;
}

size_t bitmap_find_clear(const uint64_t *map, size_t nbits)
{
	for (size_t w = 0; w < BITMAP_WORDS(nbits); w++) {
		if (map[w] == ~0ULL)
			continue;
		size_t bit = w * 64 + (size_t)__builtin_ctzll(~map[w]);
		return bit < nbits ? bit : nbits;
	}
	return nbits;
}

size_t bitmap_find_clear_run(const uint64_t *map, size_t nbits, size_t n)
{
	size_t run = 0;
	if (n == 0)
		return 0;
	for (size_t bit = 0; bit < nbits; bit++) {
		run = bitmap_test(map, bit) ? 0 : run + 1;
		if (run == n)
			return bit + 1 - n;
	}
	return nbits;
}

size_t bitmap_count(const uint64_t *map, size_t nbits)
{
	size_t n = 0;
	for (size_t bit = 0; bit < nbits; bit++)
		n += bitmap_test(map, bit);
	return n;
}
