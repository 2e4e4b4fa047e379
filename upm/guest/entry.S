/* SPDX-License-Identifier: MIT */
/*
 * Guest entry. The host starts every vCPU in 64-bit mode (paging on, flat segments) at
 * _start with RSP = its stack, RDI = vCPU index, RSI = mailbox address (protocol.h).
 */
	.section .text.entry, "ax"
	.globl _start
	.code64
_start:
	and	$-16, %rsp
	call	guest_main
1:	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits
