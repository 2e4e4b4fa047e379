/* SPDX-License-Identifier: MIT */
/*
 * CPUID Fn8000_001F: AMD memory-encryption capabilities.
 *
 * Source: AMD APM vol. 3 (pub. 24594), Appendix E.4.17 "Function 8000_001Fh
 * - Encrypted Memory Capabilities", and APM vol. 2, 15.34.1 / 15.35.1.
 * Cross-checked against Linux cpufeatures.h / KVM selftests processor.h
 * (X86_FEATURE_SEV* = 8000001F EAX bits) and Project Oak's sev_guest cpuid.
 */
#ifndef X86_CPUID_SEV_H
#define X86_CPUID_SEV_H

#include <stdint.h>

#define CPUID_FN_SEV 0x8000001fu

/* EAX: feature flags. */
#define CPUID_SEV_EAX_SME		   (1u << 0)
#define CPUID_SEV_EAX_SEV		   (1u << 1)
#define CPUID_SEV_EAX_PAGE_FLUSH_MSR	   (1u << 2)
#define CPUID_SEV_EAX_SEV_ES		   (1u << 3)
#define CPUID_SEV_EAX_SNP		   (1u << 4)
#define CPUID_SEV_EAX_VMPL		   (1u << 5)
#define CPUID_SEV_EAX_RMPQUERY		   (1u << 6)
#define CPUID_SEV_EAX_VMPL_SSS		   (1u << 7)
#define CPUID_SEV_EAX_SECURE_TSC	   (1u << 8)
#define CPUID_SEV_EAX_TSC_AUX_VIRT	   (1u << 9)
#define CPUID_SEV_EAX_HW_CACHE_COHERENCY   (1u << 10)
#define CPUID_SEV_EAX_64BIT_HOST	   (1u << 11)
#define CPUID_SEV_EAX_RESTRICTED_INJECTION (1u << 12)
#define CPUID_SEV_EAX_ALTERNATE_INJECTION  (1u << 13)
#define CPUID_SEV_EAX_DEBUG_SWAP	   (1u << 14)
#define CPUID_SEV_EAX_PREVENT_HOST_IBS	   (1u << 15)
#define CPUID_SEV_EAX_VTE		   (1u << 16)
#define CPUID_SEV_EAX_VMGEXIT_PARAMETER	   (1u << 17)
#define CPUID_SEV_EAX_VIRTUAL_TOM_MSR	   (1u << 18)
#define CPUID_SEV_EAX_IBS_VIRT		   (1u << 19)
#define CPUID_SEV_EAX_PMC_VIRT		   (1u << 20)
#define CPUID_SEV_EAX_RMPREAD		   (1u << 21)
#define CPUID_SEV_EAX_SECURE_AVIC	   (1u << 26)

/* EBX: C-bit position [5:0], physical address bit reduction [11:6], VMPLs [15:12]. */
#define CPUID_SEV_EBX_CBIT_MASK		   0x3fu
#define CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT 6
#define CPUID_SEV_EBX_PHYS_REDUCTION_MASK  (0x3fu << 6)
#define CPUID_SEV_EBX_NUM_VMPLS_SHIFT	   12
#define CPUID_SEV_EBX_NUM_VMPLS_MASK	   (0xfu << 12)

static inline unsigned int cpuid_sev_cbit(uint32_t ebx)
{
	return ebx & CPUID_SEV_EBX_CBIT_MASK;
}

static inline unsigned int cpuid_sev_phys_reduction(uint32_t ebx)
{
	return (ebx & CPUID_SEV_EBX_PHYS_REDUCTION_MASK) >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT;
}

static inline unsigned int cpuid_sev_num_vmpls(uint32_t ebx)
{
	return (ebx & CPUID_SEV_EBX_NUM_VMPLS_MASK) >> CPUID_SEV_EBX_NUM_VMPLS_SHIFT;
}

/*
 * ECX: number of encrypted guests supported simultaneously (= highest SEV
 * ASID). EDX: minimum ASID usable by an SEV guest without SEV-ES, so ASIDs
 * 1..EDX-1 are the SEV-ES/SNP ones.
 */

#endif /* X86_CPUID_SEV_H */
