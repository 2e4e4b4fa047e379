/* SPDX-License-Identifier: MIT */
/*
 * Test-guest entry. The SVSM starts the BSP in 32-bit flat protected mode with paging off
 * (include/svsm/guest-launch.h); every access is private until paging is on (APM vol. 2
 * 15.34.5). We build identity tables for 0..4 GiB with 2 MiB pages carrying the C-bit
 * (its position arrives in EBX), except the shared window (GUEST_SHARED_BASE), and enter
 * long mode (APM vol. 2 14.6.1). APs start directly in 64-bit mode at ap_entry64 from the
 * VMSA the BSP gives to CREATE_VCPU (RDI = vCPU index, RSP = its stack).
 * Exception stubs: vector in the frame, common handler in C (trap.c).
 */
#include <svsm/guest-launch.h>
#include <x86/cr.h>
#include <x86/desc.h>
#include <x86/msr.h>
#include <x86/paging.h>
#include "layout.h"

#define TABLE	  (PTE_P | PTE_RW)
#define LARGE	  (PTE_P | PTE_RW | PTE_PS)
#define SHARED_PD (GUEST_SHARED_BASE >> 21) /* the shared window's 2 MiB slot */
#define ALIAS_PDPT (GUEST_SHARED_ALIAS >> 30) /* PDPT slot of the C-bit-clear alias */

	.section .header, "a"
	.long	SVSM_GUEST_MAGIC
	.long	entry32
	.long	__image_end
	.long	0

	.section .text.entry, "ax"
	.code32
	.globl	entry32
entry32:
	cli
	cld
	cmpl	$SVSM_GUEST_MAGIC, %eax
	jne	.Lhang32
	movl	%eax, boot_regs
	movl	%ebx, boot_regs + 4
	movl	%ecx, boot_regs + 8
	movl	%edx, boot_regs + 12
	movl	%esi, boot_regs + 16
	movl	%edi, boot_regs + 20
	cmpl	$32, %ebx			/* the C-bit must lie above the 4 GiB map */
	jb	.Lhang32
	cmpl	$52, %ebx
	jae	.Lhang32
	leal	-32(%ebx), %ecx
	movl	$1, %edx
	shll	%cl, %edx			/* EDX = C-bit in the high dword */

	movl	$pdpt + TABLE, pml4
	movl	%edx, pml4 + 4
	movl	$pd + TABLE, %eax
	xorl	%edi, %edi
1:	movl	%eax, pdpt(,%edi,8)
	movl	%edx, pdpt + 4(,%edi,8)
	addl	$4096, %eax
	incl	%edi
	cmpl	$4, %edi
	jb	1b
	movl	$LARGE, %eax
	xorl	%edi, %edi
2:	movl	%eax, pd(,%edi,8)
	movl	%edx, pd + 4(,%edi,8)
	cmpl	$SHARED_PD, %edi
	jne	3f
	movl	$0, pd + 4(,%edi,8)		/* shared with the host: no C-bit */
3:	addl	$0x200000, %eax
	incl	%edi
	cmpl	$2048, %edi
	jb	2b
	/* The alias: GPA 0..1 GiB again, 2 MiB pages without the C-bit (shared). */
	movl	$pd_alias + TABLE, pdpt + 8 * ALIAS_PDPT
	movl	%edx, pdpt + 8 * ALIAS_PDPT + 4
	movl	$LARGE, %eax
	xorl	%edi, %edi
4:	movl	%eax, pd_alias(,%edi,8)
	addl	$0x200000, %eax
	incl	%edi
	cmpl	$512, %edi
	jb	4b

	lgdt	gdt_ptr32
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmp	$0x08, $long64
.Lhang32:
	hlt
	jmp	.Lhang32

	.code64
long64:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	stacks + GUEST_STACK_SIZE(%rip), %rsp	/* vCPU 0's stack */
	xorl	%ebp, %ebp
	call	guest_main
	ud2

	.globl	ap_entry64
ap_entry64:
	xorl	%ebp, %ebp
	call	ap_main
	ud2

/* int probe_read64(const volatile void *va, uint64_t *out): the load at probe_insn may
 * fault on purpose (#VC 0x404 for a page not validated); trap.c then resumes at
 * probe_fixup, which returns 1. */
	.globl	probe_read64, probe_insn, probe_fixup
probe_read64:
probe_insn:
	movq	(%rdi), %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
probe_fixup:
	movl	$1, %eax
	ret

/* Exception stubs: [error code], vector, then the registers (struct trap_frame). */
.macro stub vec, has_err
	.balign 16
exc_\vec:
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm
	stub 0, 0
	stub 1, 0
	stub 2, 0
	stub 3, 0
	stub 4, 0
	stub 5, 0
	stub 6, 0
	stub 7, 0
	stub 8, 1
	stub 9, 0
	stub 10, 1
	stub 11, 1
	stub 12, 1
	stub 13, 1
	stub 14, 1
	stub 15, 0
	stub 16, 0
	stub 17, 1
	stub 18, 0
	stub 19, 0
	stub 20, 0
	stub 21, 1
	stub 22, 0
	stub 23, 0
	stub 24, 0
	stub 25, 0
	stub 26, 0
	stub 27, 0
	stub 28, 0
	stub 29, 1
	stub 30, 1
	stub 31, 0

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
	movq	%rsp, %rdi
	cld
	call	trap_handler
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
	addq	$16, %rsp			/* vector and error code */
	iretq

	.section .rodata
	.globl	exc_stubs
	.balign 8
exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_\v
	.endr

	.balign 8
	.globl	gdt
gdt:
	.quad	0
	.quad	DESC_CODE64			/* 08h */
	.quad	DESC_DATA32			/* 10h: flat, also valid in 32-bit mode */
gdt_end:
gdt_ptr32:
	.word	gdt_end - gdt - 1
	.long	gdt

	.bss
	.balign 4096
	.globl	pml4
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
pd_alias: .skip	4096
	.balign 16
	.globl	stacks
stacks:	.skip	GUEST_MAX_CPUS * GUEST_STACK_SIZE
