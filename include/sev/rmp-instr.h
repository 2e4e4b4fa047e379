/* SPDX-License-Identifier: MIT */
/*
 * Guest-side RMP instructions: PVALIDATE, RMPADJUST, RMPQUERY. Opcodes,
 * operand registers and return codes; the instructions themselves are
 * emitted by the freestanding code that needs them.
 *
 * Source: AMD APM vol. 3 (pub. 24594), chapter 4 instruction reference
 * ("PVALIDATE", "RMPADJUST", "RMPQUERY"), and APM vol. 2 (pub. 24593),
 * section 15.36.7 "Virtual Machine Privilege Levels" (permission mask,
 * Table 15-38). Cross-checked against Linux asm/sev.h, COCONUT-SVSM
 * sev/utils.rs, Project Oak sev_guest instructions.rs and OpenVMM x86defs.
 */
#ifndef SEV_RMP_INSTR_H
#define SEV_RMP_INSTR_H

#include <stdint.h>

/* Encodings, for assemblers that lack the mnemonics. */
#define PVALIDATE_OPCODE "0xf2, 0x0f, 0x01, 0xff"
#define RMPADJUST_OPCODE "0xf3, 0x0f, 0x01, 0xfe"
#define RMPQUERY_OPCODE	 "0xf3, 0x0f, 0x01, 0xfd"

/* RCX page size operand (all three instructions). */
#define RMP_PG_SIZE_4K 0u
#define RMP_PG_SIZE_2M 1u

/*
 * PVALIDATE: RAX = guest virtual address, ECX = page size, EDX = 1 validate /
 * 0 rescind. Returns EAX; on EAX = 0, CF = 1 means the Validated bit already
 * had the requested value (no RMP update).
 */
#define PVALIDATE_RESCIND  0u
#define PVALIDATE_VALIDATE 1u

/* Return codes in EAX (PVALIDATE, RMPADJUST, RMPQUERY). */
#define RMP_INSTR_SUCCESS	    0u
#define RMP_INSTR_FAIL_INPUT	    1u
#define RMP_INSTR_FAIL_PERMISSION   2u
#define RMP_INSTR_FAIL_SIZEMISMATCH 6u
/*
 * Software-defined: PVALIDATE succeeded but CF = 1. The SVSM spec reports it
 * as 0x10 in the PVALIDATE protocol error space (svsm/protocol.h); Linux uses
 * 255 internally. Hardware never returns this value in EAX.
 */
#define PVALIDATE_FAIL_UNCHANGED    0x10u

/*
 * RMPADJUST: RAX = guest virtual address, RCX = page size, RDX = attributes:
 *   [7:0]   target VMPL (must be numerically greater than the current VMPL)
 *   [15:8]  permission mask (RMP_PERM_*)
 *   [16]    VMSA: the page becomes a VMSA for the target VMPL
 *   [63:17] reserved
 */
#define RMP_PERM_READ		 0x1u
#define RMP_PERM_WRITE		 0x2u
#define RMP_PERM_EXEC_USER	 0x4u
#define RMP_PERM_EXEC_SUPERVISOR 0x8u
#define RMP_PERM_ALL		 0xfu

#define RMPADJUST_TARGET_VMPL_MASK 0xffull
#define RMPADJUST_PERM_SHIFT	   8
#define RMPADJUST_PERM_MASK	   (0xffull << 8)
#define RMPADJUST_VMSA		   (1ull << 16)

static inline uint64_t rmpadjust_attrs(uint8_t target_vmpl, uint8_t perms, int vmsa)
{
	return (uint64_t)target_vmpl | ((uint64_t)perms << RMPADJUST_PERM_SHIFT) |
	       (vmsa ? RMPADJUST_VMSA : 0);
}

static inline uint8_t rmpadjust_attrs_vmpl(uint64_t attrs)
{
	return (uint8_t)(attrs & RMPADJUST_TARGET_VMPL_MASK);
}

static inline uint8_t rmpadjust_attrs_perms(uint64_t attrs)
{
	return (uint8_t)((attrs & RMPADJUST_PERM_MASK) >> RMPADJUST_PERM_SHIFT);
}

/*
 * RMPQUERY: RAX = guest virtual address, RDX[7:0] = target VMPL (as OpenVMM
 * passes it). Returns EAX = code, RDX = attributes in the RMPADJUST format
 * above, RCX = page size. Project Oak treats RDX as output only; the spec
 * text was not available to settle whether RDX[7:0] is also an input.
 */

#endif /* SEV_RMP_INSTR_H */
