/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's CPUID answers against the CPUID page. An SNP guest gets
 * CPUID values two ways: from the hypervisor through the GHCB (GHCB spec
 * 56421 2.3.1 "CPUID Request", 4.1 NAE event 72h CPUID), which it cannot
 * trust, and from the CPUID page the SNP firmware checked at launch
 * (SEV-SNP firmware ABI 56860 8.17.2.6, PAGE_TYPE_CPUID), which it can.
 * A guest compares the two and reports a hypervisor whose answer disagrees
 * (Linux does the same before it trusts a CPUID value). Runs in IGVM
 * launches only (the page exists there).
 *
 * With "lie=cpuid" on the command line (QEMU runs with sev-snp-guest
 * lie-cpuid=on, tests/suites/55-snp-emu.sh) the check expects to catch the
 * lie; without it, every function of the page must agree.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/cpuid-page.h"
#include "sev/ghcb-msr.h"

#include "ghcb.h"
#include "igvm-layout.h"
#include "lib.h"

/*
 * Fields that follow the vCPU or its state, not the processor model, and so
 * may differ between the page and a live answer (APM vol. 3 Appendix E):
 * Fn0000_0001 EBX[31:24] initial APIC ID and ECX[27] OSXSAVE (CR4.OSXSAVE),
 * Fn0000_0007_0 ECX[4] OSPKE (CR4.PKE), Fn0000_000B / Fn0000_001F EDX the
 * x2APIC ID, Fn0000_000D EBX the XSAVE area size for the XCR0 in use,
 * Fn8000_001E EAX the extended APIC ID.
 */
static void mask_dynamic(uint32_t fn, uint32_t sub, uint32_t r[4])
{
	switch (fn) {
	case 0x1u:
		r[1] &= 0x00ffffffu;
		r[2] &= ~(1u << 27);
		break;
	case 0x7u:
		if (sub == 0) {
			r[2] &= ~(1u << 4);
		}
		break;
	case 0xbu:
	case 0x1fu:
		r[3] = 0;
		break;
	case 0xdu:
		r[1] = 0;
		break;
	case 0x8000001eu:
		r[0] = 0;
		break;
	default:
		break;
	}
}

static void check_cpuid_page_vs_hv(const struct snp_guest_env *env)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	const struct snp_cpuid_table *t = (const void *)(uintptr_t)SNP_GUEST_IGVM_CPUID_GPA;
	bool lie = cmdline_has(env->cmdline, "lie=cpuid");
	uint32_t n = t->count < SNP_CPUID_COUNT_MAX ? t->count : SNP_CPUID_COUNT_MAX;
	uint32_t differ = 0, first_fn = 0, first_got = 0, first_want = 0, failed = 0;
	uint32_t msr_differ = 0, msr_checked = 0;

	if (!env->igvm) {
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct snp_cpuid_fn *f = &t->fn[i];
		uint32_t page[4] = {f->eax, f->ebx, f->ecx, f->edx}, hv[4], v;
		bool same = true;

		if (ghcb_cpuid(f->eax_in, f->ecx_in, hv) != 0) {
			failed++;
			continue;
		}
		mask_dynamic(f->eax_in, f->ecx_in, page);
		mask_dynamic(f->eax_in, f->ecx_in, hv);
		for (uint32_t r = 0; r < 4; r++) {
			same = same && page[r] == hv[r];
		}
		if (!same && differ++ == 0) {
			first_fn = f->eax_in;
			first_got = hv[0] ^ page[0] ? hv[0] : hv[1];
			first_want = hv[0] ^ page[0] ? page[0] : page[1];
		}
		/* The MSR protocol answers sub-leaf 0 only, one register (2.3.1). */
		if (f->ecx_in == 0 && f->eax_in != 0xdu &&
		    ghcb_msr_cpuid(f->eax_in, GHCB_CPUID_REG_EAX, &v)) {
			uint32_t r[4] = {v, 0, 0, 0};

			mask_dynamic(f->eax_in, 0, r);
			msr_checked++;
			msr_differ += r[0] != page[0];
		}
	}
	expect(n > 0 && failed == 0, "CPUID page: the hypervisor answered CPUID for every function",
	       failed, 0);
	if (lie) {
		expect(differ > 0,
		       "lying hypervisor caught: GHCB CPUID disagrees with the CPUID page (56860 "
		       "8.17.2.6)",
		       first_got, first_want);
		expect(msr_differ > 0,
		       "lying hypervisor caught: GHCB MSR-protocol CPUID disagrees with the CPUID "
		       "page",
		       msr_differ, msr_checked);
		if (differ) {
			puts_dbg("cpuid-page: hypervisor lies about function ");
			put_hex(first_fn);
			puts_dbg("\n");
		}
		return;
	}
	expect(differ == 0, "CPUID page: every GHCB CPUID answer agrees with the page", first_fn,
	       first_want);
	expect(msr_checked > 0 && msr_differ == 0,
	       "CPUID page: every GHCB MSR-protocol CPUID EAX agrees with the page", msr_differ, 0);
}
SNP_GUEST_TEST(check_cpuid_page_vs_hv, SNP_GUEST_MODE_IGVM);
