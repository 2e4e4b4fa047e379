/* SPDX-License-Identifier: MIT */
/*
 * Legacy (32-bit protected-mode) descriptors, for 32-bit freestanding code
 * such as tests/snp-guest. Sources (Intel SDM 253668-032 numbering, as in
 * x86/desc.h): vol 3A figure 3-8 (segment descriptor: DPL in bits 46:45),
 * table 3-2 (system types: 9 = 32-bit TSS available, 0xE = 32-bit interrupt
 * gate), figure 6-2 (IDT gate descriptors, 8 bytes), figure 7-2 (32-bit TSS,
 * 104 bytes: ESP0 at 04h, SS0 at 08h, I/O map base at 66h); AMD64 APM vol 2
 * section 4.7 (legacy segment descriptors) and section 12.2.5 (legacy TSS).
 */
#ifndef X86_DESC32_H
#define X86_DESC32_H

#include "x86/const.h"

/* Flat 4 GiB ring-3 segments (G=1, D=1); the ring-0 ones are in x86/desc.h. */
#define DESC_CODE32_USER X86_ULL(0x00cffa000000ffff) /* DPL=3 exec/read */
#define DESC_DATA32_USER X86_ULL(0x00cff2000000ffff) /* DPL=3 read/write */

#define SYSDESC_TYPE_TSS32_AVAIL 0x9  /* SDM vol 3A table 3-2 */
#define GATE_TYPE_INT32		 0xe  /* 32-bit interrupt gate */
#define DESC_DPL3		 0x60 /* DPL 3 in the type/attribute byte */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* 32-bit interrupt/trap gate (SDM vol 3A figure 6-2). */
struct idt_gate32 {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr; /* P, DPL, type */
	uint16_t offset_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate32) == 8, "SDM figure 6-2: 8-byte gate");

/* 32-bit task-state segment (SDM vol 3A figure 7-2). */
struct tss32 {
	uint32_t prev_task;
	uint32_t esp0;
	uint32_t ss0;
	uint32_t esp1;
	uint32_t ss1;
	uint32_t esp2;
	uint32_t ss2;
	uint32_t cr3;
	uint32_t eip;
	uint32_t eflags;
	uint32_t gpr[8]; /* EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI */
	uint32_t seg[6]; /* ES, CS, SS, DS, FS, GS */
	uint32_t ldt;
	uint16_t trap;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct tss32, esp0) == 0x04, "SDM figure 7-2 ESP0");
_Static_assert(__builtin_offsetof(struct tss32, ss0) == 0x08, "SDM figure 7-2 SS0");
_Static_assert(__builtin_offsetof(struct tss32, ldt) == 0x60, "SDM figure 7-2 LDT");
_Static_assert(__builtin_offsetof(struct tss32, iomap_base) == 0x66, "SDM figure 7-2 I/O map");
_Static_assert(sizeof(struct tss32) == 104, "SDM figure 7-2: 104-byte TSS");

/* A 32-bit TSS descriptor: base, byte limit, available TSS, present, DPL 0. */
static inline uint64_t desc32_tss(uint32_t base, uint32_t limit)
{
	return (uint64_t)(limit & 0xffffu) | ((uint64_t)(base & 0xffffffu) << 16) |
	       ((uint64_t)(0x80u | SYSDESC_TYPE_TSS32_AVAIL) << 40) |
	       ((uint64_t)((limit >> 16) & 0xfu) << 48) | ((uint64_t)(base >> 24) << 56);
}
#endif /* __ASSEMBLER__ */

#endif /* X86_DESC32_H */
