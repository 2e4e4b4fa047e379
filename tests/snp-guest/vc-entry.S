/* SPDX-License-Identifier: MIT */
/*
 * snp-guest #PF (vector 14) and #VC (vector 29) entry points (30-paging.c,
 * 31-vc.c). Both push an error code (AMD APM vol. 2 8.4.2, 15.35.5).
 */

	.text
	.code32

/* #PF: record error code and CR2, skip the faulting instruction (gp_skip). */
	.globl pf_handler
pf_handler:
	pushl %eax
	incl pf_count
	movl 4(%esp), %eax
	movl %eax, pf_error
	movl %cr2, %eax
	movl %eax, pf_cr2
	movl gp_skip, %eax
	addl %eax, 8(%esp)
	popl %eax
	addl $4, %esp
	iret

/*
 * #VC is a fault: the saved EIP is the instruction that caused it, which
 * runs again after vc_handle() has resolved the cause (or skips it by
 * advancing the saved EIP). vc_handle(struct vc_frame *) is C (vc.h).
 */
	.globl vc_handler
vc_handler:
	pushal
	movl %cr2, %eax
	pushl %eax
	pushl %esp		/* struct vc_frame *: CR2, the 8 registers, error code, EIP... */
	call vc_handle
	addl $8, %esp
	popal
	addl $4, %esp
	iret

	.section .note.GNU-stack, "", @progbits
