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
#define barrier()	      __asm__ volatile("" ::: "memory")

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
