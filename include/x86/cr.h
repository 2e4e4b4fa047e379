/* SPDX-License-Identifier: MIT */
/* Control register bits: AMD64 APM vol 2 §3.1.1 (CR0, figure 3-1) and §3.1.3 (CR4, figure 3-7). */
#ifndef X86_CR_H
#define X86_CR_H

#include "x86/const.h"

#define CR0_PE X86_U(0x1)
#define CR0_MP X86_U(0x2)
#define CR0_ET X86_U(0x10)
#define CR0_NE X86_U(0x20)
#define CR0_WP X86_U(0x10000)
#define CR0_NW X86_U(0x20000000)
#define CR0_CD X86_U(0x40000000)
#define CR0_PG X86_U(0x80000000)

#define CR4_PAE	       X86_U(0x20)
#define CR4_MCE	       X86_U(0x40) /* bit 6: machine-check enable */
#define CR4_PGE	       X86_U(0x80)
#define CR4_OSFXSR     X86_U(0x200)
#define CR4_OSXMMEXCPT X86_U(0x400)
#define CR4_FSGSBASE   X86_U(0x10000)
#define CR4_OSXSAVE    X86_U(0x40000) /* bit 18: XGETBV/XSETBV enabled */

#endif /* X86_CR_H */
