// SPDX-License-Identifier: MIT
/* Exception fixups, IST stacks and symbolization. */
#include <x86/paging.h>
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/trap.h"
#include "svsmk/guest_access.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/smp.h"
#include "svsmk/string.h"
#include "svsmk/symbols.h"
#include "svsmk/test.h"

extern char __image_start[];

SVSM_TEST(fixup_noncanonical_gp)
{
	uint64_t v = 7;
	KT_ASSERT_EQ(read_u64_safe((const void *)0x8000000000000000ULL, &v), -EFAULT);
	KT_ASSERT_EQ(v, 7); /* destination untouched */
}

SVSM_TEST(fixup_unmapped_and_readonly_pf)
{
	uint64_t v;
	/* Page 0 of the per-CPU area is a guard page. */
	KT_ASSERT_EQ(read_u64_safe(addr_to_ptr(PCPU_VA(0)), &v), -EFAULT);
	/* Text is read-only: a write faults with P=1 W=1. */
	KT_ASSERT_EQ(write_u64_safe(__image_start, 0), -EFAULT);
	char buf[8];
	KT_ASSERT_EQ(copy_bytes_safe(buf, addr_to_ptr(PCPU_VA(1) - 4), 8), -EFAULT);
	/* And a good access still works afterwards. */
	KT_ASSERT_EQ(copy_bytes_safe(buf, "1234567", 8), 0);
	KT_ASSERT_EQ(buf[3], '4');
}

SVSM_TEST(guest_access_rejects_svsm_memory)
{
	char b[8];
	KT_ASSERT_EQ(copy_from_guest(b, svsm_load_pa + 0x1000, sizeof(b)), -EPERM);
	KT_ASSERT_EQ(copy_to_guest(svsm_load_pa - 4, b, sizeof(b)), -EPERM);
	KT_ASSERT_EQ(copy_from_guest(b, 1ULL << 52, sizeof(b)), -EINVAL);
	KT_ASSERT_EQ(copy_from_guest(b, 0xfffffffffffffffcULL, sizeof(b)), -EINVAL);
}

static volatile uint64_t hook_rsp;

static void nmi_test_hook(struct trap_frame *tf)
{
	(void)tf;
	hook_rsp = read_rsp();
}

SVSM_TEST(nmi_runs_on_ist_stack)
{
	struct cpu_local *cl = this_cpu();
	uint64_t before = cl->nmi_count;
	nmi_hook = nmi_test_hook;
	__asm__ volatile("int $2" ::: "memory");
	nmi_hook = NULL;
	KT_ASSERT_EQ(cl->nmi_count, before + 1);
	uint64_t lo = PCPU_VA(PCPU_PG_IST_NMI), hi = lo + PCPU_IST_PAGES * PAGE_SIZE;
	KT_ASSERT(cl->last_nmi_rsp > lo && cl->last_nmi_rsp < hi);
	KT_ASSERT(hook_rsp > lo && hook_rsp < hi);
}

static volatile int ist_ok[MAX_CPUS];

static void nmi_on_this_cpu(void *arg)
{
	(void)arg;
	struct cpu_local *cl = this_cpu();
	uint64_t before = cl->nmi_count;
	__asm__ volatile("int $2" ::: "memory");
	uint64_t lo = PCPU_VA(PCPU_PG_IST_NMI), hi = lo + PCPU_IST_PAGES * PAGE_SIZE;
	ist_ok[cl->index] =
		cl->nmi_count == before + 1 && cl->last_nmi_rsp > lo && cl->last_nmi_rsp < hi;
}

SVSM_TEST(every_cpu_has_its_ist_stacks)
{
	smp_call_all(nmi_on_this_cpu, NULL);
	for (uint32_t i = 0; i < nr_cpus; i++)
		KT_ASSERT(ist_ok[i]);
}

SVSM_TEST(symbol_lookup_finds_functions)
{
	KT_ASSERT(symbol_count() > 50);
	uint64_t off;
	const char *s = symbol_lookup((uint64_t)(uintptr_t)ktest_run_all + 5, &off);
	KT_ASSERT(s != NULL);
	KT_ASSERT(strcmp(s, "ktest_run_all") == 0);
	KT_ASSERT_EQ(off, 5);
	KT_ASSERT(symbol_lookup(0x1000, &off) == NULL);
}

static __noipa size_t collect_here(uint64_t *out)
{
	size_t n = backtrace_collect((uint64_t)(uintptr_t)__builtin_frame_address(0), out, 8);
	__asm__ volatile("" ::: "memory"); /* keep this a real call with its own frame */
	return n;
}

static __noipa size_t backtrace_caller(uint64_t *out)
{
	size_t n = collect_here(out);
	__asm__ volatile("" ::: "memory");
	return n;
}

SVSM_TEST(backtrace_names_callers)
{
	uint64_t frames[8];
	size_t n = backtrace_caller(frames);
	KT_ASSERT(n >= 2);
	uint64_t off;
	const char *first = symbol_lookup(frames[0] - 1, &off);
	const char *second = symbol_lookup(frames[1] - 1, &off);
	KT_ASSERT(first && strcmp(first, "backtrace_caller") == 0);
	KT_ASSERT(second && strcmp(second, "ktest_fn_backtrace_names_callers") == 0);
}
