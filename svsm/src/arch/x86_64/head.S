/* SPDX-License-Identifier: MIT */
/*
 * Image start: multiboot header and the 32-bit entry points, which build boot page tables
 * and enter 64-bit long mode (APM vol 2 §14.6.1 "Activating long mode": CR4.PAE, CR3,
 * EFER.LME, CR0.PG, then a far transfer to a 64-bit code segment).
 *
 * Everything here runs before paging at whatever 2 MiB-aligned physical address the image
 * was loaded to, so addresses are computed from the base found with call/pop (EBP).
 */
#include <boot/multiboot1.h>
#include <x86/cr.h>
#include <x86/msr.h>
#include <x86/paging.h>
#include <x86/desc.h>
#include <x86/desc32.h>
#include "svsmk/arch/boot_asm.h"
#include "svsmk/layout.h"

#define MB_FLAGS  (MB1_HDR_PAGE_ALIGN | MB1_HDR_MEMORY_INFO | MB1_HDR_ADDRESS)
#define TABLE	  (PTE_P | PTE_RW)
#define LARGE	  (PTE_P | PTE_RW | PTE_PS)
#define TWO_MB	  0x200000
#define OFF(sym)  ((sym) - __head_start)
#define BOOT32_CS 0x18 /* boot_gdt's 32-bit code segment */

	.section .head.text, "awx"
	.code32
	.globl __head_start
__head_start:
	/* Multiboot §3.1.1: the header must lie in the first 8192 bytes, 4-byte aligned. */
	.balign 4
	.globl multiboot_header
multiboot_header:
	.long MB1_HEADER_MAGIC
	.long MB_FLAGS
	.long -(MB1_HEADER_MAGIC + MB_FLAGS)
	.long mb_header_addr	/* address fields (§3.1.3), from the linker script */
	.long mb_load_addr
	.long mb_load_end_addr
	.long mb_bss_end_addr
	.long mb_entry_addr

/*
 * Multiboot entry (§3.2): EAX = 0x2BADB002, EBX = boot information PA, protected mode,
 * paging off, flat segments, ESP undefined. The information structure is RAM the loader
 * gave us, so its mem_lower word serves as a one-slot stack for call/pop. With the base
 * known, the boot stack provides the stack svsm_entry32 expects, so every multiboot boot
 * also goes through the generic entry (the one IGVM/SNP use).
 */
	.globl multiboot_entry
multiboot_entry:
	cli
	cld
	movl	%eax, %edi
	movl	%ebx, %esi
	movl	4(%ebx), %ecx
	leal	8(%ebx), %esp
	call	1f
1:	popl	%ebp
	movl	%ecx, 4(%ebx)
	subl	$OFF(1b), %ebp
	leal	boot_stack_top_off(%ebp), %esp
	jmp	svsm_entry32

/*
 * Generic 32-bit entry, the state an IGVM VP context or SNP VMSA gives: protected mode,
 * paging off, flat 4 GiB code/data segments, ESP = a usable stack (at least 8 bytes),
 * EDI = boot protocol magic, ESI = physical address of the boot parameters.
 */
	.globl svsm_entry32
svsm_entry32:
	cli
	cld
	call	2f
2:	popl	%ebp
	subl	$OFF(2b), %ebp
	xorl	%edx, %edx			/* no encryption bit outside SEV */
	jmp	common32

/*
 * IGVM entry (the image's VMSA, `make svsm-igvm`): 32-bit flat protected mode, paging off,
 * no registers from the loader but maybe ESP. Without an ESP the image must be placed at
 * SVSM_DEFAULT_LOAD_PA, and the call/pop below borrows the multiboot header's checksum word
 * there as its one stack slot; an image placed elsewhere gets ESP = its base + 12 (the same
 * word, igvmtool --rsp). The boot stack (in .bss, zeroed later) serves after that.
 *
 * The same file boots on SEV-SNP and on a plain VM (QEMU's IGVM loader without confidential
 * guest support). The hardware decides which, never the host-written parameter pages:
 * SEV_STATUS (APM vol. 2 15.34.10) is readable without a #VC in an SEV guest and does not
 * exist elsewhere, where RDMSR either #GPs (a one-gate IDT skips the instruction, leaving 0)
 * or reads 0 (QEMU TCG). SNP active: the C-bit position comes from the SNP CPUID page below
 * the region (SNP ABI 56860 8.17.2.6: the firmware-checked CPUID Fn8000_001F, EBX[5:0] =
 * C-bit position, APM vol. 3 E.4.17); it must be in 32..51 (above the 4 GiB identity map's
 * address bits, within the 52-bit physical address). SEV or SEV-ES without SNP: no CPUID
 * page, no supported layout: stop. Both paths hand the IGVM parameter pages to C
 * (EDI = SVSM_BOOT_MAGIC_IGVM, ESI = the boot pages' base).
 */
	.globl svsm_entry_snp32
svsm_entry_snp32:
	cli
	cld
	testl	%esp, %esp			/* a loader-given slot (igvmtool --rsp) wins */
	jnz	5f
	movl	$(SVSM_DEFAULT_LOAD_PA + 12), %esp
5:	call	6f
6:	popl	%ebp
	subl	$OFF(6b), %ebp
	leal	boot_stack_top_off(%ebp), %esp

	/* Our GDT, and CS = its 32-bit code segment: the loader's GDTR may be empty (it is in
	 * igvmtool's VMSA) and the #GP gate below reloads CS from the GDT. */
	leal	OFF(boot_gdt)(%ebp), %eax
	movl	%eax, OFF(boot_gdtr) + 2(%ebp)
	lgdt	OFF(boot_gdtr)(%ebp)
	pushl	$BOOT32_CS
	leal	OFF(10f)(%ebp), %eax
	pushl	%eax
	lret
10:	leal	OFF(boot_idt32)(%ebp), %edi
	leal	OFF(rdmsr_gp_skip)(%ebp), %eax
	movw	%ax, X86_VEC_GP * 8(%edi)		/* 32-bit interrupt gate, SDM vol 3A fig. 6-2 */
	movw	$BOOT32_CS, X86_VEC_GP * 8 + 2(%edi)
	movw	$((0x80 | GATE_TYPE_INT32) << 8), X86_VEC_GP * 8 + 4(%edi)
	shrl	$16, %eax
	movw	%ax, X86_VEC_GP * 8 + 6(%edi)
	movl	%edi, OFF(boot_idtr32) + 2(%ebp)
	lidt	OFF(boot_idtr32)(%ebp)
	movl	$BOOT_MSR_SEV_STATUS, %ecx
	xorl	%eax, %eax
	xorl	%edx, %edx
sev_status_rdmsr:
	rdmsr
	testl	$BOOT_SEV_STATUS_SNP, %eax
	jnz	11f
	testl	%eax, %eax
	jnz	.Lhang				/* SEV / SEV-ES without SNP */
	xorl	%edx, %edx			/* plain VM: no encryption bit */
	jmp	12f

11:	leal	-(SNP_BOOT_PAGES_SIZE - SNP_BOOT_CPUID)(%ebp), %esi
	movl	(%esi), %ecx			/* count */
	cmpl	$64, %ecx			/* SNP_CPUID_COUNT_MAX */
	ja	.Lhang
	leal	16(%esi), %eax			/* fn[0] */
7:	testl	%ecx, %ecx
	jz	.Lhang				/* no Fn8000_001F: cannot know the C-bit */
	cmpl	$0x8000001f, (%eax)		/* eax_in */
	je	8f
	addl	$0x30, %eax			/* sizeof(struct snp_cpuid_fn) */
	decl	%ecx
	jmp	7b
8:	movl	0x1c(%eax), %ecx		/* ebx */
	andl	$0x3f, %ecx
	cmpl	$32, %ecx
	jb	.Lhang
	cmpl	$52, %ecx
	jae	.Lhang
	subl	$32, %ecx
	movl	$1, %edx
	shll	%cl, %edx			/* EDX = C-bit within the high dword */
12:	movl	$SVSM_BOOT_MAGIC_IGVM, %edi
	leal	-SNP_BOOT_PAGES_SIZE(%ebp), %esi
	jmp	common32

/* #GP on the SEV_STATUS RDMSR (no such MSR): resume after it with EAX = EDX = 0. Any other
 * #GP this early is a bug: stop. */
rdmsr_gp_skip:
	addl	$4, %esp			/* error code */
	call	13f
13:	popl	%eax
	subl	$(13b - sev_status_rdmsr), %eax
	cmpl	%eax, (%esp)
	jne	.Lhang
	addl	$2, (%esp)			/* RDMSR is 0F 32 */
	xorl	%eax, %eax
	xorl	%edx, %edx
	iret

/* EBP = load base, EDX = high dword of the encryption mask for every boot table entry. */
common32:
	testl	$(SVSM_ALIGN - 1), %ebp		/* the mapping below uses 2 MiB pages */
	jnz	.Lhang
	movl	%edx, OFF(boot_cbit_hi)(%ebp)
	movl	%edi, %ebx			/* keep the magic across rep stos */

	leal	bss_start_off(%ebp), %edi
	movl	$bss_size_dw, %ecx
	xorl	%eax, %eax
	rep stosl
	leal	boot_stack_top_off(%ebp), %esp

	/* PML4[0] -> low PDPT (identity), PML4[511] -> high PDPT (kernel). */
	leal	boot_pml4_off(%ebp), %edi
	leal	boot_pdpt_low_off(%ebp), %eax
	orl	$TABLE, %eax
	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	leal	boot_pdpt_high_off(%ebp), %eax
	orl	$TABLE, %eax
	movl	%eax, 511 * 8(%edi)
	movl	%edx, 511 * 8 + 4(%edi)

	/* Identity map 0..4 GiB with 2 MiB pages (boot information, AP trampoline). */
	leal	boot_pdpt_low_off(%ebp), %edi
	leal	boot_pd_low_off(%ebp), %eax
	orl	$TABLE, %eax
	movl	$4, %ecx
3:	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	3b
	leal	boot_pd_low_off(%ebp), %edi
	movl	$LARGE, %eax
	movl	$2048, %ecx
4:	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	addl	$TWO_MB, %eax
	addl	$8, %edi
	loop	4b

	/* KERNEL_VBASE (PML4 511, PDPT 510) -> the SVSM region at EBP. */
	leal	boot_pdpt_high_off(%ebp), %edi
	leal	boot_pd_high_off(%ebp), %eax
	orl	$TABLE, %eax
	movl	%eax, 510 * 8(%edi)
	movl	%edx, 510 * 8 + 4(%edi)
	leal	boot_pd_high_off(%ebp), %edi
	movl	%ebp, %eax
	orl	$LARGE, %eax
	movl	$(SVSM_REGION_SIZE / TWO_MB), %ecx
5:	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	addl	$TWO_MB, %eax
	addl	$8, %edi
	loop	5b

	leal	OFF(boot_gdt)(%ebp), %eax
	movl	%eax, OFF(boot_gdtr) + 2(%ebp)
	lgdt	OFF(boot_gdtr)(%ebp)

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	leal	boot_pml4_off(%ebp), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE | CR0_WP), %eax
	movl	%eax, %cr0

	pushl	$KERNEL_CS
	leal	OFF(long64_low)(%ebp), %eax
	pushl	%eax
	lret

.Lhang:
	hlt
	jmp	.Lhang

	.code64
long64_low:
	movabsq	$long64_high, %rax
	jmpq	*%rax

	.balign 16
boot_gdt:
	.quad	0
	.quad	DESC_CODE64	/* KERNEL_CS */
	.quad	DESC_DATA64	/* KERNEL_DS */
	.quad	DESC_CODE32	/* BOOT32_CS: the IGVM entry before long mode */
boot_gdt_end:
	.balign 4
boot_gdtr:			/* 32-bit LGDT operand: 16-bit limit, 32-bit base */
	.word	boot_gdt_end - boot_gdt - 1
	.long	0
	.balign 8
boot_idt32:			/* vectors 0..#GP; only the #GP gate is filled in */
	.skip	(X86_VEC_GP + 1) * 8
	.balign 4
boot_idtr32:
	.word	(X86_VEC_GP + 1) * 8 - 1
	.long	0
	.balign 4
	.globl boot_cbit_hi
boot_cbit_hi:			/* C-bit mask >> 32 (0 outside SEV), set by the entry code */
	.long	0

	.text
	.code64
long64_high:
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	boot_stack_top(%rip), %rsp
	movl	%ebx, %edi		/* magic (32-bit moves clear the undefined upper halves) */
	movl	%esi, %esi		/* boot parameters PA */
	movl	%ebp, %edx		/* load PA */
	xorl	%ebp, %ebp		/* ends frame-pointer backtraces */
	call	svsm_start
	ud2

/* void switch_stack(uint64_t rsp, void (*fn)(void)): continue on a new stack, never return. */
	.globl switch_stack
switch_stack:
	movq	%rdi, %rsp
	xorl	%ebp, %ebp
	pushq	$0
	jmpq	*%rsi

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pd_low:	.skip 4 * 4096
boot_pdpt_high:	.skip 4096
boot_pd_high:	.skip 4096
	.balign 16
boot_stack:	.skip BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
