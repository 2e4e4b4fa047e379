/* SPDX-License-Identifier: MIT */
/*
 * Local APIC (xAPIC MMIO) registers: AMD64 APM vol 2 §16.3 (table 16-2 register offsets),
 * §16.5 (ICR, figure 16-12); Intel SDM vol 3A §11.6.1 figure 11-12 "Interrupt Command
 * Register (ICR)" (§10.6.1 / figure 10-12 in older editions) and §9.4.4.1 (INIT-SIPI-SIPI).
 */
#ifndef X86_APIC_H
#define X86_APIC_H

#include "x86/const.h"

#define APIC_DEFAULT_BASE X86_ULL(0xfee00000)

#define APIC_REG_ID	 0x020 /* bits 31:24 = APIC ID in xAPIC mode */
#define APIC_REG_VERSION 0x030
#define APIC_REG_EOI	 0x0b0
#define APIC_REG_SVR	 0x0f0 /* spurious-interrupt vector register */
#define APIC_REG_ESR	 0x280
#define APIC_REG_ICR_LO	 0x300
#define APIC_REG_ICR_HI	 0x310 /* bits 31:24 = destination */

#define APIC_SVR_ENABLE X86_U(0x100)

/* ICR low fields (APM vol 2 figure 16-12). */
#define APIC_ICR_VECTOR(v)     ((v)&X86_U(0xff))
#define APIC_ICR_DM_FIXED      (X86_U(0) << 8)
#define APIC_ICR_DM_NMI	       (X86_U(4) << 8)
#define APIC_ICR_DM_INIT       (X86_U(5) << 8)
#define APIC_ICR_DM_STARTUP    (X86_U(6) << 8)
#define APIC_ICR_DELIV_PENDING X86_U(0x1000)
#define APIC_ICR_LEVEL_ASSERT  X86_U(0x4000)
#define APIC_ICR_TRIGGER_LEVEL X86_U(0x8000)
#define APIC_ICR_DEST_SELF     X86_U(0x40000) /* destination shorthand 01b */
#define APIC_ICR_DEST_SHIFT    24	      /* in ICR high */

#endif /* X86_APIC_H */
