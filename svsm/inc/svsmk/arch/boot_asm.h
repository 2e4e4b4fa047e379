/* SPDX-License-Identifier: MIT */
/*
 * Architectural constants the 32-bit entry code (head.S) needs, written as plain numbers
 * because the shared C headers use C-only suffixes. Each one is checked against its shared
 * definition by _Static_assert in platform/platform.c, so they cannot drift.
 */
#ifndef SVSMK_ARCH_BOOT_ASM_H
#define SVSMK_ARCH_BOOT_ASM_H

#define BOOT_MSR_SEV_STATUS 0xc0010131 /* sev/sev-status.h MSR_SEV_STATUS (APM vol. 2 15.34.10) */
#define BOOT_SEV_STATUS_SNP 0x4	       /* sev/sev-status.h SEV_STATUS_SNP (bit 2) */

#endif /* SVSMK_ARCH_BOOT_ASM_H */
