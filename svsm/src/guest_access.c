// SPDX-License-Identifier: MIT
/*
 * Guest-memory accessors: map each page through a per-CPU temporary window (no global
 * mapping, no TLB shootdown) and copy with the fault-tolerant primitive, so a bad guest
 * address yields -EFAULT rather than an SVSM crash.
 */
#include <x86/paging.h>
#include "svsmk/guest_access.h"
#include "svsmk/compiler.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"

struct fixup_entry {
	uint64_t insn;
	uint64_t fixup;
};
extern const struct fixup_entry __ex_table_start[], __ex_table_end[];

uint64_t fixup_lookup(uint64_t rip)
{
	/* Linker-delimited table: compare addresses as integers, not as object pointers. */
	size_t n = ((uintptr_t)__ex_table_end - (uintptr_t)__ex_table_start) /
		   sizeof(struct fixup_entry);
	for (size_t i = 0; i < n; i++) {
		if (__ex_table_start[i].insn == rip)
			return __ex_table_start[i].fixup;
	}
	return 0;
}

/* Guest addresses must not reach SVSM memory and must fit the 52-bit physical space. */
static int check_gpa(uint64_t gpa, size_t n)
{
	uint64_t end = gpa + n;
	if (n == 0 || end < gpa || end > (1ULL << 52))
		return -EINVAL;
	uint64_t lo = svsm_load_pa, hi = svsm_load_pa + SVSM_REGION_SIZE;
	if (gpa < hi && end > lo)
		return -EPERM;
	return 0;
}

static int guest_copy(void *buf, uint64_t gpa, size_t n, int to_guest)
{
	int rc = check_gpa(gpa, n);
	if (rc)
		return rc;
	while (n) {
		uint64_t page = ALIGN_DOWN(gpa, PAGE_SIZE);
		size_t off = (size_t)(gpa - page);
		size_t chunk = MIN(n, (size_t)PAGE_SIZE - off);
		char *va = percpu_map_temp(page, to_guest);
		if (!va)
			return -EBUSY;
		rc = to_guest ? copy_bytes_safe(va + off, buf, chunk)
			      : copy_bytes_safe(buf, va + off, chunk);
		percpu_unmap_temp(va);
		if (rc)
			return rc;
		buf = (char *)buf + chunk;
		gpa += chunk;
		n -= chunk;
	}
	return 0;
}

int copy_from_guest(void *dst, uint64_t gpa, size_t n)
{
	return guest_copy(dst, gpa, n, 0);
}

int copy_to_guest(uint64_t gpa, const void *src, size_t n)
{
	return guest_copy(addr_to_ptr((uintptr_t)src), gpa, n, 1);
}
