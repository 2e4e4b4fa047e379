/* SPDX-License-Identifier: MIT */
/*
 * GHCB MSR protocol: requests and responses exchanged through the GHCB MSR
 * (MSR C001_0130h) itself, before a GHCB page exists or when none is needed.
 *
 * Source: AMD "SEV-ES Guest-Hypervisor Communication Block Standardization",
 * pub. 56421 (rev. 2.0x), section 2.3.1 "GHCB MSR Protocol" (Table 2 request
 * and response codes) and section 2.2 "SEV-SNP Feature Detection" /
 * 4.1.x "Hypervisor Feature Support" (feature bitmap).
 *
 * Every value is GHCBData[63:12] | GHCBInfo[11:0]. Field positions were
 * cross-checked against Linux arch/x86/include/asm/sev-common.h, EDK2
 * Register/Amd/Fam17Msr.h and COCONUT-SVSM sev/msr_protocol.rs.
 */
#ifndef SEV_GHCB_MSR_H
#define SEV_GHCB_MSR_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_SEV_ES_GHCB 0xc0010130u

#define GHCB_MSR_INFO_MASK  0xfffull
#define GHCB_MSR_DATA_SHIFT 12

/* GHCBInfo codes (Table 2). */
#define GHCB_MSR_SEV_INFO_RESP	    0x001u
#define GHCB_MSR_SEV_INFO_REQ	    0x002u
#define GHCB_MSR_CPUID_REQ	    0x004u
#define GHCB_MSR_CPUID_RESP	    0x005u
#define GHCB_MSR_AP_RESET_HOLD_REQ  0x006u
#define GHCB_MSR_AP_RESET_HOLD_RESP 0x007u
#define GHCB_MSR_PREF_GPA_REQ	    0x010u
#define GHCB_MSR_PREF_GPA_RESP	    0x011u
#define GHCB_MSR_REG_GPA_REQ	    0x012u
#define GHCB_MSR_REG_GPA_RESP	    0x013u
#define GHCB_MSR_PSC_REQ	    0x014u
#define GHCB_MSR_PSC_RESP	    0x015u
#define GHCB_MSR_VMPL_REQ	    0x016u
#define GHCB_MSR_VMPL_RESP	    0x017u
#define GHCB_MSR_HV_FT_REQ	    0x080u
#define GHCB_MSR_HV_FT_RESP	    0x081u
#define GHCB_MSR_TERM_REQ	    0x100u

/* A 52-bit GFN field of all ones: "no preferred GPA" / registration failed. */
#define GHCB_MSR_GFN_NONE 0xfffffffffffffull
#define GHCB_MSR_GFN_MASK 0xfffffffffffffull /* GHCBData[63:12] */

static inline uint16_t ghcb_msr_info(uint64_t v)
{
	return (uint16_t)(v & GHCB_MSR_INFO_MASK);
}

/* ---- SEV information: [63:48] max version, [47:32] min, [31:24] C-bit. ---- */
static inline uint64_t ghcb_msr_sev_info_resp(uint16_t max, uint16_t min, uint8_t cbit)
{
	return ((uint64_t)max << 48) | ((uint64_t)min << 32) | ((uint64_t)cbit << 24) |
	       GHCB_MSR_SEV_INFO_RESP;
}

static inline uint16_t ghcb_msr_sev_info_max(uint64_t v)
{
	return (uint16_t)(v >> 48);
}

static inline uint16_t ghcb_msr_sev_info_min(uint64_t v)
{
	return (uint16_t)(v >> 32);
}

static inline uint8_t ghcb_msr_sev_info_cbit(uint64_t v)
{
	return (uint8_t)(v >> 24);
}

/*
 * ---- CPUID: request [63:32] function, [31:30] register; the response
 * carries the same register select and the 32-bit value in [63:32]. ----
 */
#define GHCB_CPUID_REG_EAX	 0u
#define GHCB_CPUID_REG_EBX	 1u
#define GHCB_CPUID_REG_ECX	 2u
#define GHCB_CPUID_REG_EDX	 3u
#define GHCB_MSR_CPUID_REG_SHIFT 30

static inline uint64_t ghcb_msr_cpuid_req(uint32_t fn, unsigned int reg)
{
	return ((uint64_t)fn << 32) | (((uint64_t)reg & 3u) << GHCB_MSR_CPUID_REG_SHIFT) |
	       GHCB_MSR_CPUID_REQ;
}

static inline uint64_t ghcb_msr_cpuid_resp(uint32_t value, unsigned int reg)
{
	return ((uint64_t)value << 32) | (((uint64_t)reg & 3u) << GHCB_MSR_CPUID_REG_SHIFT) |
	       GHCB_MSR_CPUID_RESP;
}

static inline unsigned int ghcb_msr_cpuid_reg(uint64_t v)
{
	return (unsigned int)((v >> GHCB_MSR_CPUID_REG_SHIFT) & 3u);
}

static inline uint32_t ghcb_msr_cpuid_value(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/* ---- GFN-carrying codes: [63:12] GFN (AP reset hold result, GHCB GPA). ---- */
static inline uint64_t ghcb_msr_gfn_make(uint16_t info, uint64_t gfn)
{
	return ((gfn & GHCB_MSR_GFN_MASK) << GHCB_MSR_DATA_SHIFT) | info;
}

static inline uint64_t ghcb_msr_gfn(uint64_t v)
{
	return v >> GHCB_MSR_DATA_SHIFT;
}

/*
 * ---- Page state change (MSR form): [55:52] operation (1 private,
 * 2 shared; PSMASH/UNSMASH only via the GHCB form), [51:12] GFN.
 * Response: [63:32] error code, 0 = success. ----
 */
#define GHCB_MSR_PSC_OP_PRIVATE 1u
#define GHCB_MSR_PSC_OP_SHARED	2u
#define GHCB_MSR_PSC_GFN_MASK	0xffffffffffull /* 40 bits */

static inline uint64_t ghcb_msr_psc_req(uint64_t gfn, unsigned int op)
{
	return (((uint64_t)op & 0xfu) << 52) | ((gfn & GHCB_MSR_PSC_GFN_MASK) << 12) |
	       GHCB_MSR_PSC_REQ;
}

static inline uint64_t ghcb_msr_psc_req_gfn(uint64_t v)
{
	return (v >> 12) & GHCB_MSR_PSC_GFN_MASK;
}

static inline unsigned int ghcb_msr_psc_req_op(uint64_t v)
{
	return (unsigned int)((v >> 52) & 0xfu);
}

static inline uint64_t ghcb_msr_psc_resp(uint32_t error)
{
	return ((uint64_t)error << 32) | GHCB_MSR_PSC_RESP;
}

static inline uint32_t ghcb_msr_psc_resp_error(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/*
 * ---- AP reset hold: request 006h; response 007h with GHCBData[63:12] = 0 if
 * the hold ended without a SIPI, non-zero once the AP was released by
 * INIT-SIPI (Table 2; Linux sev-common.h GHCB_MSR_AP_RESET_HOLD_RESULT).
 */
static inline uint64_t ghcb_msr_ap_reset_hold_resp(uint64_t result)
{
	return ((result & GHCB_MSR_GFN_MASK) << GHCB_MSR_DATA_SHIFT) | GHCB_MSR_AP_RESET_HOLD_RESP;
}

static inline uint64_t ghcb_msr_ap_reset_hold_result(uint64_t v)
{
	return v >> GHCB_MSR_DATA_SHIFT;
}

/* ---- Run at VMPL: request [39:32] VMPL; response [63:32] error, 0 = OK. ---- */
static inline uint64_t ghcb_msr_vmpl_req(uint8_t vmpl)
{
	return ((uint64_t)vmpl << 32) | GHCB_MSR_VMPL_REQ;
}

static inline uint8_t ghcb_msr_vmpl_req_vmpl(uint64_t v)
{
	return (uint8_t)(v >> 32);
}

static inline uint64_t ghcb_msr_vmpl_resp(uint32_t error)
{
	return ((uint64_t)error << 32) | GHCB_MSR_VMPL_RESP;
}

static inline uint32_t ghcb_msr_vmpl_resp_error(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

/*
 * ---- Hypervisor features: response [63:12] feature bitmap. The same
 * bitmap is returned in SW_EXITINFO2 by the HV_FEATURES NAE. ----
 */
#define GHCB_HV_FT_SNP			    (1ull << 0)
#define GHCB_HV_FT_SNP_AP_CREATION	    (1ull << 1) /* requires bit 0 */
#define GHCB_HV_FT_SNP_RESTRICTED_INJ	    (1ull << 2) /* requires bit 1 */
#define GHCB_HV_FT_SNP_RESTRICTED_INJ_TIMER (1ull << 3) /* requires bit 2 */
#define GHCB_HV_FT_APIC_ID_LIST		    (1ull << 4)
#define GHCB_HV_FT_SNP_MULTI_VMPL	    (1ull << 5)
/* Bit 6: COCONUT-SVSM names it "page state change"; not in Linux. */
#define GHCB_HV_FT_SNP_PSC_EXT		    (1ull << 6)
/*
 * Bits 7 and 8 are allocated by newer spec revisions (COCONUT-SVSM PR #631
 * moved alternate injection off them); their names are not verified here.
 * Alternate injection / extended interrupts is bit 9 (older COCONUT used 7).
 */
#define GHCB_HV_FT_SNP_ALTERNATE_INJ	    (1ull << 9)
#define GHCB_HV_FT_MASK			    ((1ull << 52) - 1)

static inline uint64_t ghcb_msr_hv_ft_resp(uint64_t features)
{
	return ((features & GHCB_HV_FT_MASK) << 12) | GHCB_MSR_HV_FT_RESP;
}

static inline uint64_t ghcb_msr_hv_ft(uint64_t v)
{
	return v >> 12;
}

/*
 * ---- Termination: [15:12] reason code set, [23:16] reason code. Set 0 is
 * defined by the GHCB spec; other sets belong to the guest (Linux uses 1). ----
 */
#define GHCB_TERM_SET_GENERAL		   0u
#define GHCB_TERM_GENERAL_REQUEST	   0u
#define GHCB_TERM_PROTOCOL_UNSUPPORTED	   1u
#define GHCB_TERM_SNP_FEATURES_UNSUPPORTED 2u

static inline uint64_t ghcb_msr_term_req(uint8_t reason_set, uint8_t reason_code)
{
	return (((uint64_t)reason_set & 0xfu) << 12) | ((uint64_t)reason_code << 16) |
	       GHCB_MSR_TERM_REQ;
}

static inline uint8_t ghcb_msr_term_set(uint64_t v)
{
	return (uint8_t)((v >> 12) & 0xfu);
}

static inline uint8_t ghcb_msr_term_code(uint64_t v)
{
	return (uint8_t)(v >> 16);
}

/* True if a response carries the expected GHCBInfo code. */
static inline bool ghcb_msr_is(uint64_t v, uint16_t info)
{
	return ghcb_msr_info(v) == info;
}

#endif /* SEV_GHCB_MSR_H */
