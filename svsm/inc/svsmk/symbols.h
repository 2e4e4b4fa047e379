/* SPDX-License-Identifier: MIT */
/* Embedded symbol table (generated at link time) and frame-pointer backtraces. */
#ifndef SVSMK_SYMBOLS_H
#define SVSMK_SYMBOLS_H

#include <stdint.h>
#include <stddef.h>

/* Name of the function containing addr and the offset into it; NULL if unknown. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset);
size_t symbol_count(void);
/* Print a backtrace starting from frame pointer rbp (unlocked console: panic path). */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* Collect return addresses from rbp into out[]; returns the count. */
size_t backtrace_collect(uint64_t rbp, uint64_t *out, size_t max);

#endif /* SVSMK_SYMBOLS_H */
