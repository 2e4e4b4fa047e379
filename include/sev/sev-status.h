/* SPDX-License-Identifier: MIT */
/*
 * SEV_STATUS MSR (C001_0131h): which SEV features are active for the running
 * guest. Read-only, readable by the guest without a #VC.
 *
 * Source: AMD APM vol. 2 (pub. 24593), section 15.34.10 "SEV_STATUS MSR"
 * (Table 15-34 in rev. 3.4x). Bits 2.. mirror VMSA SEV_FEATURES bits 0..,
 * shifted up by two (see sev/vmsa.h). Cross-checked against Linux
 * msr-index.h (MSR_AMD64_SEV_* / MSR_AMD64_SNP_*) and COCONUT-SVSM
 * cpuarch/src/sev_status.rs.
 */
#ifndef SEV_SEV_STATUS_H
#define SEV_SEV_STATUS_H

#include <stdint.h>

#define MSR_SEV_STATUS 0xc0010131u

#define SEV_STATUS_SEV			(1ull << 0)
#define SEV_STATUS_SEV_ES		(1ull << 1)
#define SEV_STATUS_SNP			(1ull << 2)
#define SEV_STATUS_VTOM			(1ull << 3)
#define SEV_STATUS_REFLECT_VC		(1ull << 4)
#define SEV_STATUS_RESTRICTED_INJECTION (1ull << 5)
#define SEV_STATUS_ALTERNATE_INJECTION	(1ull << 6)
#define SEV_STATUS_DEBUG_SWAP		(1ull << 7)
#define SEV_STATUS_PREVENT_HOST_IBS	(1ull << 8)
#define SEV_STATUS_BTB_ISOLATION	(1ull << 9)
#define SEV_STATUS_VMPL_SSS		(1ull << 10)
#define SEV_STATUS_SECURE_TSC		(1ull << 11)
#define SEV_STATUS_VMGEXIT_PARAMETER	(1ull << 12)
/* Bit 13: reserved in Linux; PMC virtualization per OpenVMM's SEV_FEATURES bit 11. */
#define SEV_STATUS_PMC_VIRT		(1ull << 13)
#define SEV_STATUS_IBS_VIRT		(1ull << 14)
/* Bit 15 reserved. */
#define SEV_STATUS_VMSA_REG_PROT	(1ull << 16)
#define SEV_STATUS_SMT_PROTECTION	(1ull << 17)
#define SEV_STATUS_SECURE_AVIC		(1ull << 18)
/* Bits 22:19 reserved. */
#define SEV_STATUS_IBPB_ON_ENTRY	(1ull << 23)

/* SEV_FEATURES bit n is reported as SEV_STATUS bit n + 2. */
#define SEV_STATUS_FEATURES_SHIFT 2

static inline uint64_t sev_status_from_features(uint64_t sev_features)
{
	return sev_features << SEV_STATUS_FEATURES_SHIFT;
}

static inline uint64_t sev_status_to_features(uint64_t status)
{
	return status >> SEV_STATUS_FEATURES_SHIFT;
}

#endif /* SEV_SEV_STATUS_H */
