// SPDX-License-Identifier: MIT
/*
 * Symbolization from the table the build embeds (scripts/gen-symtab.sh: text symbols sorted
 * by address, from `nm` of the first link pass) and frame-pointer backtraces: with
 * -fno-omit-frame-pointer each frame holds [saved RBP][return address].
 */
#include "svsmk/symbols.h"
#include "svsmk/compiler.h"
#include "svsmk/console.h"
#include "svsmk/guest_access.h"

extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_name_offsets[];
extern const char ksym_strings[];
extern char __image_start[], __text_end[];

size_t symbol_count(void)
{
	return (size_t)ksym_count;
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	if (offset)
		*offset = 0;
	if (!ksym_count || addr < ksym_addrs[0] || addr >= (uint64_t)(uintptr_t)__text_end)
		return NULL;
	size_t lo = 0, hi = (size_t)ksym_count;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (offset)
		*offset = addr - ksym_addrs[lo];
	return &ksym_strings[ksym_name_offsets[lo]];
}

size_t backtrace_collect(uint64_t rbp, uint64_t *out, size_t max)
{
	size_t n = 0;
	while (rbp && n < max && (rbp & 7) == 0) {
		uint64_t next, ret;
		/* A corrupt chain must not fault the panic path: read through the fixup accessors. */
		if (read_u64_safe(addr_to_ptr(rbp), &next) ||
		    read_u64_safe(addr_to_ptr(rbp + 8), &ret) || !ret)
			break;
		out[n++] = ret;
		if (next <= rbp)
			break;
		rbp = next;
	}
	return n;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	uint64_t frames[32];
	size_t n = backtrace_collect(rbp, frames, 32);
	printk_unlocked("Backtrace:\n");
	if (rip) {
		uint64_t off;
		const char *s = symbol_lookup(rip, &off);
		printk_unlocked("  [<%016llx>] %s+0x%llx\n", (unsigned long long)rip, s ? s : "?",
				(unsigned long long)off);
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t off;
		/* Return addresses point after the call: look up addr - 1 for the caller. */
		const char *s = symbol_lookup(frames[i] - 1, &off);
		printk_unlocked("  [<%016llx>] %s+0x%llx\n", (unsigned long long)frames[i],
				s ? s : "?", (unsigned long long)off + 1);
	}
}
