/* SPDX-License-Identifier: MIT */
/*
 * Native AP start-up trampoline, copied to NATIVE_TRAMPOLINE_PA. A STARTUP IPI with vector
 * PA >> 12 starts the AP in real mode at CS = vector << 8, IP = 0 (SDM vol 3 §9.4.4.1,
 * APM vol 2 §16.5). Real mode -> protected mode -> long mode (APM vol 2 §14.6.1) on the boot
 * page tables, then native_ap_high switches to the CPU's own page tables and stack.
 */
#include <x86/cr.h>
#include <x86/msr.h>
#include <x86/desc.h>
#include "trampoline.h"

#define T(x) (NATIVE_TRAMPOLINE_PA + ((x) - trampoline_start))

	.section .rodata, "a"
	.balign 16
	.globl trampoline_start, trampoline_end
	.code16
trampoline_start:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	(tramp_gdtr - trampoline_start)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $T(tramp32)

	.code32
tramp32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	TRAMP_PARAMS_PA + TRAMP_PARAM_BOOT_CR3, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmp	$0x18, $T(tramp64)

	.code64
tramp64:
	movq	TRAMP_PARAMS_PA + TRAMP_PARAM_ENTRY, %rax
	jmpq	*%rax

	.balign 8
tramp_gdt:
	.quad	0
	.quad	DESC_CODE32	/* 0x08 */
	.quad	DESC_DATA32	/* 0x10 */
	.quad	DESC_CODE64	/* 0x18 */
tramp_gdt_end:
tramp_gdtr:
	.word	tramp_gdt_end - tramp_gdt - 1
	.long	T(tramp_gdt)
	.balign 8
trampoline_end:

	.text
	.code64
/* Still on the boot page tables: read the parameters, then switch CR3 and stack. */
	.globl native_ap_high
native_ap_high:
	movl	$TRAMP_PARAMS_PA, %ebx
	movq	TRAMP_PARAM_CR3(%rbx), %rax
	movq	TRAMP_PARAM_RSP(%rbx), %rcx
	movq	TRAMP_PARAM_RIP(%rbx), %rdx
	movq	TRAMP_PARAM_ARG(%rbx), %rdi
	movq	%rax, %cr3
	movq	%rcx, %rsp
	xorl	%ebp, %ebp
	pushq	$0
	jmpq	*%rdx
