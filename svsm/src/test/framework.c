// SPDX-License-Identifier: MIT
/* In-SVSM test runner: one "ok - svsm: NAME" / "not ok - svsm: NAME" line per test. */
#include <stdarg.h>
#include "svsmk/test.h"
#include "svsmk/console.h"
#include "svsmk/printf.h"
#include "svsmk/string.h"

extern const struct ktest __ktests_start[], __ktests_end[];
static int current_failed;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf_k(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("#   failed at %s:%d: %s\n", file, line, buf);
	current_failed = 1;
}

static int matches(const char *name, const char *filter)
{
	if (!filter || !*filter)
		return 1;
	size_t n = 0;
	while (filter[n] && filter[n] != ' ')
		n++;
	for (; *name; name++) {
		if (!strncmp(name, filter, n))
			return 1;
	}
	return 0;
}

int ktest_run_all(const char *filter)
{
	int passed = 0, failed = 0;
	size_t count = ((uintptr_t)__ktests_end - (uintptr_t)__ktests_start) / sizeof(struct ktest);
	for (size_t i = 0; i < count; i++) {
		const struct ktest *t = &__ktests_start[i];
		if (!matches(t->name, filter))
			continue;
		current_failed = 0;
		printk("# running %s\n", t->name);
		t->fn();
		printk("%s - svsm: %s\n", current_failed ? "not ok" : "ok", t->name);
		if (current_failed)
			failed++;
		else
			passed++;
	}
	printk("In-SVSM tests: %d passed, %d failed\n", passed, failed);
	return failed;
}
