// SPDX-License-Identifier: MIT
/*
 * SMP bring-up and cross-CPU calls. APs are started one at a time through the platform;
 * each switches to its own page tables and then polls its mailbox (no interrupts needed).
 */
#include "svsmk/smp.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/setup.h"
#include "svsmk/console.h"
#include "svsmk/panic.h"
#include "svsmk/platform.h"

static __noreturn void ap_main(struct cpu_shared *cs)
{
	percpu_activate(cs);
	if (platform->cpu_online)
		platform->cpu_online(this_cpu()->index);
	__atomic_store_n(&cs->online, 1, __ATOMIC_RELEASE);
	for (;;) {
		uint32_t seq = __atomic_load_n(&cs->call_seq, __ATOMIC_ACQUIRE);
		if (seq != cs->done_seq) {
			cs->call_fn(cs->call_arg);
			__atomic_store_n(&cs->done_seq, seq, __ATOMIC_RELEASE);
		}
		cpu_relax();
	}
}

uint32_t smp_this_index(void)
{
	return this_cpu()->index;
}

uint32_t smp_boot(void)
{
	uint32_t ids[MAX_CPUS];
	int n = platform->enum_cpus(ids, MAX_CPUS);
	uint32_t bsp = cpus[0].apic_id;
	if (n < 0) {
		pr_warn("smp: CPU enumeration failed (%d), running on the BSP only\n", n);
		return nr_cpus;
	}
	for (int i = 0; i < n; i++) {
		if (ids[i] == bsp)
			continue;
		uint32_t idx = nr_cpus;
		int rc = percpu_setup(idx, ids[i]);
		if (rc) {
			pr_err("smp: per-CPU setup for APIC %u failed: %d\n", ids[i], rc);
			continue;
		}
		struct cpu_shared *cs = &cpus[idx];
		struct cpu_start_state st = {
			.cr3 = cs->cr3,
			.rip = (uint64_t)(uintptr_t)ap_main,
			.rsp = PCPU_VA(PCPU_PG_STACK + PCPU_STACK_PAGES),
			.arg = (uint64_t)(uintptr_t)cs,
		};
		rc = platform->start_cpu(ids[i], &st);
		/* Give the AP up to ~1 s (in 1 ms polls) to report in. */
		for (int t = 0;
		     !rc && t < 100000 && !__atomic_load_n(&cs->online, __ATOMIC_ACQUIRE); t++) {
			for (int k = 0; k < 1000; k++)
				cpu_relax();
		}
		if (rc || !cs->online) {
			pr_err("smp: CPU with APIC ID %u did not start (%d)\n", ids[i], rc);
			continue;
		}
		nr_cpus++;
		pr_debug("smp: CPU %u (APIC ID %u) online\n", idx, ids[i]);
	}
	return nr_cpus;
}

void smp_call_async(uint32_t idx, smp_fn fn, void *arg)
{
	struct cpu_shared *cs = &cpus[idx];
	BUG_ON(idx >= nr_cpus || !cs->online || idx == smp_this_index());
	/* Wait for a previous call to finish before reusing the mailbox. */
	while (__atomic_load_n(&cs->done_seq, __ATOMIC_ACQUIRE) != cs->call_seq)
		cpu_relax();
	cs->call_fn = fn;
	cs->call_arg = arg;
	__atomic_store_n(&cs->call_seq, cs->call_seq + 1, __ATOMIC_RELEASE);
}

void smp_wait(uint32_t idx)
{
	struct cpu_shared *cs = &cpus[idx];
	while (__atomic_load_n(&cs->done_seq, __ATOMIC_ACQUIRE) != cs->call_seq)
		cpu_relax();
}

void smp_call_on(uint32_t idx, smp_fn fn, void *arg)
{
	if (idx == smp_this_index()) {
		fn(arg);
		return;
	}
	smp_call_async(idx, fn, arg);
	smp_wait(idx);
}

void smp_call_all(smp_fn fn, void *arg)
{
	uint32_t self = smp_this_index();
	for (uint32_t i = 0; i < nr_cpus; i++) {
		if (i != self)
			smp_call_async(i, fn, arg);
	}
	fn(arg);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		if (i != self)
			smp_wait(i);
	}
}
