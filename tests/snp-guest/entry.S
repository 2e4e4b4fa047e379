/* SPDX-License-Identifier: MIT */
/*
 * snp-guest entry: a Multiboot 1 kernel (GNU Multiboot spec 0.6.96 3.1.1),
 * entered in 32-bit protected mode with paging off (3.2). Sets a stack and
 * calls snp_guest_main(); the #GP handler records the fault and skips the
 * faulting instruction by the length the test announced.
 */
#include "boot/multiboot1.h"

#define MB_FLAGS 0

	.section .multiboot, "a"
	.balign 4
	.long MB1_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB1_HEADER_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl _start
_start:
	movl $stack_top, %esp
	pushl %ebx		/* Multiboot information (3.2) */
	pushl %eax		/* bootloader magic (3.2) */
	call snp_guest_main
1:	hlt
	jmp 1b

/* #GP (vector 13) pushes an error code, then EIP, CS, EFLAGS. */
	.globl gp_handler
gp_handler:
	incl gp_count
	movl gp_skip, %eax
	addl %eax, 4(%esp)
	addl $4, %esp
	iret

	.bss
	.balign 16
	.space 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
