/* SPDX-License-Identifier: MIT */
/*
 * Fault-tolerant memory accessors. Each instruction that may fault on a bad address has an
 * __ex_table entry {faulting RIP, fixup RIP}; exception_handler() resumes at the fixup,
 * which returns -EFAULT instead of crashing the SVSM.
 */
#define EFAULT 14

.macro EX_ENTRY insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad	\insn, \fixup
	.popsection
.endm

	.text
/* int copy_bytes_safe(void *dst, const void *src, size_t n) */
	.globl copy_bytes_safe
copy_bytes_safe:
	movq	%rdx, %rcx
1:	rep movsb
	xorl	%eax, %eax
	ret
	EX_ENTRY 1b, .Lfault

/* int read_u64_safe(const void *src, uint64_t *out) */
	.globl read_u64_safe
read_u64_safe:
2:	movq	(%rdi), %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
	EX_ENTRY 2b, .Lfault

/* int write_u64_safe(void *dst, uint64_t v) */
	.globl write_u64_safe
write_u64_safe:
3:	movq	%rsi, (%rdi)
	xorl	%eax, %eax
	ret
	EX_ENTRY 3b, .Lfault

/* int rdmsr_safe(uint32_t msr, uint64_t *out): -EFAULT if RDMSR raises #GP (no such MSR). */
	.globl rdmsr_safe
rdmsr_safe:
	movl	%edi, %ecx
4:	rdmsr
	shlq	$32, %rdx
	orq	%rdx, %rax
	movq	%rax, (%rsi)
	xorl	%eax, %eax
	ret
	EX_ENTRY 4b, .Lfault

.Lfault:
	movl	$-EFAULT, %eax
	ret
