/* SPDX-License-Identifier: MIT */
#ifndef SVSMK_SMP_H
#define SVSMK_SMP_H

#include "svsmk/percpu.h"

/* Enumerate and start every CPU; returns the number online (BSP included). */
uint32_t smp_boot(void);
/* Run fn(arg) on CPU idx (the caller's own CPU runs it directly) and wait for it. */
void smp_call_on(uint32_t idx, smp_fn fn, void *arg);
/* Start fn on CPU idx without waiting; smp_wait() waits for it. */
void smp_call_async(uint32_t idx, smp_fn fn, void *arg);
void smp_wait(uint32_t idx);
/* Run fn on every online CPU concurrently (BSP included) and wait for all. */
void smp_call_all(smp_fn fn, void *arg);
uint32_t smp_this_index(void);

#endif /* SVSMK_SMP_H */
