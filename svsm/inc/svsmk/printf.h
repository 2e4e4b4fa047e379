/* SPDX-License-Identifier: MIT */
/* Kernel formatted output: a small vsnprintf (%d %i %u %x %X %p %s %c %%, l/ll/z, width, 0/-). */
#ifndef SVSMK_PRINTF_H
#define SVSMK_PRINTF_H

#include <stdarg.h>
#include <stddef.h>
#include "svsmk/compiler.h"

int vsnprintf_k(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf_k(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif /* SVSMK_PRINTF_H */
