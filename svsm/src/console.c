// SPDX-License-Identifier: MIT
/* printk and log levels over the platform console transport; one lock keeps lines whole. */
#include <stdarg.h>
#include "svsmk/console.h"
#include "svsmk/platform.h"
#include "svsmk/printf.h"
#include "svsmk/spinlock.h"

static struct spinlock console_lock = SPINLOCK_INIT;
static enum log_level console_level = LOG_INFO;
static const char *const level_tag[] = {"ERROR: ", "WARN: ", "", "debug: "};

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			platform->console_putc('\r');
		platform->console_putc(s[i]);
	}
}

void console_set_level(enum log_level level)
{
	console_level = level;
}

static void vprint(int locked, const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf_k(buf, sizeof(buf), fmt, ap);
	size_t len = n < 0 ? 0 : MIN((size_t)n, sizeof(buf) - 1);
	size_t plen = 0;
	while (prefix[plen])
		plen++;
	if (locked)
		spin_lock(&console_lock);
	console_write(prefix, plen);
	console_write(buf, len);
	if (locked)
		spin_unlock(&console_lock);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(1, "", fmt, ap);
	va_end(ap);
}

void printk_unlocked(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(0, "", fmt, ap);
	va_end(ap);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > console_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vprint(1, level_tag[level], fmt, ap);
	va_end(ap);
}
