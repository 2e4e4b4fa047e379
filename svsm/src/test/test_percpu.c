// SPDX-License-Identifier: MIT
/* Per-CPU isolation across all CPUs (expects 4 vCPUs). */
#include <x86/paging.h>
#include "svsmk/guest_access.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/smp.h"
#include "svsmk/test.h"

#define MARKER 0x5e1f000000000000ULL

static volatile uint64_t seen[MAX_CPUS];
static volatile uint32_t gs_index[MAX_CPUS];
static volatile int probe_rc[MAX_CPUS][MAX_CPUS];

SVSM_TEST(four_cpus_online)
{
	KT_ASSERT_EQ(nr_cpus, 4);
	for (uint32_t i = 0; i < nr_cpus; i++)
		KT_ASSERT(cpus[i].online);
}

static void write_marker(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)addr_to_ptr(PCPU_VA(PCPU_PG_SCRATCH)) = MARKER | smp_this_index();
}

static void read_marker(void *arg)
{
	(void)arg;
	uint32_t me = smp_this_index();
	seen[me] = *(volatile uint64_t *)addr_to_ptr(PCPU_VA(PCPU_PG_SCRATCH));
	gs_index[me] = this_cpu()->index;
}

SVSM_TEST(private_area_same_va_different_memory)
{
	KT_ASSERT(nr_cpus >= 2);
	smp_call_all(write_marker, NULL);
	smp_call_all(read_marker, NULL);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		KT_ASSERT_EQ(seen[i], MARKER | i);
		KT_ASSERT_EQ(gs_index[i], i);
	}
}

/* On each CPU: try to read every other CPU's private frames through the direct map. */
static void probe_others(void *arg)
{
	(void)arg;
	uint32_t me = smp_this_index();
	for (uint32_t k = 0; k < nr_cpus; k++) {
		uint64_t v;
		probe_rc[me][k] = read_u64_safe(phys_to_virt(cpus[k].private_pa[0]), &v);
	}
}

SVSM_TEST(private_frames_invisible_to_other_cpus)
{
	smp_call_all(probe_others, NULL);
	for (uint32_t j = 0; j < nr_cpus; j++) {
		for (uint32_t k = 0; k < nr_cpus; k++)
			KT_ASSERT_EQ(probe_rc[j][k], -EFAULT);
	}
	/* And no page of CPU j's private area maps a frame of CPU k. */
	for (uint32_t j = 0; j < nr_cpus; j++) {
		for (unsigned int pg = 0; pg < PCPU_NR_PAGES; pg++) {
			uint64_t pa;
			if (pt_lookup(&cpus[j].pt, PCPU_VA(pg), &pa, NULL, NULL))
				continue;
			for (uint32_t k = 0; k < nr_cpus; k++) {
				if (k == j)
					continue;
				for (unsigned int f = 0; f < PCPU_PRIVATE_FRAMES; f++)
					KT_ASSERT(pa != cpus[k].private_pa[f]);
			}
		}
	}
}

/* Shared with other CPUs, so global: another CPU's stack is not addressable from here. */
static void *held_window;
static uint64_t window_gpa = 0x300000;
static int rc_other, rc_owner;

static void hold_window(void *arg)
{
	held_window = percpu_map_temp(*(uint64_t *)arg, false);
}

static void release_window(void *arg)
{
	(void)arg;
	percpu_unmap_temp(held_window);
}

static void probe_window(void *arg)
{
	uint64_t v;
	*(int *)arg = read_u64_safe(held_window, &v);
}

SVSM_TEST(temp_window_private_to_its_cpu)
{
	KT_ASSERT(nr_cpus >= 3);
	rc_other = 0;
	rc_owner = -1;
	smp_call_on(1, hold_window, &window_gpa);
	KT_ASSERT(held_window != NULL);
	smp_call_on(2, probe_window, &rc_other);
	smp_call_on(1, probe_window, &rc_owner);
	smp_call_on(1, release_window, NULL);
	KT_ASSERT_EQ(rc_other, -EFAULT);
	KT_ASSERT_EQ(rc_owner, 0);
}
