/* SPDX-License-Identifier: MIT */
/*
 * Model-specific register numbers and bits used by the SVSM and test guests.
 * Sources: AMD64 APM vol 2 (24593) appendix A "MSR Cross-Reference" and §3.1.7 (EFER);
 * Intel SDM vol 4 table 2-2 (IA32_APIC_BASE).
 */
#ifndef X86_MSR_H
#define X86_MSR_H

#include "x86/const.h"

/* IA32_APIC_BASE: APM vol 2 §16.3.1, SDM vol 3 §11.4.4. */
#define MSR_APIC_BASE		X86_U(0x0000001b)
#define MSR_APIC_BASE_BSP	X86_ULL(0x100)
#define MSR_APIC_BASE_X2APIC	X86_ULL(0x400)
#define MSR_APIC_BASE_ENABLE	X86_ULL(0x800)
#define MSR_APIC_BASE_ADDR_MASK X86_ULL(0x000ffffffffff000)

/* EFER: APM vol 2 §3.1.7, figure 3-9. */
#define MSR_EFER  X86_U(0xc0000080)
#define EFER_SCE  X86_U(0x1)
#define EFER_LME  X86_U(0x100)
#define EFER_LMA  X86_U(0x400)
#define EFER_NXE  X86_U(0x800)
#define EFER_SVME X86_U(0x1000)

/* Segment base MSRs: APM vol 2 §4.5.3. */
#define MSR_FS_BASE	   X86_U(0xc0000100)
#define MSR_GS_BASE	   X86_U(0xc0000101)
#define MSR_KERNEL_GS_BASE X86_U(0xc0000102)

/* Page Attribute Table: APM vol 2 §7.8.1 (PAT register, MSR 0277h). */
#define MSR_PAT X86_U(0x277)

#endif /* X86_MSR_H */
