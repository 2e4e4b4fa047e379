/* SPDX-License-Identifier: MIT */
#ifndef SVSMK_PANIC_H
#define SVSMK_PANIC_H

#include "svsmk/compiler.h"

/* Print the message and a backtrace, then stop the SVSM (platform terminate). */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)                                                             \
	do {                                                                     \
		if (unlikely(cond))                                              \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif /* SVSMK_PANIC_H */
