/* SPDX-License-Identifier: MIT */
/* Freestanding memory and string routines (the compiler may also emit calls to these). */
#ifndef SVSMK_STRING_H
#define SVSMK_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr_k(const char *haystack, const char *needle);

#endif /* SVSMK_STRING_H */
