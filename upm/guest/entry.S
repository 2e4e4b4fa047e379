/* SPDX-License-Identifier: MIT */
/*
 * Guest entry. The host starts every vCPU in 64-bit mode (paging on, flat segments) at
 * _start with RSP = its stack, RDI = vCPU index, RSI = mailbox address (protocol.h),
 * GS base = the mailbox.
 *
 * Exception stubs: one per vector 0-31 (APM vol 2 table 8-1), all on IST1 (the host's
 * TSS). Vectors that push an error code (APM vol 2 §8.2: #DF, #TS, #NP, #SS, #GP, #PF,
 * #AC, #CP, #VC, #SX) leave it; the others push 0, so guest_exception() always sees
 * vector, error code, RIP, CS, RFLAGS, RSP, SS.
 */
	.section .text.entry, "ax"
	.globl _start
	.code64
_start:
	and	$-16, %rsp
	call	guest_main
1:	hlt
	jmp	1b

	.text
	.macro	exc_stub vec
	.balign	16
exc_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
	.endm

	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	exc_stub \v
	.endr

exc_common:
	mov	%rsp, %rdi
	and	$-16, %rsp
	call	guest_exception
2:	hlt
	jmp	2b

	.section .rodata
	.balign	8
	.globl	guest_exc_stubs
guest_exc_stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_stub_\v
	.endr

	.section .note.GNU-stack, "", @progbits
