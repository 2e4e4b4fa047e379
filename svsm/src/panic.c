// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include "svsmk/panic.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/console.h"
#include "svsmk/platform.h"
#include "svsmk/printf.h"
#include "svsmk/symbols.h"

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf_k(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk_unlocked("\n*** SVSM panic: %s\n", buf);
	backtrace_print(0, read_rbp());
	platform->terminate(2);
}
