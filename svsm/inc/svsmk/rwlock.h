/* SPDX-License-Identifier: MIT */
/*
 * Reader-writer spinlock: bit 31 = writer holds, bit 30 = writer waiting (blocks new readers
 * so writers cannot starve), bits 29:0 = reader count.
 */
#ifndef SVSMK_RWLOCK_H
#define SVSMK_RWLOCK_H

#include <stdint.h>

#define RW_WRITER  0x80000000U
#define RW_WAITING 0x40000000U
#define RW_READERS 0x3fffffffU

struct rwlock {
	uint32_t state;
};

#define RWLOCK_INIT \
	{           \
		0   \
	}

static inline void read_lock(struct rwlock *l)
{
	for (;;) {
		uint32_t s = __atomic_load_n(&l->state, __ATOMIC_RELAXED);
		if (!(s & (RW_WRITER | RW_WAITING)) &&
		    __atomic_compare_exchange_n(&l->state, &s, s + 1, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		__builtin_ia32_pause();
	}
}

static inline void read_unlock(struct rwlock *l)
{
	__atomic_fetch_sub(&l->state, 1, __ATOMIC_RELEASE);
}

static inline void write_lock(struct rwlock *l)
{
	for (;;) {
		uint32_t s = __atomic_load_n(&l->state, __ATOMIC_RELAXED);
		if (!(s & (RW_WRITER | RW_READERS))) {
			if (__atomic_compare_exchange_n(&l->state, &s, RW_WRITER, 0,
							__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return;
		} else if (!(s & RW_WAITING)) {
			__atomic_fetch_or(&l->state, RW_WAITING, __ATOMIC_RELAXED);
		}
		__builtin_ia32_pause();
	}
}

static inline void write_unlock(struct rwlock *l)
{
	__atomic_store_n(&l->state, 0, __ATOMIC_RELEASE);
}

#endif /* SVSMK_RWLOCK_H */
