/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU state. struct cpu_local lives in the CPU's private area (same VA on every CPU,
 * reached through GS base); struct cpu_shared is the globally visible part used by others.
 */
#ifndef SVSMK_PERCPU_H
#define SVSMK_PERCPU_H

#include <stdint.h>
#include <stdbool.h>
#include <x86/desc.h>
#include "svsmk/layout.h"
#include "svsmk/pgtable.h"

typedef void (*smp_fn)(void *arg);

struct cpu_shared {
	uint32_t index;
	uint32_t apic_id;
	volatile uint32_t online;
	/* Mailbox for smp_call_on(): written by the caller, cleared by the target. */
	volatile smp_fn call_fn;
	void *volatile call_arg;
	volatile uint32_t call_seq;
	volatile uint32_t done_seq;
	uint64_t cr3; /* this CPU's PML4 */
	uint64_t private_pa[PCPU_PRIVATE_FRAMES];
	uint64_t *window_pte; /* PT of the private area (global VA) */
	struct pgtable pt;
};

struct cpu_local {
	struct cpu_local *self; /* at GS:0 */
	struct cpu_shared *shared;
	uint32_t index;
	uint32_t pad;
	uint64_t gdt[5] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	uint64_t nmi_count;
	uint64_t last_nmi_rsp;
	uint32_t windows_used;
};

static inline struct cpu_local *this_cpu(void)
{
	struct cpu_local *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

extern struct cpu_shared cpus[MAX_CPUS];
extern uint32_t nr_cpus;

/* Build CPU idx's private page tables (called by the BSP for every CPU). */
int percpu_setup(uint32_t idx, uint32_t apic_id);
/* On the CPU itself: switch CR3, set GS, GDT/TSS/IDT. */
void percpu_activate(struct cpu_shared *cs);
/* Map a physical page into this CPU's next free window; returns its VA or NULL. */
void *percpu_map_temp(uint64_t pa, bool writable);
void percpu_unmap_temp(void *va);
/* Map/unmap a page at the private scratch VA of this CPU (tests of isolation). */
int percpu_map_scratch(uint64_t pa);
void percpu_unmap_scratch(void);

#endif /* SVSMK_PERCPU_H */
