// SPDX-License-Identifier: MIT
/*
 * The guest's side of the GHCB (GHCB spec 56421): MSR protocol requests (2.3.1), one GHCB
 * page per vCPU in the shared window (made shared: PVALIDATE rescind through the SVSM, page
 * state change to shared, GPA registration, 2.3.2), IOIO and page state changes (4.1.6)
 * through it. SW_EXITINFO1[31:0] = 0 means the host did it.
 */
#include <sev/ghcb-msr.h>
#include <sev/ghcb.h>
#include <sev/psc.h>
#include <svsm/protocol.h>
#include "guest.h"

struct call_stats call_stats[GUEST_MAX_CPUS];

static inline void vmgexit(void)
{
	__asm__ volatile("rep; vmmcall" ::: "memory"); /* VMGEXIT, APM vol. 3 */
}

uint64_t ghcb_msr_call(uint64_t request)
{
	uint64_t saved = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, request);
	vmgexit();
	uint64_t resp = rdmsr(MSR_SEV_ES_GHCB);
	wrmsr(MSR_SEV_ES_GHCB, saved);
	call_stats[this_cpu() % GUEST_MAX_CPUS].msr_exits++;
	return resp;
}

static struct ghcb *ghcb_this(void)
{
	struct guest_cpu *c = &cpus[this_cpu() % GUEST_MAX_CPUS];
	return c->ghcb_pa ? gpa_ptr(c->ghcb_pa) : NULL;
}

static void ghcb_set(struct ghcb *g, size_t off, uint64_t v)
{
	*(uint64_t *)((char *)&g->save + off) = v;
	ghcb_mark_valid(g, off);
}

static int ghcb_commit(struct ghcb *g, uint64_t code, uint64_t info1, uint64_t info2)
{
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_code), code);
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_info_1), info1);
	ghcb_set(g, offsetof(struct ghcb_save_area, sw_exit_info_2), info2);
	g->protocol_version = GHCB_PROTOCOL_MAX;
	g->ghcb_usage = GHCB_USAGE_STANDARD;
	wrmsr(MSR_SEV_ES_GHCB, cpus[this_cpu() % GUEST_MAX_CPUS].ghcb_pa);
	vmgexit();
	call_stats[this_cpu() % GUEST_MAX_CPUS].ghcb_exits++;
	return (uint32_t)g->save.sw_exit_info_1 == GHCB_HV_RESP_NO_ACTION ? 0 : -1;
}

static struct ghcb *ghcb_begin(void)
{
	struct ghcb *g = ghcb_this();
	if (g)
		memset(&g->save, 0, sizeof(g->save));
	return g;
}

static uint64_t ioio_size(unsigned int size)
{
	return size == 4 ? SVM_IOIO_SZ32 : size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ8;
}

int ghcb_ioio_in(uint16_t port, unsigned int size, uint32_t *value)
{
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -1;
	ghcb_set(g, offsetof(struct ghcb_save_area, rax), 0);
	int rc = ghcb_commit(g, SVM_EXIT_IOIO,
			     SVM_IOIO_TYPE_IN | SVM_IOIO_A64 | ioio_size(size) |
				     ((uint64_t)port << SVM_IOIO_PORT_SHIFT),
			     0);
	*value = (uint32_t)g->save.rax & (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1);
	return rc;
}

int ghcb_ioio_out(uint16_t port, uint32_t value, unsigned int size)
{
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -1;
	ghcb_set(g, offsetof(struct ghcb_save_area, rax), value);
	return ghcb_commit(g, SVM_EXIT_IOIO,
			   SVM_IOIO_A64 | ioio_size(size) | ((uint64_t)port << SVM_IOIO_PORT_SHIFT),
			   0);
}

__attribute__((noreturn)) void guest_terminate(unsigned int code)
{
	/* isa-debug-exit (iobase 0xf4): QEMU exits with ((0x10 + code) << 1) | 1, i.e. 33 for
	 * success, 35 for failures, 37 for a crash (the SVSM's convention, docs/svsm.md). */
	(void)ghcb_ioio_out(0xf4, 0x10 + code, 4);
	for (;;) {
		/* No debug-exit device: a GHCB termination request, reason set 1 (ours). */
		wrmsr(MSR_SEV_ES_GHCB, ghcb_msr_term_req(1, (uint8_t)(0x20 + code)));
		vmgexit();
	}
}

int psc(uint64_t gpa, uint64_t npages, unsigned int op, bool size_2m)
{
	uint64_t step = size_2m ? 512 : 1;
	while (npages) {
		struct ghcb *g = ghcb_begin();
		if (!g)
			return -1;
		struct snp_psc_desc *d = (struct snp_psc_desc *)g->shared_buffer;
		unsigned int n = 0;
		for (; n < SNP_PSC_MAX_ENTRIES && npages; n++) {
			d->entries[n] = snp_psc_entry(
				gpa >> 12, op, size_2m ? SNP_PSC_PAGE_2M : SNP_PSC_PAGE_4K, 0);
			gpa += step * 4096;
			npages -= step;
		}
		d->hdr = (struct snp_psc_hdr){0, (uint16_t)(n - 1), 0};
		ghcb_set(g, offsetof(struct ghcb_save_area, sw_scratch),
			 cpus[this_cpu() % GUEST_MAX_CPUS].ghcb_pa +
				 offsetof(struct ghcb, shared_buffer));
		/* Done when the host has moved cur_entry past end_entry (GHCB spec 4.1.6). */
		if (ghcb_commit(g, SVM_VMGEXIT_PSC, 0, 0) || d->hdr.cur_entry <= d->hdr.end_entry)
			return -1;
	}
	return 0;
}

struct psc_stats psc_stats[GUEST_MAX_CPUS];

/* One PSC request of n <= SNP_PSC_MAX_ENTRIES entries, re-issued while the host reports
 * partial progress (GHCB spec 4.1.6: it may return before END_ENTRY; the guest issues the
 * request again from CUR_ENTRY). Success needs SW_EXITINFO2 = 0 and CUR_ENTRY past
 * END_ENTRY. */
static int psc_request(const uint64_t *ent, unsigned int n)
{
	struct psc_stats *st = &psc_stats[this_cpu() % GUEST_MAX_CPUS];
	struct ghcb *g = ghcb_this();
	if (!g)
		return -1;
	struct snp_psc_desc *d = (struct snp_psc_desc *)g->shared_buffer;
	d->hdr = (struct snp_psc_hdr){0, (uint16_t)(n - 1), 0};
	memcpy(d->entries, ent, 8ull * n);
	for (unsigned int tries = 0; tries < 16; tries++) {
		g = ghcb_begin();
		ghcb_set(g, offsetof(struct ghcb_save_area, sw_scratch),
			 cpus[this_cpu() % GUEST_MAX_CPUS].ghcb_pa +
				 offsetof(struct ghcb, shared_buffer));
		st->requests++;
		if (ghcb_commit(g, SVM_VMGEXIT_PSC, 0, 0) || g->save.sw_exit_info_2 != 0)
			return -1;
		if (d->hdr.cur_entry > d->hdr.end_entry) {
			st->entries += n;
			return 0;
		}
	}
	return -1;
}

int psc_list(const uint64_t *ent, unsigned int n)
{
	while (n) {
		unsigned int m = n > SNP_PSC_MAX_ENTRIES ? SNP_PSC_MAX_ENTRIES : n;
		if (psc_request(ent, m))
			return -1;
		ent += m;
		n -= m;
	}
	return 0;
}

int ghcb_setup(unsigned int cpu)
{
	uint64_t pa = GUEST_SHARED_BASE + (uint64_t)cpu * 4096;
	/* Not validated for us (never launch data), but rescind anyway: a validated page must
	 * never become shared (GHCB spec 4.1.6); CF=1 "unchanged" is fine here. */
	uint64_t e = svsm_pvalidate_entry(pa >> 12, SVSM_PVALIDATE_SIZE_4K, 0, 1);
	uint16_t next = 0;
	if (svsm_pvalidate_list(&e, 1, &next) != SVSM_SUCCESS)
		return -1;
	uint64_t resp = ghcb_msr_call(ghcb_msr_psc_req(pa >> 12, GHCB_MSR_PSC_OP_SHARED));
	if (!ghcb_msr_is(resp, GHCB_MSR_PSC_RESP) || ghcb_msr_psc_resp_error(resp))
		return -2;
	resp = ghcb_msr_call(ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, pa >> 12));
	if (!ghcb_msr_is(resp, GHCB_MSR_REG_GPA_RESP) || ghcb_msr_gfn(resp) != pa >> 12)
		return -3;
	memset(gpa_ptr(pa), 0, 4096); /* through the window without the C-bit */
	wrmsr(MSR_SEV_ES_GHCB, pa);
	cpus[cpu].ghcb_pa = pa;
	return 0;
}
