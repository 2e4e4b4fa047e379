// SPDX-License-Identifier: MIT
/*
 * GHCB protocol (GHCB spec 56421): the MSR protocol for early requests and termination, and a
 * per-CPU GHCB page (made shared: PVALIDATE rescind, then a page-state change to shared, then
 * registered with the hypervisor through the MSR protocol, section 2.3.1 "GHCB GPA
 * registration"). Calls through the page: SW_EXITCODE/INFO1/INFO2 + valid bitmap, VMGEXIT,
 * SW_EXITINFO1[31:0] = 0 on success (section 4.1.x).
 */
#include <sev/ghcb-msr.h>
#include <sev/ghcb.h>
#include <sev/psc.h>
#include <x86/msr.h>
#include "snp_hw.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/kmalloc.h"
#include "svsmk/layout.h"
#include "svsmk/mm.h"
#include "svsmk/pgtable.h"
#include "svsmk/percpu.h"
#include "svsmk/string.h"

/* Each CPU's GHCB through an unencrypted (PT_FLAG_SHARED) alias, and its physical address. */
static struct ghcb *ghcb_page[MAX_CPUS];
static uint64_t ghcb_pa[MAX_CPUS];

uint64_t ghcb_msr_exchange(uint64_t request)
{
	uint64_t saved = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, request);
	vmgexit();
	uint64_t resp = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, saved);
	return resp;
}

__noreturn void snp_terminate(uint8_t reason_set, uint8_t reason_code)
{
	for (;;) {
		wrmsr(MSR_SEV_ES_GHCB, ghcb_msr_term_req(reason_set, reason_code));
		vmgexit();
		__asm__ volatile("cli; hlt");
	}
}

static unsigned int cpu_index(void)
{
	/* GS is set once per-CPU state is active; before that only the BSP runs. */
	return rdmsr(MSR_GS_BASE) ? this_cpu()->index : 0;
}

uint64_t ghcb_pa_this_cpu(void)
{
	return ghcb_pa[cpu_index()];
}

struct ghcb *ghcb_begin(void)
{
	struct ghcb *g = ghcb_page[cpu_index()];
	if (g)
		memset(&g->save, 0, sizeof(g->save));
	return g;
}

void ghcb_set(struct ghcb *g, size_t save_offset, uint64_t value)
{
	*(uint64_t *)((char *)&g->save + save_offset) = value;
	ghcb_mark_valid(g, save_offset);
}

int ghcb_commit(struct ghcb *g, uint64_t exit_code, uint64_t info1, uint64_t info2)
{
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_code), exit_code);
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_info_1), info1);
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_info_2), info2);
	g->protocol_version = GHCB_PROTOCOL_MAX;
	g->ghcb_usage = GHCB_USAGE_STANDARD;
	wrmsr(MSR_SEV_ES_GHCB, ghcb_pa_this_cpu());
	vmgexit();
	return (uint32_t)g->save.sw_exit_info_1 == GHCB_HV_RESP_NO_ACTION ? 0 : -EIO;
}

/* Page state change: through the GHCB page in batches, or page by page with the MSR
 * protocol while there is no GHCB yet. */
int snp_page_state(uint64_t gpa, uint64_t npages, unsigned int op)
{
	struct ghcb *g = ghcb_begin();
	if (!g) {
		for (uint64_t i = 0; i < npages; i++) {
			uint64_t resp = ghcb_msr_exchange(ghcb_msr_psc_req((gpa >> 12) + i, op));
			if (!ghcb_msr_is(resp, GHCB_MSR_PSC_RESP) || ghcb_msr_psc_resp_error(resp))
				return -EIO;
		}
		return 0;
	}
	while (npages) {
		g = ghcb_begin();
		struct snp_psc_desc *d = (struct snp_psc_desc *)g->shared_buffer;
		uint64_t n = psc_fill(d, gpa, npages, op);
		ghcb_set(g, offsetof(struct ghcb_save_area, sw_scratch),
			 ghcb_pa_this_cpu() + offsetof(struct ghcb, shared_buffer));
		if (ghcb_commit(g, SVM_VMGEXIT_PSC, 0, 0) || psc_check_done(d))
			return -EIO;
		gpa += n * 4096;
		npages -= n;
	}
	return 0;
}

int snp_ghcb_cpu_init(uint32_t idx)
{
	if (idx >= MAX_CPUS)
		return -EINVAL;
	void *page = alloc_page_zeroed();
	if (!page)
		return -ENOMEM;
	uint64_t pa = virt_to_phys(page);
	/* Shared with the hypervisor: rescind our validation, then convert to shared. */
	int unchanged = 0;
	if (pvalidate_insn((uint64_t)(uintptr_t)page, RMP_PG_SIZE_4K, PVALIDATE_RESCIND,
			   &unchanged) ||
	    snp_page_state(pa, 1, SNP_PSC_OP_SHARED))
		return -EIO;
	uint64_t resp = ghcb_msr_exchange(ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, pa >> 12));
	if (!ghcb_msr_is(resp, GHCB_MSR_REG_GPA_RESP) || ghcb_msr_gfn(resp) != pa >> 12)
		return -EIO;
	/* From now on only through an unencrypted alias (the heap mapping carries the C-bit). */
	struct ghcb *g = mm_vmap(pa, 4096, PTE_RW | PTE_NX | PT_FLAG_SHARED);
	if (!g)
		return -ENOMEM;
	memset(g, 0, sizeof(*g));
	wrmsr(MSR_SEV_ES_GHCB, pa);
	ghcb_pa[idx] = pa;
	ghcb_page[idx] = g;
	return 0;
}
