/* SPDX-License-Identifier: MIT */
/* Plain bitmaps over uint64_t words (not atomic: callers lock). */
#ifndef SVSMK_BITMAP_H
#define SVSMK_BITMAP_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#define BITMAP_WORDS(bits) (((bits) + 63) / 64)

void bitmap_set(uint64_t *map, size_t bit);
void bitmap_clear(uint64_t *map, size_t bit);
bool bitmap_test(const uint64_t *map, size_t bit);
/* First clear bit in [0, nbits), or nbits when all set. */
size_t bitmap_find_clear(const uint64_t *map, size_t nbits);
/* First run of n clear bits in [0, nbits), or nbits when none. */
size_t bitmap_find_clear_run(const uint64_t *map, size_t nbits, size_t n);
size_t bitmap_count(const uint64_t *map, size_t nbits);

#endif /* SVSMK_BITMAP_H */
