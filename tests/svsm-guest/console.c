// SPDX-License-Identifier: MIT
/*
 * Console on COM1 (port 3F8h): each OUT #VCs and goes to the host as a GHCB IOIO request
 * (trap.c). Lines are formatted first and written under a lock, so that the four vCPUs'
 * TAP lines never interleave.
 */
#include "guest.h"

#define COM1 0x3f8

volatile unsigned int tap_passed, tap_failed;
static volatile int console_lock;

void console_putc(char c)
{
	outb(COM1, (uint8_t)c);
}

struct buf {
	char *p;
	size_t n, len;
};

static void put(struct buf *b, char c)
{
	if (b->len + 1 < b->n)
		b->p[b->len++] = c;
}

static void put_num(struct buf *b, unsigned long long v, unsigned int base, bool neg, bool alt)
{
	char tmp[24];
	int i = 0;
	if (neg)
		put(b, '-');
	if (alt && base == 16) {
		put(b, '0');
		put(b, 'x');
	}
	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i)
		put(b, tmp[--i]);
}

/* %s %c %d %u %x with '#' and 'l'/'ll' (enough for this guest). */
static void vformat(struct buf *b, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(b, *fmt);
			continue;
		}
		bool alt = false;
		int lng = 0;
		if (*++fmt == '#') {
			alt = true;
			fmt++;
		}
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			while (s && *s)
				put(b, *s++);
			break;
		}
		case 'c':
			put(b, (char)va_arg(ap, int));
			break;
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);
			put_num(b, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, 10,
				v < 0, false);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long v =
				lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
			put_num(b, v, *fmt == 'x' ? 16 : 10, false, alt);
			break;
		}
		case '\0':
			return;
		default:
			put(b, *fmt);
		}
	}
}

static void emit(const char *s, size_t len)
{
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (size_t i = 0; i < len; i++)
		console_putc(s[i]);
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

int printf_g(const char *fmt, ...)
{
	char line[256];
	struct buf b = {line, sizeof(line), 0};
	va_list ap;
	va_start(ap, fmt);
	vformat(&b, fmt, ap);
	va_end(ap);
	emit(line, b.len);
	return (int)b.len;
}

void tap(bool ok, const char *fmt, ...)
{
	char line[256];
	struct buf b = {line, sizeof(line), 0};
	const char *head = ok ? "ok - guest: " : "not ok - guest: ";
	while (*head)
		put(&b, *head++);
	va_list ap;
	va_start(ap, fmt);
	vformat(&b, fmt, ap);
	va_end(ap);
	put(&b, '\n');
	emit(line, b.len);
	__atomic_fetch_add(ok ? &tap_passed : &tap_failed, 1, __ATOMIC_RELAXED);
}
