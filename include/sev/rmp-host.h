/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor-side RMP instructions: RMPUPDATE and PSMASH. Encodings and the
 * status codes they return in EAX. (The guest-side instructions are in
 * sev/rmp-instr.h.)
 *
 * Source: AMD APM vol. 3 (pub. 24594) "RMPUPDATE" and "PSMASH"; APM vol. 2
 * (pub. 24593) 15.36.5 "Hypervisor RMP Management" and 15.36.11 "Large Page
 * Management". The APM text itself is not in our reference corpora: values
 * are cross-checked against the Microsoft C/C++ intrinsic reference for
 * __rmpupdate / __psmash (which tabulates each code's meaning), the RMPUPDATE
 * pseudocode quoted in the public KVM review of the SNP host series, and
 * Linux arch/x86/include/asm/sev.h (RMPUPDATE_FAIL_OVERLAP, PSMASH_FAIL_INUSE).
 */
#ifndef SEV_RMP_HOST_H
#define SEV_RMP_HOST_H

/* Encodings, for assemblers that lack the mnemonics. */
#define RMPUPDATE_OPCODE "0xf2, 0x0f, 0x01, 0xfe"
#define PSMASH_OPCODE	 "0xf3, 0x0f, 0x01, 0xff"

/* Status codes in EAX (RMPUPDATE, PSMASH). */
#define RMP_HOST_SUCCESS	  0u
#define RMP_HOST_FAIL_INPUT	  1u /* bad operand (alignment, coverage, encoding) */
#define RMP_HOST_FAIL_PERMISSION  2u /* RMPUPDATE: the current entry is immutable */
#define RMP_HOST_FAIL_INUSE	  3u /* another processor holds the RMP entry */
#define RMP_HOST_FAIL_OVERLAP	  4u /* RMPUPDATE: 4 KiB and 2 MiB entries overlap */
#define RMP_HOST_FAIL_UNSUPPORTED 7u /* PSMASH: the page cannot be expanded */

#endif /* SEV_RMP_HOST_H */
