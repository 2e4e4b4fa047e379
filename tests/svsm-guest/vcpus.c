// SPDX-License-Identifier: MIT
/*
 * The guest's APs (SVSM spec 58019, CREATE_VCPU / DELETE_VCPU): the BSP builds a VMPL2 VMSA
 * per AP (64-bit mode on the BSP's page tables, APM vol. 2 Table B-4 layout in sev/vmsa.h)
 * in a page it validated (never 2 MiB aligned), gives it with a calling area to
 * CREATE_VCPU, and the SVSM has the host start it; as many as the guest was given (params.c).
 * Then all vCPUs run work at once (run_on_all): rounds of PVALIDATE (validate, use, rescind
 * 16 pages), QUERY_PROTOCOL and a hostile REMAP_CA, or the conversions of convert.c. At the
 * end the BSP deletes the APs and checks their VMSA pages are its again.
 */
#include <sev/psc.h>
#include <sev/vmsa.h>
#include <svsm/protocol.h>
#include <x86/cr.h>
#include <x86/desc.h>
#include <x86/msr.h>
#include "guest.h"

#define ROUNDS		20u
#define ROUND_PAGES	16u
#define ROUND_BASE(cpu) (GUEST_SCRATCH + 0x1000000ull + (uint64_t)(cpu)*0x10000ull)
#define AP_CA(i)	(GUEST_SCRATCH + 0x800000ull + (uint64_t)(i)*0x2000ull)
#define AP_VMSA(i)	(AP_CA(i) + 0x1000ull) /* odd page: never 2 MiB aligned */
#define WAIT_LOOPS	2000000000ull
#define PAT_RESET	0x0007040600070406ull /* APM vol. 2 7.8.2 */

extern char ap_entry64[];
extern uint8_t stacks[];
extern const uint64_t gdt[3];
struct guest_cpu cpus[GUEST_MAX_CPUS];

static uint64_t read_cr(int n)
{
	uint64_t v = 0;
	if (n == 0)
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	else if (n == 3)
		__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	else
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static void seg(struct sev_vmsa_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit,
		uint64_t base)
{
	*s = (struct sev_vmsa_seg){sel, attrib, limit, base};
}

static void build_ap_vmsa(struct sev_vmsa *v, unsigned int idx)
{
	struct desc_ptr64 idt;
	__asm__ volatile("sidt %0" : "=m"(idt));
	memset(v, 0, sizeof(*v));
	seg(&v->cs, 0x08, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_L | 0xb, 0xffffffff, 0);
	seg(&v->ds, 0x10, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G | 0x3,
	    0xffffffff, 0);
	v->es = v->ss = v->fs = v->gs = v->ds;
	seg(&v->gdtr, 0, 0, sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt);
	seg(&v->idtr, 0, 0, idt.limit, idt.base);
	seg(&v->ldtr, 0, SEV_SEG_ATTR_P | 0x2, 0xffff, 0);
	seg(&v->tr, 0, SEV_SEG_ATTR_P | 0xb, 0xffff, 0);
	v->cr0 = read_cr(0);
	v->cr3 = read_cr(3);
	v->cr4 = read_cr(4);
	v->efer = EFER_LME | EFER_LMA | EFER_SVME; /* SVME: required in every VMSA */
	v->rip = (uint64_t)(uintptr_t)ap_entry64;
	v->rsp = (uint64_t)(uintptr_t)stacks + (uint64_t)(idx + 1) * GUEST_STACK_SIZE;
	v->rdi = idx;
	v->rflags = 0x2;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = PAT_RESET;
	v->xcr0 = 1;
	v->mxcsr = 0x1f80;
	v->x87_fcw = 0x37f;
	v->sev_features = sev_features;
	v->vmpl = 2;
}

void rounds(unsigned int cpu)
{
	uint64_t base = ROUND_BASE(cpu), ent[ROUND_PAGES];
	unsigned int bad = 0, r;
	if (psc(base, ROUND_PAGES, SNP_PSC_OP_PRIVATE, false))
		bad++;
	for (r = 0; r < ROUNDS && !bad; r++) {
		uint16_t next = 0;
		for (unsigned int i = 0; i < ROUND_PAGES; i++)
			ent[i] = svsm_pvalidate_entry((base >> 12) + i, 0, 1, 0);
		if (svsm_pvalidate_list(ent, ROUND_PAGES, &next) != SVSM_SUCCESS ||
		    next != ROUND_PAGES)
			bad++;
		for (unsigned int i = 0; i < ROUND_PAGES && !bad; i++) {
			volatile uint64_t *p = gpa_ptr(base + 4096ull * i);
			p[i] = ((uint64_t)cpu << 32) | r;
			bad += p[i] != (((uint64_t)cpu << 32) | r);
		}
		for (unsigned int i = 0; i < ROUND_PAGES; i++)
			ent[i] &= ~SVSM_PVALIDATE_VALIDATE;
		if (svsm_pvalidate_list(ent, ROUND_PAGES, &next) != SVSM_SUCCESS ||
		    next != ROUND_PAGES)
			bad++;
		struct svsm_regs q = {.rax = svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL),
				      .rcx = svsm_query_protocol_arg(0, 1)};
		if (svsm_call(&q) != SVSM_SUCCESS || q.rcx != svsm_query_protocol_result(1, 1))
			bad++;
		struct svsm_regs h = {.rax = svsm_rax(0, SVSM_CORE_REMAP_CA),
				      .rcx = cpus[cpu].ca + 8};
		if (svsm_call(&h) != SVSM_ERR_INVALID_PARAMETER)
			bad++;
	}
	cpus[cpu].failures = (int)bad;
	tap(bad == 0, "vCPU %u: %u rounds of PVALIDATE x%u, QUERY_PROTOCOL, hostile REMAP_CA", cpu,
	    r, ROUND_PAGES);
}

void ap_main(unsigned int idx);
void ap_main(unsigned int idx)
{
	idt_load();
	cpus[idx].up = 1;
	if (ghcb_setup(idx) == 0) {
		tap(true, "vCPU %u (AP from CREATE_VCPU) runs at VMPL2 and has its GHCB", idx);
	} else {
		cpus[idx].failures = 1; /* no console without a GHCB: the BSP reports it */
		cpus[idx].done = 1;
		for (;;)
			cpu_relax();
	}
	cpus[idx].done = 1;
	unsigned int seen = 0;
	for (;;) {
		while (cpus[idx].work_seq == seen)
			cpu_relax();
		seen = cpus[idx].work_seq;
		cpus[idx].work(idx);
		__atomic_store_n(&cpus[idx].done_seq, seen, __ATOMIC_RELEASE);
	}
}

static bool wait_flag(volatile int *f)
{
	for (uint64_t i = 0; i < WAIT_LOOPS && !*f; i++)
		cpu_relax();
	return *f != 0;
}

static unsigned int created = 1;

void run_on_all(void (*fn)(unsigned int cpu))
{
	for (unsigned int i = 1; i < params.nr_cpus; i++) {
		if (!cpus[i].vmsa || !cpus[i].ghcb_pa)
			continue;
		cpus[i].work = fn;
		__atomic_store_n(&cpus[i].work_seq, cpus[i].work_seq + 1, __ATOMIC_RELEASE);
	}
	fn(0);
	for (unsigned int i = 1; i < params.nr_cpus; i++) {
		if (!cpus[i].vmsa || !cpus[i].ghcb_pa)
			continue;
		/* No time limit: a stress run is long; a hung AP shows as a run-snp timeout. */
		while (__atomic_load_n(&cpus[i].done_seq, __ATOMIC_ACQUIRE) != cpus[i].work_seq)
			cpu_relax();
	}
}

void vcpus_start(void)
{
	for (unsigned int i = 1; i < params.nr_cpus; i++) {
		if (make_private(AP_CA(i), 2, false)) {
			tap(false, "CREATE_VCPU %u: could not prepare its VMSA and calling area",
			    i);
			continue;
		}
		cpus[i].ca = AP_CA(i);
		cpus[i].vmsa = AP_VMSA(i);
		build_ap_vmsa(gpa_ptr(AP_VMSA(i)), i);
		struct svsm_regs r = {.rax = svsm_rax(0, SVSM_CORE_CREATE_VCPU),
				      .rcx = AP_VMSA(i),
				      .rdx = AP_CA(i),
				      .r8 = i};
		uint32_t res = svsm_call(&r);
		tap(res == SVSM_SUCCESS, "CREATE_VCPU APIC ID %u (VMSA %#llx): %#x", i,
		    (unsigned long long)AP_VMSA(i), res);
		if (res == SVSM_SUCCESS)
			created++;
		else
			cpus[i].vmsa = 0;
	}
	for (unsigned int i = 1; i < params.nr_cpus; i++) {
		if (!cpus[i].vmsa)
			continue;
		if (!wait_flag(&cpus[i].up) || !wait_flag(&cpus[i].done)) {
			tap(false, "vCPU %u never started", i);
			cpus[i].failures = 1;
		} else if (cpus[i].failures) {
			tap(false, "vCPU %u has no GHCB", i);
		}
	}
}

static void rounds_work(unsigned int cpu)
{
	rounds(cpu);
}

void vcpus_rounds(void)
{
	run_on_all(rounds_work);
	unsigned int done = 0;
	for (unsigned int i = 0; i < params.nr_cpus; i++)
		done += (i == 0 || cpus[i].vmsa) && cpus[i].failures == 0;
	tap(done == params.nr_cpus && created == params.nr_cpus,
	    "%u of %u vCPUs made their calls at the same time", done, params.nr_cpus);
}

void vcpus_stop(void)
{
	for (unsigned int i = 1; i < params.nr_cpus; i++) {
		if (!cpus[i].vmsa)
			continue;
		struct svsm_regs r = {.rax = svsm_rax(0, SVSM_CORE_DELETE_VCPU),
				      .rcx = cpus[i].vmsa};
		uint32_t res = svsm_call(&r);
		tap(res == SVSM_SUCCESS, "DELETE_VCPU %u: %#x", i, res);
		r = (struct svsm_regs){.rax = svsm_rax(0, SVSM_CORE_DELETE_VCPU),
				       .rcx = cpus[i].vmsa};
		uint32_t again = svsm_call(&r);
		tap(again == SVSM_ERR_INVALID_PARAMETER,
		    "DELETE_VCPU %u again: %#x (want SVSM_ERR_INVALID_PARAMETER)", i, again);
		if (res == SVSM_SUCCESS) {
			volatile uint64_t *v = gpa_ptr(cpus[i].vmsa);
			v[100] = 0x1234;
			tap(v[100] == 0x1234, "VMSA page of vCPU %u is guest memory again", i);
		}
	}
}
