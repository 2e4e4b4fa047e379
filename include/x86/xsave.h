/* SPDX-License-Identifier: MIT */
/*
 * The XSAVE feature set: its CPUID bits, XCR0 state components and the
 * layout of an XSAVE area (legacy region, header, extended region in the
 * standard or the compacted format).
 *
 * Sources: Intel SDM vol. 1 (pub. 253665) chapter 13 "Managing State Using
 * the XSAVE Feature Set": 13.1 state components, 13.2 enumeration (CPUID
 * 0Dh), 13.4.1 legacy region (Table 13-1), 13.4.2 header, 13.4.3 extended
 * region; AMD APM vol. 3 (pub. 24594) Appendix E.3.2 (Fn0000_0001 ECX) and
 * E.3.6 (Fn0000_000D).
 */
#ifndef X86_XSAVE_H
#define X86_XSAVE_H

#include <stdint.h>

/* Fn0000_0001 ECX */
#define CPUID_1_ECX_XSAVE   (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_ECX_AVX	    (1u << 28)

/* Fn0000_000D: processor extended state enumeration. */
#define CPUID_FN_XSTATE		0x0000000du
/* Subleaf 1 EAX */
#define CPUID_D1_EAX_XSAVEOPT	(1u << 0)
#define CPUID_D1_EAX_XSAVEC	(1u << 1)
#define CPUID_D1_EAX_XGETBV1	(1u << 2)
#define CPUID_D1_EAX_XSAVES	(1u << 3)
/* Subleaf i >= 2: EAX size, EBX standard-format offset, ECX bits: */
#define CPUID_DN_ECX_SUPERVISOR (1u << 0) /* IA32_XSS component */
#define CPUID_DN_ECX_ALIGN64	(1u << 1) /* 64-byte aligned when compacted */

/* State components (XCR0 / XSTATE_BV / XCOMP_BV bits) */
#define XSTATE_X87	   (1ull << 0)
#define XSTATE_SSE	   (1ull << 1)
#define XSTATE_AVX	   (1ull << 2) /* upper halves of YMM0-15 */
/* XCOMP_BV bit 63: the area uses the compacted format */
#define XCOMP_BV_COMPACTED (1ull << 63)

/* XSETBV / XGETBV ECX for XCR0 */
#define XCR_XFEATURE_ENABLED 0u

/* Legacy region (the FXSAVE layout, Table 13-1), 512 bytes. */
struct xsave_legacy {
	uint16_t fcw;	       /* 000h */
	uint16_t fsw;	       /* 002h */
	uint8_t ftw;	       /* 004h: abridged tag word */
	uint8_t rsvd5;	       /* 005h */
	uint16_t fop;	       /* 006h */
	uint64_t fip;	       /* 008h */
	uint64_t fdp;	       /* 010h */
	uint32_t mxcsr;	       /* 018h */
	uint32_t mxcsr_mask;   /* 01Ch */
	uint8_t st[8][16];     /* 020h: ST0-ST7, 10 bytes each + 6 reserved */
	uint8_t xmm[16][16];   /* 0A0h: XMM0-XMM15 */
	uint8_t rsvd1a0[48];   /* 1A0h: reserved */
	uint8_t available[48]; /* 1D0h: bytes 511:464, not written */
};

/* XSAVE header (13.4.2), at byte 512. */
struct xsave_header {
	uint64_t xstate_bv; /* 000h */
	uint64_t xcomp_bv;  /* 008h */
	uint64_t rsvd[6];   /* 010h: bytes 63:16, must be zero */
};

/* The extended region starts at byte 576 (13.4.3). */
#define XSAVE_EXT_OFFSET     576u
/* Standard-format offset and size of the AVX component (CPUID 0Dh.2). */
#define XSAVE_AVX_STD_OFFSET 576u
#define XSAVE_AVX_SIZE	     256u

_Static_assert(sizeof(struct xsave_legacy) == 512, "xsave legacy size");
_Static_assert(__builtin_offsetof(struct xsave_legacy, mxcsr) == 0x18, "xsave mxcsr");
_Static_assert(__builtin_offsetof(struct xsave_legacy, st) == 0x20, "xsave st0");
_Static_assert(__builtin_offsetof(struct xsave_legacy, xmm) == 0xa0, "xsave xmm0");
_Static_assert(__builtin_offsetof(struct xsave_legacy, available) == 464, "xsave 511:464");
_Static_assert(sizeof(struct xsave_header) == 64, "xsave header size");
_Static_assert(sizeof(struct xsave_legacy) + sizeof(struct xsave_header) == XSAVE_EXT_OFFSET,
	       "xsave extended region");

#endif /* X86_XSAVE_H */
