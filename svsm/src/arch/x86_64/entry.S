/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs: push a dummy error code where the CPU pushes none (APM vol 2
 * table 8-1 lists which vectors have one), the vector, and the general registers, giving
 * struct trap_frame (svsmk/arch/trap.h); call exception_handler; return with IRETQ.
 */
#include <x86/desc.h>

.macro STUB vec
	.balign 16
exc_stub_\vec:
	.if (\vec == X86_VEC_DF) || (\vec == X86_VEC_TS) || (\vec == X86_VEC_NP) || (\vec == X86_VEC_SS) || (\vec == X86_VEC_GP) || (\vec == X86_VEC_PF) || (\vec == X86_VEC_AC) || (\vec == X86_VEC_CP) || (\vec == X86_VEC_VC) || (\vec == X86_VEC_SX)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STUB \v
	.endr

exc_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	movq	%rsp, %rbx
	andq	$-16, %rsp
	call	exception_handler
	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl exc_stub_table
exc_stub_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_stub_\v
	.endr
