/* SPDX-License-Identifier: MIT */
/*
 * In-SVSM test framework. Tests register with SVSM_TEST(name); the runner prints one
 * "ok - svsm: NAME" / "not ok - svsm: NAME" line per test on the console.
 */
#ifndef SVSMK_TEST_H
#define SVSMK_TEST_H

#include "svsmk/compiler.h"

struct ktest {
	const char *name;
	void (*fn)(void);
};

#define SVSM_TEST(tname)                                                    \
	static void ktest_fn_##tname(void);                                 \
	static const struct ktest ktest_##tname __used __section(".ktests") \
		__aligned(8) = {#tname, ktest_fn_##tname};                  \
	static void ktest_fn_##tname(void)

/* Record a failure of the current test (does not stop it). */
void ktest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);

#define KT_ASSERT(cond)                                              \
	do {                                                         \
		if (!(cond)) {                                       \
			ktest_fail(__FILE__, __LINE__, "%s", #cond); \
			return;                                      \
		}                                                    \
	} while (0)
#define KT_EXPECT(cond)                                              \
	do {                                                         \
		if (!(cond))                                         \
			ktest_fail(__FILE__, __LINE__, "%s", #cond); \
	} while (0)
#define KT_ASSERT_EQ(a, b)                                                                        \
	do {                                                                                      \
		unsigned long long _a = (unsigned long long)(a);                                  \
		unsigned long long _b = (unsigned long long)(b);                                  \
		if (_a != _b) {                                                                   \
			ktest_fail(__FILE__, __LINE__, "%s == %s (0x%llx != 0x%llx)", #a, #b, _a, \
				   _b);                                                           \
			return;                                                                   \
		}                                                                                 \
	} while (0)

/* Run every registered test (optionally only names containing filter); returns failures. */
int ktest_run_all(const char *filter);

#endif /* SVSMK_TEST_H */
