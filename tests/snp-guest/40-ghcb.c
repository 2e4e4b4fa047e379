/* SPDX-License-Identifier: MIT */
/*
 * The GHCB (GHCB spec, AMD pub. 56421) against the emulated hypervisor:
 * the MSR protocol (2.3.1), then each NAE event through the GHCB page (4.1)
 * with its architectural result compared with what the CPU reports
 * directly, page state changes checked with PVALIDATE (4.1.6, APM vol. 2
 * 15.36), and hostile GHCB contents getting the spec's errors.
 *
 * The GHCB is the one the #VC code set up (in the shared window of the
 * paging code) if there is one, else a hypervisor-owned page of free RAM
 * used with paging off, which this guest never validates (it stays shared).
 *
 * Harness words on the command line (tests/suites/55-snp-emu.sh): "lie=psc"
 * and "lie=cpuid" when QEMU runs with the matching lying-hypervisor switch
 * (the checks then expect to catch the lie), "ghcb-terminate" to end with a
 * termination request (reason set 1, code 0x42).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/psc.h"
#include "sev/rmp-instr.h"
#include "sev/vmsa.h"

#include "ghcb.h"
#include "lib.h"
#include "rmp-instr-guest.h"

#define OFF(f) offsetof(struct ghcb_save_area, f)

/* Free guest RAM (the kernel is at 1 MiB, 20-rmp-instr.c uses 8-12 MiB). */
#define GHCB_GPA   0x01000000u
#define PAGE_X	   0x01010000u /* 4 KiB page converted by the MSR protocol */
#define PAGE_Y	   0x01011000u /* 4 KiB page converted through the GHCB */
#define PAGE_W	   0x01012000u /* 4 KiB page for the PSC-lie check */
#define REGION_Z   0x01200000u /* 2 MiB region converted through the GHCB */
#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define CMOS_NVRAM 0x38	       /* a battery-backed RAM byte of the MC146818 */
#define LAPIC_BASE 0xfee00000u /* default xAPIC base (APM vol. 2 16.3.1) */
#define LAPIC_VER  0x30u
#define LAPIC_TPR  0x80u

static bool ghcb_ready;
static bool lie_psc, lie_cpuid;

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t mmio_read32(uint32_t pa)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static void check_msr_protocol(const struct snp_guest_env *env)
{
	uint16_t max = 0, min = 0;
	uint8_t cbit = 0;
	uint32_t a, b, c, d, v = 0;
	uint64_t ft, r;
	bool ok;

	/* 2.3.1 SEV information: protocol range containing 2 (SNP), the C-bit. */
	ok = ghcb_msr_sev_info(&max, &min, &cbit);
	expect(ok && min <= 2 && max >= 2, "GHCB MSR SEV info: versions include 2",
	       (uint64_t)max << 16 | min, 2);
	expect(cbit == env->cbitpos, "GHCB MSR SEV info: C-bit position", cbit, env->cbitpos);

	lie_psc = cmdline_has(env->cmdline, "lie=psc");
	lie_cpuid = cmdline_has(env->cmdline, "lie=cpuid");

	/* 2.3.1 CPUID request: the hypervisor's value of each register. */
	cpuid(0x8000001fu, &a, &b, &c, &d);
	ok = ghcb_msr_cpuid(0x8000001fu, GHCB_CPUID_REG_EAX, &v);
	if (lie_cpuid) {
		/* A lying hypervisor: its answer disagrees with the CPU's. */
		expect(ok && v != a, "lying hypervisor caught: MSR CPUID EAX differs", v, a);
		return;
	}
	expect(ok && v == a, "GHCB MSR CPUID 8000_001F EAX matches CPUID", v, a);
	ok = ghcb_msr_cpuid(0x8000001fu, GHCB_CPUID_REG_EBX, &v);
	expect(ok && v == b, "GHCB MSR CPUID 8000_001F EBX matches CPUID", v, b);
	cpuid(0, &a, &b, &c, &d);
	ok = ghcb_msr_cpuid(0, GHCB_CPUID_REG_EDX, &v);
	expect(ok && v == d, "GHCB MSR CPUID 0 EDX matches CPUID", v, d);

	/* 2.3.1 / 2.2: an SNP hypervisor reports feature bit 0 (SEV-SNP). */
	ft = ghcb_msr_hv_features();
	expect(ft & GHCB_HV_FT_SNP, "GHCB MSR hypervisor features: SEV-SNP", ft, GHCB_HV_FT_SNP);

	/* 2.3.1 preferred GHCB GPA: a response with its own code. */
	r = ghcb_msr_call(GHCB_MSR_PREF_GPA_REQ);
	expect(ghcb_msr_is(r, GHCB_MSR_PREF_GPA_RESP), "GHCB MSR preferred GPA response code",
	       ghcb_msr_info(r), GHCB_MSR_PREF_GPA_RESP);

	/* An unknown request code: the hypervisor leaves the MSR alone. */
	r = ghcb_msr_call(0x0ffull);
	expect(r == 0x0ffull, "GHCB MSR unknown request: MSR unchanged", r, 0x0ff);
}

static void check_msr_psc(const struct snp_guest_env *env)
{
	bool cf = true;
	uint32_t rc, err;

	(void)env;

	/*
	 * PSC shared of a validated private page: once the page is really
	 * shared, PVALIDATE finds a fresh page again (the hypervisor assigns it
	 * on the implicit conversion, APM vol. 2 15.36.6: not validated, CF 0);
	 * if the hypervisor only claimed the change, it is still validated (CF 1).
	 */
	rc = snp_pvalidate(PAGE_W, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	err = ghcb_msr_psc((PAGE_W) >> 12, GHCB_MSR_PSC_OP_SHARED);
	rc |= snp_pvalidate(PAGE_W, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	if (lie_psc) {
		expect(err == 0 && rc == RMP_INSTR_SUCCESS && cf,
		       "lying hypervisor caught: PSC shared claimed, page still validated",
		       rc | cf << 8 | (uint64_t)err << 16, 0x100);
		return;
	}
	expect(err == 0 && rc == RMP_INSTR_SUCCESS && !cf,
	       "GHCB MSR PSC shared really unassigned the page (PVALIDATE CF 0)",
	       rc | cf << 8 | (uint64_t)err << 16, 0);

	/* 2.3.1 PSC to private, then PVALIDATE: a fresh private page, CF = 0. */
	err = ghcb_msr_psc(PAGE_X >> 12, GHCB_MSR_PSC_OP_PRIVATE);
	expect(err == 0, "GHCB MSR PSC private: success", err, 0);
	rc = snp_pvalidate(PAGE_X, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE after PSC private: EAX 0, CF 0",
	       rc | cf << 8, 0);
	/* Rescind, make it shared and private again: Validated was cleared. */
	snp_pvalidate(PAGE_X, RMP_PG_SIZE_4K, PVALIDATE_RESCIND, &cf);
	err = ghcb_msr_psc(PAGE_X >> 12, GHCB_MSR_PSC_OP_SHARED);
	expect(err == 0, "GHCB MSR PSC shared: success", err, 0);
	err = ghcb_msr_psc(PAGE_X >> 12, GHCB_MSR_PSC_OP_PRIVATE);
	rc = snp_pvalidate(PAGE_X, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	expect(err == 0 && rc == RMP_INSTR_SUCCESS && !cf,
	       "shared then private: page must be validated again (CF 0)", rc | cf << 8, 0);
	/* Operations other than 1 (private) and 2 (shared) are errors. */
	err = ghcb_msr_psc(PAGE_X >> 12, 3);
	expect(err != 0, "GHCB MSR PSC operation 3: error", err, 1);
	rc = snp_pvalidate(PAGE_X, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "... and the page is still private and validated",
	       rc | cf << 8, 0x100);
}

static void check_ghcb_register(const struct snp_guest_env *env)
{
	/* The GHCB someone set up already (the #VC code's shared window), else ours. */
	uint64_t gpa = ghcb_page() ? ghcb_page_gpa() : GHCB_GPA;

	(void)env;
	/* 2.3.1 register GHCB GPA: the hypervisor echoes the GFN. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	ghcb_ready = ghcb_init(ghcb_page() ? ghcb_page() : (void *)(uintptr_t)GHCB_GPA, gpa);
	expect(ghcb_ready, "GHCB MSR register GHCB GPA: GFN echoed", ghcb_ready, 1);
}

static void check_ghcb_ioio(const struct snp_guest_env *env)
{
	uint32_t rc, v = 0;
	uint8_t buf[4] = {0};
	uint8_t want;

	(void)env;
	if (!ghcb_ready) {
		return;
	}
	/* IOIO IN: the debug console reads back 0xe9, as a direct IN does. */
	want = inb(DEBUGCON_PORT);
	rc = ghcb_in(DEBUGCON_PORT, 1, &v);
	expect(rc == 0 && v == want, "GHCB IOIO IN byte = direct IN", v, want);
	/* IOIO OUT: write a CMOS RAM byte through the GHCB, read it directly. */
	rc = ghcb_out(CMOS_INDEX, 1, CMOS_NVRAM);
	rc |= ghcb_out(CMOS_DATA, 1, 0x5a);
	outb(CMOS_INDEX, CMOS_NVRAM);
	expect(rc == 0 && inb(CMOS_DATA) == 0x5a, "GHCB IOIO OUT byte reaches the device", rc, 0);
	/* String forms through the shared buffer (SW_EXITINFO2 = count). */
	rc = ghcb_ins(DEBUGCON_PORT, 1, buf, 4);
	expect(rc == 0 && buf[0] == want && buf[3] == want, "GHCB IOIO INS x4 = readback bytes",
	       (uint64_t)buf[0] | (uint64_t)buf[3] << 8, (uint64_t)want * 0x101);
	buf[0] = CMOS_NVRAM;
	buf[1] = 0xa5;
	rc = ghcb_outs(CMOS_INDEX, 1, &buf[0], 1) | ghcb_outs(CMOS_DATA, 1, &buf[1], 1);
	outb(CMOS_INDEX, CMOS_NVRAM);
	expect(rc == 0 && inb(CMOS_DATA) == 0xa5, "GHCB IOIO OUTS reaches the device", rc, 0);
	/* Console output through the GHCB (what the #VC handler will use). */
	void (*putc_before)(char) = snp_guest_putc;

	snp_guest_putc = ghcb_putc;
	expect(true, "this line was printed through GHCB IOIO", 0, 0);
	snp_guest_putc = putc_before;
}

static void check_ghcb_msr_cpuid_tsc(const struct snp_guest_env *env)
{
	uint32_t rc, regs[4], a, b, c, d;
	uint64_t v = 0, t0, t1, t2 = 0;

	(void)env;
	if (!ghcb_ready) {
		return;
	}
	/* MSR NAE read: APIC base, as the hypervisor keeps it = RDMSR 1Bh. */
	rc = ghcb_rdmsr(0x1b, &v);
	expect(rc == 0 && v == rdmsr(0x1b), "GHCB MSR read 1Bh = RDMSR", v, rdmsr(0x1b));
	/* MSR NAE write: APIC base written back unchanged is accepted. */
	rc = ghcb_wrmsr(0x1b, rdmsr(0x1b));
	expect(rc == 0 && ghcb_rdmsr(0x1b, &v) == 0 && v == rdmsr(0x1b),
	       "GHCB MSR write 1Bh (same value): accepted, unchanged", rc, 0);
	/* An MSR the hypervisor does not emulate: 4.1 "issue exception" #GP. */
	rc = ghcb_rdmsr(0xc001fff0u, &v);
	expect(rc == GHCB_HV_RESP_ISSUE_EXCEPTION &&
		       ghcb_last_info2() ==
			       (13u | SEV_EVENTINJ_TYPE_EXCEPT << SEV_EVENTINJ_TYPE_SHIFT |
				SEV_EVENTINJ_EV | SEV_EVENTINJ_VALID),
	       "GHCB MSR read of an unknown MSR: inject #GP(0)", ghcb_last_info2(), 13);
	/* CPUID NAE: all four registers, as the CPUID instruction reports. */
	cpuid(0x8000001fu, &a, &b, &c, &d);
	rc = ghcb_cpuid(0x8000001fu, 0, regs);
	if (lie_cpuid) {
		expect(rc == 0 && regs[0] != a, "lying hypervisor caught: GHCB CPUID EAX differs",
		       regs[0], a);
		return;
	}
	expect(rc == 0 && regs[0] == a && regs[1] == b && regs[2] == c && regs[3] == d,
	       "GHCB CPUID 8000_001F = CPUID", regs[1], b);
	cpuid(1, &a, &b, &c, &d);
	rc = ghcb_cpuid(1, 0, regs);
	expect(rc == 0 && regs[0] == a && regs[2] == c && regs[3] == d, "GHCB CPUID 1 = CPUID",
	       regs[0], a);
	/* RDTSC NAE: between two direct reads. */
	t0 = rdtsc();
	rc = ghcb_rdtsc(&t1);
	t2 = rdtsc();
	expect(rc == 0 && t0 <= t1 && t1 <= t2, "GHCB RDTSC between two RDTSCs", t1, t0);
}

static void check_ghcb_mmio(const struct snp_guest_env *env)
{
	uint32_t rc, v = 0, tpr = 0x20;

	(void)env;
	if (!ghcb_ready) {
		return;
	}
	/* MMIO read of the local APIC version register = a direct read. */
	rc = ghcb_mmio_read(LAPIC_BASE + LAPIC_VER, &v, 4);
	expect(rc == 0 && v == mmio_read32(LAPIC_BASE + LAPIC_VER),
	       "GHCB MMIO read LAPIC version = direct read", v,
	       mmio_read32(LAPIC_BASE + LAPIC_VER));
	/* MMIO write of the TPR, read back directly, then restored. */
	rc = ghcb_mmio_write(LAPIC_BASE + LAPIC_TPR, &tpr, 4);
	v = mmio_read32(LAPIC_BASE + LAPIC_TPR);
	tpr = 0;
	rc |= ghcb_mmio_write(LAPIC_BASE + LAPIC_TPR, &tpr, 4);
	expect(rc == 0 && v == 0x20, "GHCB MMIO write LAPIC TPR reaches the device", v, 0x20);
	/* 4.1 (version 2): more than 8 bytes is invalid input. */
	rc = ghcb_mmio_read(LAPIC_BASE + LAPIC_VER, &v, 16);
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_INVALID_INPUT,
	       "GHCB MMIO of 16 bytes: invalid input", ghcb_last_info2(), GHCB_ERR_INVALID_INPUT);
}

static void check_ghcb_psc(const struct snp_guest_env *env)
{
	struct snp_psc_desc *d = (struct snp_psc_desc *)(void *)ghcb_page()->shared_buffer;
	uint64_t e[3], r;
	uint16_t cur = 0xffff;
	uint32_t rc;
	bool cf = true;

	(void)env;
	if (!ghcb_ready || lie_psc) {
		return;
	}
	/* 4.1.6: a 4 KiB and a 2 MiB private entry in one request. */
	e[0] = snp_psc_entry(PAGE_Y >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	e[1] = snp_psc_entry(REGION_Z >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	r = ghcb_psc(e, 2, &cur);
	expect(r == 0 && cur == 2, "GHCB PSC 4K + 2M private: success, CUR_ENTRY past the end",
	       r | (uint64_t)cur << 48, 2ull << 48);
	expect(snp_psc_entry_cur_page(e[1]) == 512, "GHCB PSC: 2M entry CUR_PAGE = 512",
	       snp_psc_entry_cur_page(e[1]), 512);
	rc = snp_pvalidate(PAGE_Y, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K after GHCB PSC: EAX 0, CF 0",
	       rc | cf << 8, 0);
	/* The 2 MiB region is one 2 MiB RMP page: a 2M PVALIDATE succeeds. */
	rc = snp_pvalidate(REGION_Z, RMP_PG_SIZE_2M, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 2M after GHCB PSC 2M: EAX 0, CF 0",
	       rc | cf << 8, 0);

	/* Hostile: END_ENTRY beyond the 253 entries that fit (INVALID_HDR). */
	ghcb_clear();
	d->hdr.cur_entry = 0;
	d->hdr.end_entry = SNP_PSC_MAX_ENTRIES;
	d->entries[0] = snp_psc_entry(PAGE_Y >> 12, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	ghcb_set(OFF(sw_scratch), ghcb_page_gpa() + offsetof(struct ghcb, shared_buffer));
	rc = ghcb_nae(SVM_VMGEXIT_PSC, 0, 0);
	expect(rc == 0 && ghcb_last_info2() == SNP_PSC_ERROR_INVALID_HDR,
	       "GHCB PSC END_ENTRY 253: invalid header", ghcb_last_info2(),
	       SNP_PSC_ERROR_INVALID_HDR);
	/* Hostile: an unknown operation in entry 1; entry 0 is done first. */
	e[0] = snp_psc_entry(REGION_Z >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	e[1] = snp_psc_entry(PAGE_Y >> 12, 7, SNP_PSC_PAGE_4K, 0);
	e[2] = snp_psc_entry(PAGE_Y >> 12, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	r = ghcb_psc(e, 3, &cur);
	expect(r == SNP_PSC_ERROR_INVALID_ENTRY && cur == 1,
	       "GHCB PSC bad operation: invalid entry, CUR_ENTRY on it", r | (uint64_t)cur << 48,
	       SNP_PSC_ERROR_INVALID_ENTRY | 1ull << 48);
	/* Neither entry changed the pages: both are still validated. */
	rc = snp_pvalidate(PAGE_Y, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "... 4K page unchanged (validated, CF 1)",
	       rc | cf << 8, 0x100);
	rc = snp_pvalidate(REGION_Z, RMP_PG_SIZE_2M, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "... 2M page unchanged (validated, CF 1)",
	       rc | cf << 8, 0x100);
	/* Hostile: a 2M entry whose GFN is not 2 MiB aligned. */
	e[0] = snp_psc_entry((REGION_Z >> 12) + 1, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_2M, 0);
	r = ghcb_psc(e, 1, &cur);
	expect(r == SNP_PSC_ERROR_INVALID_ENTRY && cur == 0, "GHCB PSC unaligned 2M: invalid entry",
	       r, SNP_PSC_ERROR_INVALID_ENTRY);
	/* Hostile: a page that is not RAM (in the 4 GiB hole): conversion fails. */
	e[0] = snp_psc_entry(0xfec00u, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	r = ghcb_psc(e, 1, &cur);
	expect(r == SNP_PSC_ERROR_GENERIC && cur == 0, "GHCB PSC of a non-RAM GFN: error", r,
	       SNP_PSC_ERROR_GENERIC);
}

static void check_ghcb_events(const struct snp_guest_env *env)
{
	struct ghcb *g = ghcb_page();
	uint64_t ft;
	uint32_t rc;

	(void)env;
	if (!ghcb_ready) {
		return;
	}
	/* 4.1.10 hypervisor features NAE = the MSR protocol's bitmap. */
	ft = ghcb_hv_features();
	expect(ft == ghcb_msr_hv_features() && (ft & GHCB_HV_FT_SNP),
	       "GHCB HV features NAE = MSR protocol bitmap", ft, ghcb_msr_hv_features());
	ghcb_init(g, ghcb_page_gpa()); /* the MSR call above changed the GHCB MSR */

	/* Guest request: no AMD-SP model behind the hypervisor yet. */
	ghcb_clear();
	rc = ghcb_nae(SVM_VMGEXIT_GUEST_REQUEST, PAGE_X, PAGE_Y);
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_INVALID_EVENT,
	       "GHCB guest request: not supported", ghcb_last_info2(), GHCB_ERR_INVALID_EVENT);

	/* AP creation and Run VMPL: "not supported" unless the features say so. */
	if (!(ft & GHCB_HV_FT_SNP_AP_CREATION)) {
		ghcb_clear();
		ghcb_set(OFF(rax), 0);
		rc = ghcb_nae(SVM_VMGEXIT_AP_CREATION,
			      ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 1), PAGE_X);
		expect(rc == GHCB_HV_RESP_MALFORMED_INPUT &&
			       ghcb_last_info2() == GHCB_ERR_INVALID_EVENT,
		       "GHCB AP creation without the feature: not supported", ghcb_last_info2(),
		       GHCB_ERR_INVALID_EVENT);
	} else {
		/* 4.1.9: the VMSA GPA must be page aligned: invalid input. */
		ghcb_clear();
		ghcb_set(OFF(rax), 0);
		rc = ghcb_nae(SVM_VMGEXIT_AP_CREATION,
			      ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 1), PAGE_X + 8);
		expect(rc == GHCB_HV_RESP_MALFORMED_INPUT &&
			       ghcb_last_info2() == GHCB_ERR_INVALID_INPUT,
		       "GHCB AP creation, unaligned VMSA: invalid input", ghcb_last_info2(),
		       GHCB_ERR_INVALID_INPUT);
	}
	if (!(ft & GHCB_HV_FT_SNP_MULTI_VMPL)) {
		ghcb_clear();
		rc = ghcb_nae(SVM_VMGEXIT_SNP_RUN_VMPL, 0, 0);
		expect(rc == GHCB_HV_RESP_MALFORMED_INPUT &&
			       ghcb_last_info2() == GHCB_ERR_INVALID_EVENT,
		       "GHCB Run VMPL without the feature: not supported", ghcb_last_info2(),
		       GHCB_ERR_INVALID_EVENT);
	} else {
		/* 4.1.12: four VMPLs (CPUID 8000_001F EBX[15:12]): VMPL 4 is refused. */
		ghcb_clear();
		rc = ghcb_nae(SVM_VMGEXIT_SNP_RUN_VMPL, 4, 0);
		expect(rc == GHCB_HV_RESP_MALFORMED_INPUT &&
			       ghcb_last_info2() == GHCB_ERR_INVALID_INPUT,
		       "GHCB Run VMPL 4: invalid input", ghcb_last_info2(), GHCB_ERR_INVALID_INPUT);
		rc = ghcb_msr_vmpl_resp_error(ghcb_msr_call(ghcb_msr_vmpl_req(4)));
		expect(rc != 0, "GHCB MSR Run VMPL 4: error response", rc, 1);
	}
}

static void check_ghcb_hostile(const struct snp_guest_env *env)
{
	struct ghcb *g = ghcb_page();
	uint32_t rc;

	(void)env;
	if (!ghcb_ready) {
		return;
	}
	/* 4.1: SW_EXITINFO1 not marked valid: missing input. */
	ghcb_clear();
	g->ghcb_usage = GHCB_USAGE_STANDARD;
	ghcb_set(OFF(sw_exit_code), SVM_EXIT_RDTSC);
	ghcb_set(OFF(sw_exit_info_2), 0);
	rc = ghcb_vmgexit_raw();
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_MISSING_INPUT,
	       "GHCB without SW_EXITINFO1 valid: missing input", ghcb_last_info2(),
	       GHCB_ERR_MISSING_INPUT);
	expect(!ghcb_has(OFF(rax)), "... and no result (RAX not valid)", ghcb_has(OFF(rax)), 0);
	/* IOIO OUT without RAX valid: missing input, nothing written. */
	outb(CMOS_INDEX, CMOS_NVRAM);
	outb(CMOS_DATA, 0x11);
	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_IOIO, ((uint64_t)CMOS_DATA << SVM_IOIO_PORT_SHIFT) | SVM_IOIO_SZ8,
		      0);
	outb(CMOS_INDEX, CMOS_NVRAM);
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_MISSING_INPUT &&
		       inb(CMOS_DATA) == 0x11,
	       "GHCB IOIO OUT without RAX: missing input, device untouched", ghcb_last_info2(),
	       GHCB_ERR_MISSING_INPUT);
	/* GHCB usage other than 0: invalid usage. */
	ghcb_clear();
	g->ghcb_usage = 1;
	ghcb_set(OFF(sw_exit_code), SVM_EXIT_RDTSC);
	ghcb_set(OFF(sw_exit_info_1), 0);
	ghcb_set(OFF(sw_exit_info_2), 0);
	rc = ghcb_vmgexit_raw();
	g->ghcb_usage = GHCB_USAGE_STANDARD;
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_INVALID_USAGE,
	       "GHCB usage 1: invalid usage", ghcb_last_info2(), GHCB_ERR_INVALID_USAGE);
	/* An exit code that is no event: invalid event. */
	ghcb_clear();
	rc = ghcb_nae(0x8000f00dull, 0, 0);
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT && ghcb_last_info2() == GHCB_ERR_INVALID_EVENT,
	       "GHCB unknown exit code: invalid event", ghcb_last_info2(), GHCB_ERR_INVALID_EVENT);
	/* A scratch area outside the shared buffer (version 2 requires it inside). */
	ghcb_clear();
	ghcb_set(OFF(sw_scratch), ghcb_page_gpa() + 0x100);
	rc = ghcb_nae(SVM_VMGEXIT_MMIO_READ, LAPIC_BASE + LAPIC_VER, 4);
	expect(rc == GHCB_HV_RESP_MALFORMED_INPUT &&
		       ghcb_last_info2() == GHCB_ERR_INVALID_SCRATCH_AREA,
	       "GHCB scratch area outside the shared buffer: invalid scratch area",
	       ghcb_last_info2(), GHCB_ERR_INVALID_SCRATCH_AREA);
}

/* Last: the termination request (2.3.1), when the harness asks for it. */
static void check_ghcb_terminate(const struct snp_guest_env *env)
{
	if (cmdline_has(env->cmdline, "ghcb-terminate")) {
		puts_dbg("snp-guest: GHCB termination request, reason set 1, code 0x42\n");
		ghcb_msr_terminate(1, 0x42);
	}
}

/* One registered test: the checks depend on running in this order. */
static void check_ghcb(const struct snp_guest_env *env)
{
	check_msr_protocol(env);
	check_msr_psc(env);
	check_ghcb_register(env);
	check_ghcb_ioio(env);
	check_ghcb_msr_cpuid_tsc(env);
	check_ghcb_mmio(env);
	check_ghcb_psc(env);
	check_ghcb_events(env);
	check_ghcb_hostile(env);
	check_ghcb_terminate(env);
}

SNP_GUEST_TEST(check_ghcb, SNP_GUEST_MODE_SNP);
