// SPDX-License-Identifier: MIT
/* Spinlock and rwlock under contention from every CPU. */
#include "svsmk/percpu.h"
#include "svsmk/rwlock.h"
#include "svsmk/smp.h"
#include "svsmk/spinlock.h"
#include "svsmk/test.h"

#define ROUNDS 10000

static struct spinlock lock = SPINLOCK_INIT;
static uint64_t counter; /* plain, non-atomic: only the lock protects it */

static void spin_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&lock);
		uint64_t v = counter;
		__asm__ volatile("pause" ::: "memory"); /* widen the race window */
		counter = v + 1;
		spin_unlock(&lock);
	}
}

SVSM_TEST(spinlock_contention)
{
	KT_ASSERT(nr_cpus >= 2);
	counter = 0;
	smp_call_all(spin_worker, NULL);
	KT_ASSERT_EQ(counter, (uint64_t)ROUNDS * nr_cpus);
	KT_ASSERT(!spin_is_locked(&lock));
}

SVSM_TEST(spin_trylock_semantics)
{
	struct spinlock l = SPINLOCK_INIT;
	KT_ASSERT(spin_trylock(&l));
	KT_ASSERT(!spin_trylock(&l));
	spin_unlock(&l);
	KT_ASSERT(spin_trylock(&l));
	spin_unlock(&l);
}

static struct rwlock rw = RWLOCK_INIT;
static volatile uint64_t pair_a, pair_b;
static volatile uint32_t torn, reads, writer_done;

static void rw_worker(void *arg)
{
	(void)arg;
	if (smp_this_index() == 0) {
		for (uint64_t i = 1; i <= 2000; i++) {
			write_lock(&rw);
			pair_a = i;
			__asm__ volatile("pause" ::: "memory");
			pair_b = i;
			write_unlock(&rw);
		}
		__atomic_store_n(&writer_done, 1, __ATOMIC_RELEASE);
		return;
	}
	do { /* at least one read per reader, however the vCPUs are scheduled */
		read_lock(&rw);
		uint64_t a = pair_a;
		__asm__ volatile("pause" ::: "memory");
		uint64_t b = pair_b;
		read_unlock(&rw);
		if (a != b)
			__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&reads, 1, __ATOMIC_RELAXED);
	} while (!__atomic_load_n(&writer_done, __ATOMIC_ACQUIRE));
}

SVSM_TEST(rwlock_contention)
{
	KT_ASSERT(nr_cpus >= 2);
	torn = reads = writer_done = 0;
	pair_a = pair_b = 0;
	smp_call_all(rw_worker, NULL);
	KT_ASSERT_EQ(torn, 0);
	KT_ASSERT(reads > 0);
	KT_ASSERT_EQ(pair_a, 2000);
	KT_ASSERT_EQ(rw.state, 0);
}
