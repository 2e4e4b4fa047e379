/* SPDX-License-Identifier: MIT */
/*
 * AMD MSRs that configure or report SEV / SEV-SNP on the host and in the
 * guest. Guest-visible GHCB and status MSRs live in sev/ghcb-msr.h and
 * sev/sev-status.h.
 *
 * Source: AMD APM vol. 2 (pub. 24593): 7.10.x "SYSCFG" (SMEE), 15.36.x
 * "Enabling SEV-SNP" (SYSCFG SNPEn/VMPLEn, RMP_BASE, RMP_END), 15.30.x
 * (VM_CR, VM_HSAVE_PA), 15.36.18 "Secure TSC" (GUEST_TSC_FREQ).
 * Cross-checked against Linux msr-index.h.
 */
#ifndef X86_MSR_AMD_H
#define X86_MSR_AMD_H

#include <stdint.h>

#define MSR_AMD_SYSCFG		     0xc0010010u
#define SYSCFG_MFDM		     (1ull << 19) /* memory-fabric dirty mode (needed for SNP) */
#define SYSCFG_MEM_ENCRYPTION_MOD_EN (1ull << 23) /* SMEE */
#define SYSCFG_SNP_EN		     (1ull << 24)
#define SYSCFG_VMPL_EN		     (1ull << 25)

#define MSR_AMD_VM_CR	    0xc0010114u
#define VM_CR_SVMDIS	    (1ull << 4)
#define MSR_AMD_VM_HSAVE_PA 0xc0010117u

#define MSR_AMD_SEV_ES_GHCB    0xc0010130u
#define MSR_AMD_SEV_STATUS     0xc0010131u
#define MSR_AMD_RMP_BASE       0xc0010132u /* system PA of the RMP table */
#define MSR_AMD_RMP_END	       0xc0010133u /* last byte of the RMP table */
/* RMP_BASE/RMP_END address field, bits 51:13 (APM vol. 2 15.36.4 "Initializing the RMP";
 * Linux arch/x86/virt/svm/sev.c RMP_ADDR_MASK). Zero means the BIOS reserved no RMP. */
#define MSR_AMD_RMP_ADDR_MASK  0x000fffffffffe000ull
#define MSR_AMD_GUEST_TSC_FREQ 0xc0010134u /* Secure TSC guests: MHz in [17:0] */
#define MSR_AMD_VIRTUAL_TOM    0xc0010135u /* vTOM guests */
#define MSR_AMD_RMP_CFG	       0xc0010136u /* segmented RMP configuration */
#define MSR_AMD_SAVIC_CONTROL  0xc0010138u /* Secure AVIC */

#endif /* X86_MSR_AMD_H */
