/* SPDX-License-Identifier: MIT */
/*
 * Test-and-test-and-set spinlock on GCC atomics. Not a ticket lock on purpose: the SVSM runs
 * on vCPUs that the host may preempt at any time, and a FIFO lock hands the lock to the next
 * waiter even when that vCPU is not running, stalling every other CPU (measured under TCG on
 * an overloaded host: ~20 ms per hand-off). Whoever runs takes the lock here.
 */
#ifndef SVSMK_SPINLOCK_H
#define SVSMK_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint32_t locked;
};

#define SPINLOCK_INIT \
	{             \
		0     \
	}

static inline int spin_trylock(struct spinlock *l)
{
	return !__atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
	}
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline int spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0;
}

#endif /* SVSMK_SPINLOCK_H */
