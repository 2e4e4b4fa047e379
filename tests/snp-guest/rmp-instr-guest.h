/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SEV-SNP guest instructions as the 32-bit test guest issues them
 * (APM vol. 3: PVALIDATE, RMPADJUST, RMPQUERY; encodings in sev/rmp-instr.h).
 * rAX holds the page's virtual address (paging off: its physical address).
 */
#ifndef SNP_GUEST_RMP_INSTR_GUEST_H
#define SNP_GUEST_RMP_INSTR_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "sev/rmp-instr.h"

/* PVALIDATE: EAX = result; *cf = rFLAGS.CF (1: nothing changed). */
static inline uint32_t snp_pvalidate(uint32_t va, uint32_t size, uint32_t validate, bool *cf)
{
	uint32_t ret;
	uint8_t c;

	__asm__ volatile(".byte " PVALIDATE_OPCODE "\n\tsetc %1"
			 : "=a"(ret), "=qm"(c)
			 : "a"(va), "c"(size), "d"(validate)
			 : "memory", "cc");
	*cf = c;
	return ret;
}

/* RMPADJUST: 32-bit code, so RDX holds attribute bits 31:0 (bit 16 is VMSA). */
static inline uint32_t snp_rmpadjust(uint32_t va, uint32_t size, uint64_t attrs)
{
	uint32_t ret;

	__asm__ volatile(".byte " RMPADJUST_OPCODE
			 : "=a"(ret)
			 : "a"(va), "c"(size), "d"((uint32_t)attrs)
			 : "memory", "cc");
	return ret;
}

/* RMPQUERY of the caller's VMPL view: EAX, and RDX / RCX on SUCCESS. */
static inline uint32_t snp_rmpquery(uint32_t va, uint32_t *edx, uint32_t *ecx)
{
	uint32_t ret;

	__asm__ volatile(".byte " RMPQUERY_OPCODE
			 : "=a"(ret), "=c"(*ecx), "=d"(*edx)
			 : "a"(va), "c"(0u), "d"(0u)
			 : "memory", "cc");
	return ret;
}

#endif
