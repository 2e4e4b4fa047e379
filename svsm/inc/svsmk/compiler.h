/* SPDX-License-Identifier: MIT */
/* Small language helpers used everywhere in the SVSM. */
#ifndef SVSMK_COMPILER_H
#define SVSMK_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a)	      (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	      (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a)      ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a)      (((x) & ((__typeof__(x))(a)-1)) == 0)
#define MIN(a, b)	      ((a) < (b) ? (a) : (b))
#define MAX(a, b)	      ((a) > (b) ? (a) : (b))
#define container_of(p, t, m) ((t *)((char *)(p)-offsetof(t, m)))
#define unlikely(x)	      __builtin_expect(!!(x), 0)
#define __noreturn	      __attribute__((noreturn))
#define __printf(a, b)	      __attribute__((format(printf, a, b)))
#define __aligned(n)	      __attribute__((aligned(n)))
#define __section(s)	      __attribute__((section(s)))
#define __used		      __attribute__((used))
#define READ_ONCE(x)	      (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)      (*(volatile __typeof__(x) *)&(x) = (v))
/*
 * Addresses are integers until they are dereferenced; this is the one place where they turn
 * into pointers (freestanding kernel code cannot avoid it).
 */
static inline void *addr_to_ptr(uintptr_t a)
{
	return (void *)a; // NOLINT(performance-no-int-to-ptr)
}

/* Keep a function a real, separately named call (no inlining or IPA clones). */
#if defined(__clang__)
#define __noipa __attribute__((noinline))
#else
#define __noipa __attribute__((noinline, noipa))
#endif
#define barrier() __asm__ volatile("" ::: "memory")

/* Error numbers returned negated (Linux-compatible values so logs read naturally). */
#define EPERM	  1
#define ENOENT	  2
#define EIO	  5
#define ENOMEM	  12
#define EFAULT	  14
#define EBUSY	  16
#define EEXIST	  17
#define EINVAL	  22
#define ENOSPC	  28
#define ERANGE	  34
#define ENOSYS	  38
#define ETIMEDOUT 110

#endif /* SVSMK_COMPILER_H */
