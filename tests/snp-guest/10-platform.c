/* SPDX-License-Identifier: MIT */
/*
 * Platform identification: CPUID Fn8000_001F, SEV_STATUS and the GHCB MSR,
 * read directly (before #VC intercepts them, see docs/snp-emulation.md).
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/sev-status.h"
#include "x86/cpuid-sev.h"

#include "lib.h"

static void check_cpuid(const struct snp_guest_env *env)
{
	uint32_t want_cbit = env->cbitpos, want_reduced = env->reduced;
	uint32_t a, b, c, d;
	uint32_t want_eax =
		CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES | CPUID_SEV_EAX_SNP | CPUID_SEV_EAX_VMPL;

	/* APM vol. 2 15.34.1: memory-encryption support is reported in 8000_001F. */
	cpuid(0x80000000u, &a, &b, &c, &d);
	expect(a >= CPUID_FN_SEV, "CPUID 80000000h reaches leaf 8000_001Fh", a, CPUID_FN_SEV);

	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	/* 15.34.1 (SEV bit 1), 15.35.1 (SEV-ES bit 3), 15.36.1 (SNP bit 4, VMPL bit 5). */
	expect((a & want_eax) == want_eax, "CPUID 8000_001F EAX: SEV, SEV-ES, SNP, VMPL", a,
	       want_eax);
	/* 15.34.6: EBX[5:0] is the C-bit position. */
	expect((b & CPUID_SEV_EBX_CBIT_MASK) == want_cbit, "CPUID 8000_001F EBX[5:0] C-bit",
	       b & CPUID_SEV_EBX_CBIT_MASK, want_cbit);
	/* 15.34.1: EBX[11:6] is the physical address width reduction. */
	expect(((b & CPUID_SEV_EBX_PHYS_REDUCTION_MASK) >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT) ==
		       want_reduced,
	       "CPUID 8000_001F EBX[11:6] reduced phys bits",
	       (b & CPUID_SEV_EBX_PHYS_REDUCTION_MASK) >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT,
	       want_reduced);
	/* 15.36.7: EBX[15:12] is the number of VMPLs; the platform implements 4. */
	expect(((b & CPUID_SEV_EBX_NUM_VMPLS_MASK) >> CPUID_SEV_EBX_NUM_VMPLS_SHIFT) == 4,
	       "CPUID 8000_001F EBX[15:12] four VMPLs",
	       (b & CPUID_SEV_EBX_NUM_VMPLS_MASK) >> CPUID_SEV_EBX_NUM_VMPLS_SHIFT, 4);
}

static void check_msrs(const struct snp_guest_env *env)
{
	uint64_t want = SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP;
	uint64_t st = rdmsr(MSR_SEV_STATUS);
	uint64_t ghcb = 0x00000000fedc1000ull;
	uint32_t faults;

	(void)env;

	/* Table 15-32: SEV_Enabled, SEV_ES_Enabled and SNP_Active for an SNP guest. */
	expect((st & want) == want, "SEV_STATUS: SEV, SEV-ES and SNP active", st, want);

	/* 15.35.7: the GHCB MSR holds what the guest writes. */
	wrmsr(MSR_SEV_ES_GHCB, ghcb);
	expect(rdmsr(MSR_SEV_ES_GHCB) == ghcb, "GHCB MSR keeps the written GPA",
	       rdmsr(MSR_SEV_ES_GHCB), ghcb);

	/* 15.34.10: SEV_STATUS is read-only; a write faults and changes nothing. */
	faults = gp_count;
	wrmsr(MSR_SEV_STATUS, 0);
	expect(gp_count == faults + 1, "WRMSR SEV_STATUS raises #GP", gp_count - faults, 1);
	expect(rdmsr(MSR_SEV_STATUS) == st, "SEV_STATUS unchanged after the write",
	       rdmsr(MSR_SEV_STATUS), st);
}

SNP_GUEST_TEST(check_cpuid, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_IGVM);
SNP_GUEST_TEST(check_msrs, SNP_GUEST_MODE_SNP);
