// SPDX-License-Identifier: MIT
/*
 * Valid core-protocol calls (SVSM spec 58019, "Core Protocol") from the BSP, each result
 * checked against the spec: QUERY_PROTOCOL, CONFIGURE_VTOM (query), PVALIDATE (4 KiB and
 * 2 MiB, validate/rescind, the "unchanged" result and its ignore flag), REMAP_CA,
 * DEPOSIT_MEM and WITHDRAW_MEM. CREATE_VCPU and DELETE_VCPU are in vcpus.c.
 */
#include <sev/psc.h>
#include <svsm/protocol.h>
#include "guest.h"

#define CORE(id) svsm_rax(SVSM_PROTOCOL_CORE, SVSM_CORE_##id)

/* Scratch pages (GUEST_SCRATCH + offset); the rounds of vcpus.c use 0x1000000 and up. */
#define P_4K	 (GUEST_SCRATCH + 0x000000ull)
#define P_2M	 (GUEST_SCRATCH + 0x200000ull)
#define P_NEW_CA (GUEST_SCRATCH + 0x400000ull)
#define P_DEP	 (GUEST_SCRATCH + 0x410000ull)

static uint64_t ca_list(void)
{
	return cpus[this_cpu()].ca + offsetof(struct svsm_ca, svsm_buffer);
}

uint32_t svsm_pvalidate_list(const uint64_t *entries, uint16_t n, uint16_t *next)
{
	uint64_t list = ca_list();
	struct svsm_pvalidate_hdr *h = gpa_ptr(list);
	*h = (struct svsm_pvalidate_hdr){n, 0, 0};
	memcpy(h + 1, entries, 8ull * n);
	struct svsm_regs r = {.rax = CORE(PVALIDATE), .rcx = list};
	uint32_t res = svsm_call(&r);
	*next = h->next;
	return res;
}

int make_private(uint64_t gpa, uint64_t npages, bool size_2m)
{
	if (psc(gpa, npages, SNP_PSC_OP_PRIVATE, size_2m))
		return -1;
	uint64_t step = size_2m ? 512 : 1, ent[64];
	while (npages) {
		uint16_t n = 0, next = 0;
		for (; n < 64 && npages; n++, npages -= step, gpa += step * 4096)
			ent[n] = svsm_pvalidate_entry(gpa >> 12, size_2m, 1, 1);
		if (svsm_pvalidate_list(ent, n, &next) != SVSM_SUCCESS || next != n)
			return -1;
	}
	return 0;
}

static void query(void)
{
	struct svsm_regs r = {.rax = CORE(QUERY_PROTOCOL),
			      .rcx = svsm_query_protocol_arg(SVSM_PROTOCOL_CORE, 1)};
	uint32_t res = svsm_call(&r);
	tap(res == SVSM_SUCCESS && r.rcx == svsm_query_protocol_result(1, 1),
	    "QUERY_PROTOCOL core v1: result %#x, RCX %#llx (want min 1 max 1)", res,
	    (unsigned long long)r.rcx);
	r = (struct svsm_regs){.rax = CORE(QUERY_PROTOCOL), .rcx = svsm_query_protocol_arg(9, 1)};
	res = svsm_call(&r);
	tap(res == SVSM_SUCCESS && r.rcx == 0, "QUERY_PROTOCOL protocol 9: unsupported (RCX 0)");
	r = (struct svsm_regs){.rax = CORE(CONFIGURE_VTOM), .rcx = SVSM_VTOM_QUERY};
	res = svsm_call(&r);
	tap(res == SVSM_SUCCESS && !(r.rcx & SVSM_VTOM_SUPPORTED),
	    "CONFIGURE_VTOM query: success, not supported (RCX %#llx)", (unsigned long long)r.rcx);
}

static uint64_t e(uint64_t gpa, bool big, int validate, int ignore)
{
	return svsm_pvalidate_entry(gpa >> 12, big, validate, ignore);
}

static void pvalidate_4k(void)
{
	uint16_t next = 0;
	uint64_t ent = e(P_4K, false, 1, 0);
	bool ok = psc(P_4K, 1, SNP_PSC_OP_PRIVATE, false) == 0;
	tap(ok, "PSC: page %#llx to private (GHCB page state change)", (unsigned long long)P_4K);
	uint32_t res = svsm_pvalidate_list(&ent, 1, &next);
	volatile uint64_t *p = gpa_ptr(P_4K);
	tap(res == SVSM_SUCCESS && next == 1, "PVALIDATE 4 KiB validate: %#x next %u", res, next);
	tap(res == SVSM_SUCCESS && p[0] == 0 && p[511] == 0, "validated page reads as zeroes");
	p[7] = 0x5a5a5a5a12345678ull;
	tap(p[7] == 0x5a5a5a5a12345678ull, "validated page is writable at VMPL2");
	res = svsm_pvalidate_list(&ent, 1, &next);
	tap(res == SVSM_PVALIDATE_FAIL_UNCHANGED && next == 0,
	    "PVALIDATE again: %#x (want 0x80001010 unchanged) next %u", res, next);
	ent = e(P_4K, false, 1, 1);
	res = svsm_pvalidate_list(&ent, 1, &next);
	tap(res == SVSM_SUCCESS && next == 1, "PVALIDATE again with ignore-CF: %#x", res);
	ent = e(P_4K, false, 0, 0);
	res = svsm_pvalidate_list(&ent, 1, &next);
	tap(res == SVSM_SUCCESS && next == 1, "PVALIDATE 4 KiB rescind: %#x", res);
	res = svsm_pvalidate_list(&ent, 1, &next);
	tap(res == SVSM_PVALIDATE_FAIL_UNCHANGED, "rescind again: %#x (want 0x80001010)", res);
}

static void pvalidate_2m(void)
{
	uint16_t next = 0;
	bool ok = psc(P_2M, 512, SNP_PSC_OP_PRIVATE, true) == 0;
	tap(ok, "PSC: 2 MiB at %#llx to private as one 2 MiB entry", (unsigned long long)P_2M);
	uint64_t ent = e(P_2M, true, 1, 0);
	uint32_t res = svsm_pvalidate_list(&ent, 1, &next);
	volatile uint64_t *p = gpa_ptr(P_2M), *q = gpa_ptr(P_2M + 0x1ff000);
	tap(res == SVSM_SUCCESS && next == 1, "PVALIDATE 2 MiB validate: %#x next %u", res, next);
	if (res == SVSM_SUCCESS) {
		p[0] = 1;
		q[511] = 2;
		tap(p[0] == 1 && q[511] == 2, "first and last byte of the 2 MiB page usable");
	}
	ent = e(P_2M, true, 0, 0);
	res = svsm_pvalidate_list(&ent, 1, &next);
	tap(res == SVSM_SUCCESS && next == 1, "PVALIDATE 2 MiB rescind: %#x", res);
}

static void remap_ca(void)
{
	unsigned int cpu = this_cpu();
	uint64_t old = cpus[cpu].ca;
	if (make_private(P_NEW_CA, 1, false)) {
		tap(false, "REMAP_CA: could not prepare the new calling area");
		return;
	}
	struct svsm_regs r = {.rax = CORE(REMAP_CA), .rcx = P_NEW_CA};
	uint32_t res = svsm_call(&r);
	tap(res == SVSM_SUCCESS, "REMAP_CA to %#llx: %#x", (unsigned long long)P_NEW_CA, res);
	if (res != SVSM_SUCCESS)
		return;
	cpus[cpu].ca = P_NEW_CA;
	r = (struct svsm_regs){.rax = CORE(QUERY_PROTOCOL),
			       .rcx = svsm_query_protocol_arg(SVSM_PROTOCOL_CORE, 1)};
	res = svsm_call(&r);
	tap(res == SVSM_SUCCESS, "a call through the new calling area: %#x", res);
	r = (struct svsm_regs){.rax = CORE(REMAP_CA), .rcx = old};
	res = svsm_call(&r);
	if (res == SVSM_SUCCESS)
		cpus[cpu].ca = old;
	tap(res == SVSM_SUCCESS, "REMAP_CA back to %#llx: %#x", (unsigned long long)old, res);
}

static void deposit_withdraw(void)
{
	volatile struct svsm_ca *ca = gpa_ptr(cpus[0].ca);
	if (make_private(P_DEP, 2, false)) {
		tap(false, "DEPOSIT_MEM: could not prepare two pages");
		return;
	}
	uint64_t list = ca_list();
	struct svsm_pvalidate_hdr *h = gpa_ptr(list);
	uint64_t *ent = (uint64_t *)(h + 1);
	*h = (struct svsm_pvalidate_hdr){2, 0, 0};
	ent[0] = svsm_deposit_entry(P_DEP >> 12, 0);
	ent[1] = svsm_deposit_entry((P_DEP >> 12) + 1, 0);
	struct svsm_regs r = {.rax = CORE(DEPOSIT_MEM), .rcx = list};
	uint32_t res = svsm_call(&r);
	tap(res == SVSM_SUCCESS && h->next == 2, "DEPOSIT_MEM two pages: %#x next %u", res,
	    h->next);
	tap(ca->mem_available == 1, "SVSM_MEM_AVAILABLE = 1 after the deposit");
	struct svsm_withdraw_hdr *w = gpa_ptr(list);
	uint64_t *gpas = (uint64_t *)(w + 1);
	memset(w, 0xff, 64);
	r = (struct svsm_regs){.rax = CORE(WITHDRAW_MEM), .rcx = list};
	res = svsm_call(&r);
	bool both = w->entries == 2 && ((gpas[0] == P_DEP && gpas[1] == P_DEP + 4096) ||
					(gpas[1] == P_DEP && gpas[0] == P_DEP + 4096));
	tap(res == SVSM_SUCCESS && both, "WITHDRAW_MEM gives both pages back: %#x, %u entries", res,
	    w->entries);
	tap(ca->mem_available == 0, "SVSM_MEM_AVAILABLE = 0 after the withdrawal");
	if (both) {
		volatile uint64_t *p = gpa_ptr(P_DEP);
		p[1] = 7;
		tap(p[1] == 7, "withdrawn page is the guest's again (writable at VMPL2)");
	}
}

void test_calls(void)
{
	query();
	pvalidate_4k();
	pvalidate_2m();
	remap_ca();
	deposit_withdraw();
}
