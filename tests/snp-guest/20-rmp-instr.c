/* SPDX-License-Identifier: MIT */
/*
 * PVALIDATE and RMPADJUST with paging off (guest-virtual = guest-physical) on
 * free RAM above the kernel: results, CF, #GP(0) at CPL 3, #UD when not
 * SNP-active.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/rmp-instr.h"
#include "x86/cpuid-sev.h"

#include "guest.h"
#include "lib.h"
#include "rmp-instr-guest.h"

/* Free guest RAM used by the RMP checks (the kernel lives at 1 MiB). */
#define PAGE_A	  0x00801000u /* a 4 KiB page in the 2 MiB region at 8 MiB */
#define REGION_A  0x00800000u
#define REGION_B  0x00a00000u /* a 2 MiB region validated as a whole */
#define SZ_4K_ARG RMP_PG_SIZE_4K
#define SZ_2M_ARG RMP_PG_SIZE_2M

static void check_pvalidate(const struct snp_guest_env *env)
{
	bool cf = false;
	uint32_t rc;

	(void)env;

	/* APM vol. 3 PVALIDATE, vol. 2 15.36.6: validating sets the bit, CF = 0. */
	rc = snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K validate: EAX 0, CF 0", rc | cf << 8,
	       0);
	/* ... and again: nothing changes, CF = 1. */
	rc = snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "PVALIDATE 4K again: EAX 0, CF 1 (unchanged)",
	       rc | cf << 8, 0x100);
	/* Rescind, then validate again for the RMPADJUST checks below. */
	rc = snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_RESCIND, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K rescind: EAX 0, CF 0", rc | cf << 8,
	       0);
	rc = snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K re-validate: EAX 0, CF 0",
	       rc | cf << 8, 0);
	/* A 2 MiB request needs a 2 MiB-aligned address: FAIL_INPUT. */
	rc = snp_pvalidate(PAGE_A, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_FAIL_INPUT, "PVALIDATE 2M unaligned: FAIL_INPUT", rc,
	       RMP_INSTR_FAIL_INPUT);
	/* Table 15-40: 2 MiB request where the RMP holds 4 KiB pages. */
	rc = snp_pvalidate(REGION_A, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_FAIL_SIZEMISMATCH, "PVALIDATE 2M on 4K RMP pages: FAIL_SIZEMISMATCH",
	       rc, RMP_INSTR_FAIL_SIZEMISMATCH);
	/* A whole 2 MiB page ... */
	rc = snp_pvalidate(REGION_B, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 2M: EAX 0, CF 0", rc | cf << 8, 0);
	/* ... then one 4 KiB page of it: the hypervisor PSMASHes (15.36.11) and
	 * the other pages keep their Validated bit. */
	rc = snp_pvalidate(REGION_B + 0x3000u, SZ_4K_ARG, PVALIDATE_RESCIND, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K rescind inside a 2M page: CF 0",
	       rc | cf << 8, 0);
	rc = snp_pvalidate(REGION_B + 0x4000u, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "PSMASH kept the neighbour validated: CF 1",
	       rc | cf << 8, 0x100);
}

static void check_rmpadjust(const struct snp_guest_env *env)
{
	uint32_t rc;

	(void)env;

	/* 15.36.7: VMPL0 grants VMPL1 read access to a page it owns. */
	rc = snp_rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_SUCCESS, "RMPADJUST VMPL1 read: SUCCESS", rc, RMP_INSTR_SUCCESS);
	/* APM vol. 3 RMPADJUST: target VMPL <= current VMPL is FAIL_PERMISSION. */
	rc = snp_rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(0, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_FAIL_PERMISSION,
	       "RMPADJUST target VMPL0 from VMPL0: FAIL_PERMISSION", rc, RMP_INSTR_FAIL_PERMISSION);
	/* A VMPL the CPU does not implement (CPUID says 4). */
	rc = snp_rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(4, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_FAIL_INPUT, "RMPADJUST target VMPL4: FAIL_INPUT", rc,
	       RMP_INSTR_FAIL_INPUT);
}

/* Code run at CPL 3 by run_user(); each ends with the return interrupt. */
static void user_pvalidate(void)
{
	bool cf;

	gp_skip = 4; /* F2 0F 01 FF */
	(void)snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	__asm__ volatile("int %0" : : "i"(USER_RETURN_VECTOR));
}

static void user_rmpadjust(void)
{
	gp_skip = 4; /* F3 0F 01 FE */
	(void)snp_rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	__asm__ volatile("int %0" : : "i"(USER_RETURN_VECTOR));
}

static void check_cpl3(const struct snp_guest_env *env)
{
	uint32_t faults = gp_count;

	(void)env;

	/* APM vol. 3 PVALIDATE / RMPADJUST: #GP(0) when CPL is not 0. */
	gp_error = 0xffffffffu;
	run_user(user_pvalidate);
	expect(gp_count == faults + 1 && gp_error == 0, "PVALIDATE at CPL 3 raises #GP(0)",
	       ((uint64_t)gp_error << 32) | (gp_count - faults), 1);
	gp_error = 0xffffffffu;
	run_user(user_rmpadjust);
	expect(gp_count == faults + 2 && gp_error == 0, "RMPADJUST at CPL 3 raises #GP(0)",
	       ((uint64_t)gp_error << 32) | (gp_count - faults), 2);
}

/*
 * Run without sev-snp-guest ("mode=plain"): the guest is not SNP-active, so
 * the SNP instructions are #UD (APM vol. 3) and CPUID reports no SNP.
 */
static void check_plain(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d, uds = ud_count;
	bool cf;

	(void)env;

	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	expect(!(a & CPUID_SEV_EAX_SNP), "plain guest: CPUID 8000_001F reports no SNP", a, 0);
	gp_skip = 4;
	(void)snp_pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(ud_count == uds + 1, "plain guest: PVALIDATE raises #UD", ud_count - uds, 1);
	(void)snp_rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	expect(ud_count == uds + 2, "plain guest: RMPADJUST raises #UD", ud_count - uds, 2);
}

SNP_GUEST_TEST(check_pvalidate, SNP_GUEST_MODE_SNP);
SNP_GUEST_TEST(check_rmpadjust, SNP_GUEST_MODE_SNP);
SNP_GUEST_TEST(check_cpl3, SNP_GUEST_MODE_SNP);
SNP_GUEST_TEST(check_plain, SNP_GUEST_MODE_PLAIN);
