/* SPDX-License-Identifier: MIT */
#ifndef SVSMK_ARCH_SETUP_H
#define SVSMK_ARCH_SETUP_H

#include <stdint.h>

struct cpu_local;

/* Load this CPU's GDT (with its TSS and IST stacks), segment registers, IDT, GS base. */
void arch_cpu_init(struct cpu_local *cl);
/* Initial APIC ID of the running CPU (CPUID leaf 1, EBX[31:24]). */
uint32_t arch_cpu_apic_id(void);
/* Continue on another stack: calls fn() there, never returns. */
__attribute__((noreturn)) void switch_stack(uint64_t rsp, void (*fn)(void));

#endif /* SVSMK_ARCH_SETUP_H */
