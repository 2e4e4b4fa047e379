/* SPDX-License-Identifier: MIT */
/*
 * Launch state of a guest started from snp-guest.igvm on the emulated SNP
 * platform: every page the IGVM file loads was installed by SNP_LAUNCH_UPDATE
 * (SEV-SNP firmware ABI, AMD pub. 56860, 8.17) as a validated guest page, the
 * secrets page holds the firmware's layout with VMPCKs, the CPUID page holds
 * what the processor reports. Runs only in IGVM launches (env->igvm).
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/cpuid-page.h"
#include "sev/rmp-instr.h"
#include "sev/secrets.h"
#include "x86/cpuid-sev.h"

#include "igvm-layout.h"
#include "lib.h"
#include "rmp-instr-guest.h"

#define PAGE_4K_ARG	0u /* rCX[0] = 0: 4 KiB page (APM vol. 3 PVALIDATE) */
#define VALIDATE_ARG	1u /* rDX[0] = 1: validate */
#define SECRETS_VERSION 3u /* 56860 8.17 secrets page VERSION */

extern char _start[];

static uint32_t pvalidate(uint32_t va, bool *cf)
{
	return snp_pvalidate(va, PAGE_4K_ARG, VALIDATE_ARG, cf);
}

/* APM vol. 3 PVALIDATE: validating a page that is already validated succeeds
 * with CF = 1 (nothing changed) -- which is what every launched page must
 * give, since SNP_LAUNCH_UPDATE validated it (56860 8.17). */
static void expect_launched(uint32_t gpa, const char *name)
{
	bool cf = false;
	uint32_t rc = pvalidate(gpa, &cf);

	expect(rc == RMP_INSTR_SUCCESS && cf, name, rc | (uint32_t)cf << 8, 0x100);
}

static void check_launched_pages(const struct snp_guest_env *env)
{
	if (!env->igvm) {
		return;
	}
	expect_launched((uint32_t)(uintptr_t)_start & ~0xfffu,
			"launch: code page validated by SNP_LAUNCH_UPDATE (PVALIDATE CF=1)");
	expect_launched(SNP_GUEST_IGVM_CMDLINE_GPA, "launch: data page validated (PVALIDATE CF=1)");
	expect_launched(SNP_GUEST_IGVM_SECRETS_GPA,
			"launch: secrets page validated (PVALIDATE CF=1)");
	expect_launched(SNP_GUEST_IGVM_CPUID_GPA, "launch: CPUID page validated (PVALIDATE CF=1)");
	expect_launched(SNP_GUEST_IGVM_PARAM_GPA,
			"launch: unmeasured parameter page validated (PVALIDATE CF=1)");
}

static bool all_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (p[i]) {
			return false;
		}
	}
	return true;
}

static bool same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (a[i] != b[i]) {
			return false;
		}
	}
	return true;
}

/* 56860 8.17 secrets page: VERSION, FMS = CPUID Fn0000_0001_EAX, VMPCK0-3. */
static void check_secrets(const struct snp_guest_env *env)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	const struct snp_secrets_page *s = (const void *)(uintptr_t)SNP_GUEST_IGVM_SECRETS_GPA;
	uint32_t a, b, c, d;
	bool distinct = true, present = true;
	uint64_t head = 0;

	if (!env->igvm) {
		return;
	}
	cpuid(1, &a, &b, &c, &d);
	expect(s->version == SECRETS_VERSION, "launch: secrets page VERSION 3", s->version,
	       SECRETS_VERSION);
	expect(s->fms == a, "launch: secrets page FMS = CPUID 1 EAX", s->fms, a);
	for (uint32_t k = 0; k < SNP_VMPCK_COUNT; k++) {
		for (uint32_t j = k + 1; j < SNP_VMPCK_COUNT; j++) {
			distinct = distinct && !same(s->vmpck[k], s->vmpck[j], SNP_VMPCK_LEN);
		}
		present = present && !all_zero(s->vmpck[k], SNP_VMPCK_LEN);
	}
	expect(present, "launch: VMPCK0-3 present (not zero)", 0, 0);
	expect(distinct, "launch: VMPCK0-3 are four different keys", 0, 0);
	/* The harness compares this line across two launches: fresh keys. */
	for (uint32_t i = 0; i < 8; i++) {
		head = head << 8 | s->vmpck[0][i];
	}
	puts_dbg("launch: vmpck0 ");
	put_hex(head);
	puts_dbg("\n");
}

/* 56860 8.17.2.6: the CPUID page holds the processor's values. */
static void check_cpuid_page(const struct snp_guest_env *env)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	const struct snp_cpuid_table *t = (const void *)(uintptr_t)SNP_GUEST_IGVM_CPUID_GPA;
	uint32_t a, b, c, d;
	bool found = false;

	if (!env->igvm) {
		return;
	}
	expect(t->count > 0 && t->count <= SNP_CPUID_COUNT_MAX, "launch: CPUID page count 1..64",
	       t->count, SNP_CPUID_COUNT_MAX);
	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	for (uint32_t i = 0; i < t->count && i < SNP_CPUID_COUNT_MAX; i++) {
		const struct snp_cpuid_fn *f = &t->fn[i];

		if (f->eax_in == CPUID_FN_SEV && f->ecx_in == 0) {
			found = true;
			expect(f->eax == a && f->ebx == b,
			       "launch: CPUID page 8000_001F equals CPUID 8000_001F", f->ebx, b);
		}
	}
	expect(found, "launch: CPUID page has function 8000_001F", 0, 0);
}

SNP_GUEST_TEST(check_launched_pages, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_IGVM);
SNP_GUEST_TEST(check_secrets, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_IGVM);
SNP_GUEST_TEST(check_cpuid_page, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_IGVM);
