/* SPDX-License-Identifier: MIT */
/*
 * snp-guest entry: a Multiboot 1 kernel (GNU Multiboot spec 0.6.96 3.1.1),
 * entered in 32-bit protected mode with paging off (3.2). Sets a stack and
 * calls snp_guest_main(); the #GP handler records the fault and skips the
 * faulting instruction by the length the test announced.
 */
#include "boot/multiboot1.h"
#include "guest.h"

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

/*
 * #GP (vector 13) pushes an error code, then EIP, CS, EFLAGS (+ ESP, SS from
 * CPL 3). Record it and skip the faulting instruction by gp_skip bytes; EAX
 * is preserved (the interrupted code may hold a live value in it).
 */
	.globl gp_handler
gp_handler:
	pushl %eax
	incl gp_count
	movl 4(%esp), %eax
	movl %eax, gp_error
	movl gp_skip, %eax
	addl %eax, 8(%esp)
	popl %eax
	addl $4, %esp
	iret

/* #UD (vector 6) pushes no error code. */
	.globl ud_handler
ud_handler:
	pushl %eax
	incl ud_count
	movl gp_skip, %eax
	addl %eax, 4(%esp)
	popl %eax
	iret

/* Reload CS and the data segments after guest.c loaded our GDT. */
	.globl load_segments
load_segments:
	ljmp $KERNEL_CS, $1f
1:	movl $KERNEL_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	ret

/*
 * void run_user(void (*fn)(void)): run fn at CPL 3 on its own stack; fn ends
 * with int $USER_RETURN_VECTOR, which lands in user_return at CPL 0 (on the
 * TSS stack) and resumes the caller with its callee-saved registers.
 */
	.globl run_user
run_user:
	pushl %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	movl %esp, saved_esp
	movl 20(%esp), %eax
	movl $USER_DS, %ecx
	movw %cx, %ds
	movw %cx, %es
	pushl $USER_DS
	pushl $user_stack_top
	pushfl
	pushl $USER_CS
	pushl %eax
	iret

	.globl user_return
user_return:
	movl $KERNEL_DS, %eax
	movw %ax, %ds
	movw %ax, %es
	movl saved_esp, %esp
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.data
	.balign 4
saved_esp:
	.long 0

	.bss
	.balign 16
	.space 16384
stack_top:
	.globl int_stack_top
	.space 4096
int_stack_top:
	.space 4096
user_stack_top:

	.section .note.GNU-stack, "", @progbits
