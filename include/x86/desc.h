/* SPDX-License-Identifier: MIT */
/*
 * Long-mode descriptors. Sources (Intel SDM 253668-032 numbering): vol 3A table 3-2 (system/gate
 * descriptor types: 9 = 64-bit TSS available, 0xE = 64-bit interrupt gate), figure 6-7
 * (64-bit IDT gate descriptor, 16 bytes, IST in bits 2:0 of byte 4), figure 7-11 (64-bit
 * TSS: RSP0 at 04h, IST1 at 24h, I/O map base at 66h); AMD64 APM vol 2 chapter 4 ("Long-Mode
 * Segment Descriptors", system descriptors are 16 bytes) and table 8-1 (exception vectors).
 */
#ifndef X86_DESC_H
#define X86_DESC_H

#include "x86/const.h"

/* Flat long-mode segment descriptors (base/limit ignored in 64-bit mode). */
#define DESC_CODE64 X86_ULL(0x00209a0000000000) /* P=1 DPL=0 S=1 type=exec/read, L=1 */
#define DESC_DATA64 X86_ULL(0x0000920000000000) /* P=1 DPL=0 S=1 type=read/write */
/* Flat 32-bit descriptors (4 GiB limit, G=1, D=1), APM vol 2 §4.7. */
#define DESC_CODE32 X86_ULL(0x00cf9a000000ffff)
#define DESC_DATA32 X86_ULL(0x00cf92000000ffff)

#define SYSDESC_TYPE_TSS64_AVAIL 0x9 /* SDM vol 3A table 3-2 */
#define GATE_TYPE_INT64		 0xe /* 64-bit interrupt gate, SDM vol 3A table 3-2 */
#define DESC_PRESENT		 0x80

/* Exception vectors, APM vol 2 table 8-1. */
#define X86_VEC_DE	   0
#define X86_VEC_DB	   1
#define X86_VEC_NMI	   2
#define X86_VEC_BP	   3
#define X86_VEC_OF	   4
#define X86_VEC_BR	   5
#define X86_VEC_UD	   6
#define X86_VEC_NM	   7
#define X86_VEC_DF	   8
#define X86_VEC_TS	   10
#define X86_VEC_NP	   11
#define X86_VEC_SS	   12
#define X86_VEC_GP	   13
#define X86_VEC_PF	   14
#define X86_VEC_MF	   16
#define X86_VEC_AC	   17
#define X86_VEC_MC	   18
#define X86_VEC_XF	   19
#define X86_VEC_CP	   21
#define X86_VEC_HV	   28
#define X86_VEC_VC	   29 /* SEV-ES #VC, APM vol 2 §15.35.5 */
#define X86_VEC_SX	   30
#define X86_NUM_EXCEPTIONS 32

/* Page-fault error code bits, APM vol 2 §8.4.2 figure 8-8. */
#define PF_ERR_P   X86_U(0x1)
#define PF_ERR_W   X86_U(0x2)
#define PF_ERR_U   X86_U(0x4)
#define PF_ERR_RSV X86_U(0x8)
#define PF_ERR_I   X86_U(0x10)

#ifndef __ASSEMBLER__
#include <stdint.h>

/* 64-bit interrupt gate (SDM vol 3A figure 6-7). */
struct idt_gate64 {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;	   /* bits 2:0 IST index */
	uint8_t type_attr; /* P, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate64) == 16, "SDM figure 6-7: 16-byte gate");

/* 64-bit TSS/LDT system descriptor (16 bytes in long mode, SDM vol 3A table 3-2 note). */
struct sys_desc64 {
	uint16_t limit_lo;
	uint16_t base_lo;
	uint8_t base_mid;
	uint8_t type_attr;
	uint8_t limit_hi_flags;
	uint8_t base_hi;
	uint32_t base_top;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct sys_desc64) == 16, "16-byte system descriptor");

/* 64-bit task-state segment (SDM vol 3A figure 7-11). */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7]; /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb_offset;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "SDM figure 7-11: 104-byte TSS");
_Static_assert(__builtin_offsetof(struct tss64, rsp) == 4, "RSP0 at offset 4");
_Static_assert(__builtin_offsetof(struct tss64, ist) == 0x24, "IST1 at offset 0x24");
_Static_assert(__builtin_offsetof(struct tss64, iopb_offset) == 0x66, "IOPB at 0x66");

/* Operand of LGDT/LIDT in 64-bit mode: 2-byte limit, 8-byte base (APM vol 2 §4.6.2). */
struct desc_ptr64 {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_ptr64) == 10, "pseudo-descriptor is 10 bytes");
#endif

#endif /* X86_DESC_H */
