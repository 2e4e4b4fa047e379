// SPDX-License-Identifier: MIT
/*
 * The SVSM calling convention (SVSM spec 58019, "Calling Convention" and Table 2 "Calling
 * Area"): set SVSM_CALL_PENDING in this vCPU's calling area, put the call in RAX/RCX/RDX/R8/
 * R9, ask the host to run VMPL0 (GHCB MSR protocol Run VMPL request 016h, GHCB spec 56421
 * 2.3.1) and VMGEXIT. The SVSM answers in RAX (RCX/RDX/R8 for some calls) and clears
 * SVSM_CALL_PENDING when it took the call; the host's response (017h) comes back in the
 * GHCB MSR.
 */
#include <sev/ghcb-msr.h>
#include <svsm/protocol.h>
#include "guest.h"

unsigned int call_lost_reason;

uint32_t svsm_call_pending(struct svsm_regs *r, uint8_t pending)
{
	unsigned int cpu = this_cpu();
	volatile struct svsm_ca *ca = gpa_ptr(cpus[cpu].ca);
	ca->call_pending = pending;
	uint64_t saved = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, ghcb_msr_vmpl_req(0));
	uint64_t rax = r->rax, rcx = r->rcx, rdx = r->rdx, r8 = 0;
	/* R8/R9 are loaded inside the asm: nothing may run between loading them and VMGEXIT. */
	__asm__ volatile("mov %4, %%r8\n\t"
			 "mov %5, %%r9\n\t"
			 "rep; vmmcall\n\t"
			 "mov %%r8, %3"
			 : "+a"(rax), "+c"(rcx), "+d"(rdx), "=&r"(r8)
			 : "r"(r->r8), "r"(r->r9)
			 : "r8", "r9", "memory");
	r->rax = rax;
	r->rcx = rcx;
	r->rdx = rdx;
	r->r8 = r8;
	uint64_t resp = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, saved);
	call_stats[cpu].calls++;
	call_stats[cpu].msr_exits++;
	if (!ghcb_msr_is(resp, GHCB_MSR_VMPL_RESP) || ghcb_msr_vmpl_resp_error(resp)) {
		call_lost_reason = 1;
		return GUEST_CALL_LOST;
	}
	uint8_t left = ca->call_pending;
	ca->call_pending = 0;
	if (pending == 1 && left) {
		call_lost_reason = 2;
		return GUEST_CALL_LOST; /* we came back without the SVSM taking the call */
	}
	return (uint32_t)rax;
}

uint32_t svsm_call(struct svsm_regs *r)
{
	return svsm_call_pending(r, 1);
}
