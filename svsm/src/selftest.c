// SPDX-License-Identifier: MIT
/* Boot self-test: one cheap check per subsystem, summarised on the console. */
#include <x86/paging.h>
#include <svsm/guest-launch.h>
#include "svsmk/selftest.h"
#include "svsmk/console.h"
#include "svsmk/guest_access.h"
#include "svsmk/kmalloc.h"
#include "svsmk/mm.h"
#include "svsmk/smp.h"
#include "svsmk/string.h"

static int check_heap(void)
{
	size_t before = kernel_buddy.free_pages;
	void *a = kmalloc(100), *b = kmalloc(5000);
	int ok = a && b && a != b;
	kfree(a);
	kfree(b);
	return ok && kernel_buddy.free_pages == before && buddy_check(&kernel_buddy) == 0;
}

static int check_paging(void)
{
	uint64_t pa, flags, size;
	uint64_t va = (uint64_t)(uintptr_t)selftest_run;
	return pt_lookup(&this_cpu()->shared->pt, va, &pa, &flags, &size) == 0 &&
	       pa == virt_to_phys(selftest_run) && !(flags & PTE_RW) && !(flags & PTE_NX);
}

static volatile uint32_t pinged[MAX_CPUS];

static void ping(void *arg)
{
	(void)arg;
	pinged[smp_this_index()] = smp_this_index() + 1;
}

static int check_cpus(void)
{
	smp_call_all(ping, NULL);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		if (pinged[i] != i + 1)
			return 0;
	}
	return 1;
}

static int check_guest_copy(void)
{
	/* A guest page the SVSM does not own that is valid on every platform: the first page of
	 * the guest image or firmware descriptor our IGVM file carries (launch-validated on SNP;
	 * plain RAM natively); restored afterwards. */
	uint64_t gpa = SVSM_GUEST_LOAD_PA + 8;
	uint64_t v = 0x5356534d5445535ULL, back = 0, orig = 0;
	if (copy_from_guest(&orig, gpa, sizeof(orig)) || copy_to_guest(gpa, &v, sizeof(v)) ||
	    copy_from_guest(&back, gpa, sizeof(back)) || copy_to_guest(gpa, &orig, sizeof(orig)))
		return 0;
	return back == v;
}

static int check_fixup(void)
{
	uint64_t v;
	return read_u64_safe((const void *)0x8000000000000000ULL, &v) == -EFAULT;
}

int selftest_run(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} checks[] = {
		{"heap", check_heap},	{"paging", check_paging},
		{"cpus", check_cpus},	{"guest-copy", check_guest_copy},
		{"fixup", check_fixup},
	};
	int failed = 0;
	for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
		if (!checks[i].fn()) {
			pr_err("self-test %s failed\n", checks[i].name);
			failed++;
		}
	}
	printk("Self-test: %d passed, %d failed\n", (int)ARRAY_SIZE(checks) - failed, failed);
	return failed;
}
