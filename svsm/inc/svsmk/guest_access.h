/* SPDX-License-Identifier: MIT */
/*
 * Safe access to guest memory: every accessor returns -EFAULT instead of crashing the SVSM
 * when the access faults (exception-fixup table, src/arch/x86_64/uaccess.S).
 */
#ifndef SVSMK_GUEST_ACCESS_H
#define SVSMK_GUEST_ACCESS_H

#include <stdint.h>
#include <stddef.h>

/* Low-level: copy n bytes; returns 0 or -EFAULT. Either side may fault. */
int copy_bytes_safe(void *dst, const void *src, size_t n);
int read_u64_safe(const void *src, uint64_t *out);
int write_u64_safe(void *dst, uint64_t v);
/* RDMSR that returns -EFAULT instead of crashing on #GP (MSR absent on this CPU). */
int rdmsr_safe(uint32_t msr, uint64_t *out);

/* Guest-physical copies via per-CPU temporary windows; reject SVSM-owned memory. */
int copy_from_guest(void *dst, uint64_t gpa, size_t n);
int copy_to_guest(uint64_t gpa, const void *src, size_t n);

/* Fixup table lookup (used by the exception handler): new RIP or 0. */
uint64_t fixup_lookup(uint64_t rip);

#endif /* SVSMK_GUEST_ACCESS_H */
