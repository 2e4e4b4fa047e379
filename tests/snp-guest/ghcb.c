/* SPDX-License-Identifier: MIT */
/* Guest side of the GHCB (ghcb.h; GHCB spec, AMD pub. 56421). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/psc.h"

#include "ghcb.h"
#include "lib.h"

#define OFF(f) offsetof(struct ghcb_save_area, f)

/* Our protocol version: 2 is the SEV-SNP version (2.2). */
#define GHCB_VERSION_USED 2u

static struct ghcb *ghcb_va;
static uint64_t ghcb_gpa;

/* VMGEXIT is REP VMMCALL (APM vol. 2 15.35.6). */
static inline void vmgexit(void)
{
	__asm__ volatile(".byte 0xf3, 0x0f, 0x01, 0xd9" ::: "memory");
}

static void write_ghcb_msr(uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(MSR_SEV_ES_GHCB), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

uint64_t ghcb_msr_call(uint64_t request)
{
	write_ghcb_msr(request);
	vmgexit();
	return rdmsr(MSR_SEV_ES_GHCB);
}

bool ghcb_msr_sev_info(uint16_t *max, uint16_t *min, uint8_t *cbit)
{
	uint64_t r = ghcb_msr_call(GHCB_MSR_SEV_INFO_REQ);

	*max = ghcb_msr_sev_info_max(r);
	*min = ghcb_msr_sev_info_min(r);
	*cbit = ghcb_msr_sev_info_cbit(r);
	return ghcb_msr_is(r, GHCB_MSR_SEV_INFO_RESP);
}

bool ghcb_msr_cpuid(uint32_t fn, unsigned int reg, uint32_t *value)
{
	uint64_t r = ghcb_msr_call(ghcb_msr_cpuid_req(fn, reg));

	*value = ghcb_msr_cpuid_value(r);
	return ghcb_msr_is(r, GHCB_MSR_CPUID_RESP) && ghcb_msr_cpuid_reg(r) == reg;
}

uint64_t ghcb_msr_hv_features(void)
{
	uint64_t r = ghcb_msr_call(GHCB_MSR_HV_FT_REQ);

	return ghcb_msr_is(r, GHCB_MSR_HV_FT_RESP) ? ghcb_msr_hv_ft(r) : 0;
}

bool ghcb_msr_register(uint64_t gpa)
{
	uint64_t gfn = gpa >> 12;
	uint64_t r = ghcb_msr_call(ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, gfn));

	return r == ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, gfn);
}

uint32_t ghcb_msr_psc(uint64_t gfn, unsigned int op)
{
	uint64_t r = ghcb_msr_call(ghcb_msr_psc_req(gfn, op));

	if (!ghcb_msr_is(r, GHCB_MSR_PSC_RESP)) {
		return 0xffffffffu;
	}
	return ghcb_msr_psc_resp_error(r);
}

void ghcb_msr_terminate(uint8_t reason_set, uint8_t reason_code)
{
	for (;;) {
		ghcb_msr_call(ghcb_msr_term_req(reason_set, reason_code));
	}
}

bool ghcb_init(void *va, uint64_t gpa)
{
	ghcb_va = va;
	ghcb_gpa = gpa;
	ghcb_clear();
	return ghcb_msr_register(gpa);
}

struct ghcb *ghcb_page(void)
{
	return ghcb_va;
}

uint64_t ghcb_page_gpa(void)
{
	return ghcb_gpa;
}

void ghcb_clear(void)
{
	uint8_t *p = (uint8_t *)&ghcb_va->save;

	for (size_t i = 0; i < sizeof(ghcb_va->save); i++) {
		p[i] = 0;
	}
}

void ghcb_set(size_t save_offset, uint64_t v)
{
	*(volatile uint64_t *)((uint8_t *)&ghcb_va->save + save_offset) = v;
	ghcb_mark_valid(ghcb_va, save_offset);
}

uint64_t ghcb_get(size_t save_offset)
{
	return *(volatile uint64_t *)((uint8_t *)&ghcb_va->save + save_offset);
}

bool ghcb_has(size_t save_offset)
{
	return ghcb_is_valid(ghcb_va, save_offset);
}

uint32_t ghcb_vmgexit_raw(void)
{
	write_ghcb_msr(ghcb_gpa);
	vmgexit();
	return (uint32_t)ghcb_get(OFF(sw_exit_info_1));
}

uint32_t ghcb_nae(uint64_t exit_code, uint64_t info1, uint64_t info2)
{
	ghcb_va->protocol_version = GHCB_VERSION_USED;
	ghcb_va->ghcb_usage = GHCB_USAGE_STANDARD;
	ghcb_set(OFF(sw_exit_code), exit_code);
	ghcb_set(OFF(sw_exit_info_1), info1);
	ghcb_set(OFF(sw_exit_info_2), info2);
	return ghcb_vmgexit_raw();
}

uint64_t ghcb_last_info2(void)
{
	return ghcb_get(OFF(sw_exit_info_2));
}

static uint64_t ioio_info(uint16_t port, unsigned int size)
{
	uint64_t sz = size == 1 ? SVM_IOIO_SZ8 : size == 2 ? SVM_IOIO_SZ16 : SVM_IOIO_SZ32;

	/* APM vol. 2 15.10.2: port, operand size, 16-bit address size. */
	return ((uint64_t)port << SVM_IOIO_PORT_SHIFT) | sz | SVM_IOIO_A16;
}

uint32_t ghcb_out(uint16_t port, unsigned int size, uint32_t v)
{
	ghcb_clear();
	ghcb_set(OFF(rax), v);
	return ghcb_nae(SVM_EXIT_IOIO, ioio_info(port, size), 0);
}

uint32_t ghcb_in(uint16_t port, unsigned int size, uint32_t *v)
{
	uint32_t rc;

	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_IOIO, ioio_info(port, size) | SVM_IOIO_TYPE_IN, 0);
	if (rc == 0 && !ghcb_has(OFF(rax))) {
		rc = GHCB_HV_RESP_MALFORMED_INPUT; /* no result */
	}
	*v = (uint32_t)ghcb_get(OFF(rax));
	return rc;
}

static uint64_t shared_gpa(void)
{
	return ghcb_gpa + offsetof(struct ghcb, shared_buffer);
}

static void copy(void *dst, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		((volatile uint8_t *)dst)[i] = ((const volatile uint8_t *)src)[i];
	}
}

uint32_t ghcb_outs(uint16_t port, unsigned int size, const void *buf, uint32_t count)
{
	ghcb_clear();
	copy(ghcb_va->shared_buffer, buf, (size_t)size * count);
	ghcb_set(OFF(sw_scratch), shared_gpa());
	return ghcb_nae(SVM_EXIT_IOIO,
			ioio_info(port, size) | SVM_IOIO_STR | (count > 1 ? SVM_IOIO_REP : 0),
			count);
}

uint32_t ghcb_ins(uint16_t port, unsigned int size, void *buf, uint32_t count)
{
	uint32_t rc;

	ghcb_clear();
	ghcb_set(OFF(sw_scratch), shared_gpa());
	rc = ghcb_nae(SVM_EXIT_IOIO,
		      ioio_info(port, size) | SVM_IOIO_TYPE_IN | SVM_IOIO_STR |
			      (count > 1 ? SVM_IOIO_REP : 0),
		      count);
	if (rc == 0) {
		copy(buf, ghcb_va->shared_buffer, (size_t)size * count);
	}
	return rc;
}

uint32_t ghcb_rdmsr(uint32_t index, uint64_t *v)
{
	uint32_t rc;

	ghcb_clear();
	ghcb_set(OFF(rcx), index);
	rc = ghcb_nae(SVM_EXIT_MSR, 0, 0);
	*v = (ghcb_get(OFF(rax)) & 0xffffffffu) | (ghcb_get(OFF(rdx)) << 32);
	return rc;
}

uint32_t ghcb_wrmsr(uint32_t index, uint64_t v)
{
	ghcb_clear();
	ghcb_set(OFF(rcx), index);
	ghcb_set(OFF(rax), v & 0xffffffffu);
	ghcb_set(OFF(rdx), v >> 32);
	return ghcb_nae(SVM_EXIT_MSR, 1, 0);
}

uint32_t ghcb_cpuid(uint32_t fn, uint32_t index, uint32_t regs[4])
{
	uint32_t rc;

	ghcb_clear();
	ghcb_set(OFF(rax), fn);
	ghcb_set(OFF(rcx), index);
	if (fn == 0xd) {
		ghcb_set(OFF(xcr0), 1); /* x87 only: the guest has no XSAVE state */
	}
	rc = ghcb_nae(SVM_EXIT_CPUID, 0, 0);
	regs[0] = (uint32_t)ghcb_get(OFF(rax));
	regs[1] = (uint32_t)ghcb_get(OFF(rbx));
	regs[2] = (uint32_t)ghcb_get(OFF(rcx));
	regs[3] = (uint32_t)ghcb_get(OFF(rdx));
	return rc;
}

uint32_t ghcb_rdtsc(uint64_t *tsc)
{
	uint32_t rc;

	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_RDTSC, 0, 0);
	*tsc = (ghcb_get(OFF(rax)) & 0xffffffffu) | (ghcb_get(OFF(rdx)) << 32);
	return rc;
}

uint32_t ghcb_mmio_read(uint64_t gpa, void *buf, unsigned int len)
{
	uint32_t rc;

	ghcb_clear();
	ghcb_set(OFF(sw_scratch), shared_gpa());
	rc = ghcb_nae(SVM_VMGEXIT_MMIO_READ, gpa, len);
	if (rc == 0) {
		copy(buf, ghcb_va->shared_buffer, len);
	}
	return rc;
}

uint32_t ghcb_mmio_write(uint64_t gpa, const void *buf, unsigned int len)
{
	ghcb_clear();
	copy(ghcb_va->shared_buffer, buf, len);
	ghcb_set(OFF(sw_scratch), shared_gpa());
	return ghcb_nae(SVM_VMGEXIT_MMIO_WRITE, gpa, len);
}

uint64_t ghcb_psc(uint64_t *entries, unsigned int n, uint16_t *cur_entry)
{
	struct snp_psc_desc *d = (struct snp_psc_desc *)(void *)ghcb_va->shared_buffer;
	uint32_t rc;

	ghcb_clear();
	d->hdr.cur_entry = 0;
	d->hdr.end_entry = (uint16_t)(n - 1);
	d->hdr.reserved = 0;
	for (unsigned int i = 0; i < n && i < SNP_PSC_MAX_ENTRIES; i++) {
		d->entries[i] = entries[i];
	}
	ghcb_set(OFF(sw_scratch), shared_gpa());
	rc = ghcb_nae(SVM_VMGEXIT_PSC, 0, 0);
	*cur_entry = d->hdr.cur_entry;
	for (unsigned int i = 0; i < n && i < SNP_PSC_MAX_ENTRIES; i++) {
		entries[i] = d->entries[i];
	}
	return rc ? (1ull << 63) | rc : ghcb_last_info2();
}

uint64_t ghcb_hv_features(void)
{
	ghcb_clear();
	return ghcb_nae(SVM_VMGEXIT_HV_FEATURES, 0, 0) ? 0 : ghcb_last_info2();
}

void ghcb_terminate(uint8_t reason_set, uint8_t reason_code)
{
	for (;;) {
		ghcb_clear();
		ghcb_nae(SVM_VMGEXIT_TERM_REQUEST, ghcb_term_info1(reason_set, reason_code), 0);
	}
}

void ghcb_putc(char c)
{
	ghcb_out(DEBUGCON_PORT, 1, (uint8_t)c);
}
