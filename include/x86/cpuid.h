/* SPDX-License-Identifier: MIT */
/*
 * Standard CPUID leaves: vendor, family/model/stepping, the hypervisor bit,
 * and the highest extended leaf. (SEV capabilities are in x86/cpuid-sev.h.)
 *
 * Source: AMD APM vol. 3 (pub. 24594), Appendix E.3.1 "Function 0h", E.3.2
 * "Function 1h" (EAX family/model/stepping, ECX bit 31 "reserved for use by
 * the hypervisor to indicate guest status") and E.4.1 "Function 8000_0000h".
 */
#ifndef X86_CPUID_H
#define X86_CPUID_H

#define CPUID_FN_VENDOR	  0x00000000u /* EBX,EDX,ECX: vendor string */
#define CPUID_FN_FEATURES 0x00000001u
#define CPUID_FN_EXT_MAX  0x80000000u /* EAX: highest extended function */

/* Fn0000_0001 EAX. The extended fields apply only when the base family is Fh:
 * family = base + extended, model = extended << 4 | base. */
#define CPUID_1_EAX_STEPPING_MASK    0x0000000fu
#define CPUID_1_EAX_STEPPING_SHIFT   0
#define CPUID_1_EAX_MODEL_MASK	     0x000000f0u
#define CPUID_1_EAX_MODEL_SHIFT	     4
#define CPUID_1_EAX_FAMILY_MASK	     0x00000f00u
#define CPUID_1_EAX_FAMILY_SHIFT     8
#define CPUID_1_EAX_EXT_MODEL_MASK   0x000f0000u
#define CPUID_1_EAX_EXT_MODEL_SHIFT  16
#define CPUID_1_EAX_EXT_FAMILY_MASK  0x0ff00000u
#define CPUID_1_EAX_EXT_FAMILY_SHIFT 20
#define CPUID_1_EAX_FAMILY_EXTENDED  0xfu

/* Fn0000_0001 ECX bit 31: set by hypervisors for their guests. */
#define CPUID_1_ECX_HYPERVISOR (1u << 31)

#endif /* X86_CPUID_H */
