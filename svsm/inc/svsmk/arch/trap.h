/* SPDX-License-Identifier: MIT */
/* Exception entry frame built by src/arch/x86_64/entry.S, and the exception interface. */
#ifndef SVSMK_ARCH_TRAP_H
#define SVSMK_ARCH_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* Pushed by the CPU (APM vol 2 §8.9.3, figure 8-14). */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S pushes 22 quadwords");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "entry.S layout");

void exception_handler(struct trap_frame *tf);
/* Install the IDT on this CPU (the table itself is shared and built once). */
void idt_init(void);
void idt_load(void);
/* Optional hook for tests: called for NMIs. */
extern void (*nmi_hook)(struct trap_frame *tf);
/* #VC handler installed by the SNP platform: returns 1 if it handled the exception. */
extern int (*vc_hook)(struct trap_frame *tf);
/* Exception vector count seen on this CPU (tests). */
const char *exception_name(unsigned int vector);

#endif /* SVSMK_ARCH_TRAP_H */
