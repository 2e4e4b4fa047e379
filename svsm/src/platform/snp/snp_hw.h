/* SPDX-License-Identifier: MIT */
/*
 * SNP instructions and GHCB plumbing used by the SNP platform (hardware only; the decision
 * logic is in svsmk/snp.h and unit-tested on the host).
 */
#ifndef SVSM_PLATFORM_SNP_HW_H
#define SVSM_PLATFORM_SNP_HW_H

#include <sev/ghcb.h>
#include <sev/rmp-instr.h>
#include <stdint.h>
#include "svsmk/arch/trap.h"
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

/* PVALIDATE (APM vol. 3): RAX = VA, ECX = size, EDX = validate; EAX result, CF unchanged. */
static inline uint32_t pvalidate_insn(uint64_t va, unsigned int size, unsigned int validate,
				      int *unchanged)
{
	uint32_t eax;
	uint8_t cf;
	__asm__ volatile(".byte " PVALIDATE_OPCODE "\n\tsetc %1"
			 : "=a"(eax), "=qm"(cf)
			 : "a"(va), "c"(size), "d"(validate)
			 : "memory", "cc");
	*unchanged = cf;
	return eax;
}

/* RMPADJUST (APM vol. 3): RAX = VA, RCX = size, RDX = attributes (sev/rmp-instr.h). */
static inline uint32_t rmpadjust_insn(uint64_t va, unsigned int size, uint64_t attrs)
{
	uint32_t eax;
	__asm__ volatile(".byte " RMPADJUST_OPCODE
			 : "=a"(eax)
			 : "a"(va), "c"(size), "d"(attrs)
			 : "memory", "cc");
	return eax;
}

/* VMGEXIT = REP VMMCALL, F3 0F 01 D9 (APM vol. 3, "VMGEXIT"). */
static inline void vmgexit(void)
{
	__asm__ volatile("rep; vmmcall" ::: "memory");
}

/* ghcb.c */
uint64_t ghcb_msr_exchange(uint64_t request);
__noreturn void snp_terminate(uint8_t reason_set, uint8_t reason_code);
int snp_ghcb_cpu_init(uint32_t idx);
/* Full GHCB protocol call on this CPU's GHCB page; 0 or -EIO (SW_EXITINFO1 != 0). */
/* Start a GHCB call on this CPU: the page with its save area cleared (NULL before the GHCB
 * exists); set registers with ghcb_set(), then ghcb_commit(). */
struct ghcb *ghcb_begin(void);
void ghcb_set(struct ghcb *g, size_t save_offset, uint64_t value);
int ghcb_commit(struct ghcb *g, uint64_t exit_code, uint64_t info1, uint64_t info2);
uint64_t ghcb_pa_this_cpu(void);
/* Page state change through the GHCB (MSR protocol before the GHCB exists). */
int snp_page_state(uint64_t gpa, uint64_t npages, unsigned int op);

/* rmp.c: instructions on guest-physical addresses (maps a VA for them). */
uint32_t snp_pvalidate_gpa(void *ctx, uint64_t gpa, unsigned int size, int validate,
			   int *unchanged);
uint32_t snp_rmpadjust_gpa(void *ctx, uint64_t gpa, unsigned int size, uint64_t attrs);
extern struct vbitmap snp_valid_bitmap;

/* vc.c */
int snp_vc_handler(struct trap_frame *tf);
void snp_set_cpuid_page(const struct snp_cpuid_table *t);

/* Reasons in our own termination reason set (GHCB spec 56421, termination request: sets
 * other than 0 belong to the guest). */
#define SNP_TERM_SET_SVSM      1u
#define SNP_TERM_NOT_VMPL0     1u
#define SNP_TERM_NOT_SNP       2u
#define SNP_TERM_GHCB	       3u
#define SNP_TERM_VC_UNHANDLED  4u
#define SNP_TERM_PANIC	       5u
#define SNP_TERM_OK	       0x10u
#define SNP_TERM_TEST_FAILURES 0x11u

#endif /* SVSM_PLATFORM_SNP_HW_H */
