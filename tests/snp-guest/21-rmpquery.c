/* SPDX-License-Identifier: MIT */
/*
 * RMPQUERY (F3 0F 01 FD, APM vol. 3 "RMPQUERY") with paging off
 * (guest-virtual = guest-physical) on free RAM above the kernel: CPUID
 * Fn8000_001F_EAX[6] advertises it (APM vol. 2 15.34.1); rAX = the page,
 * rDX[7:0] = the target VMPL; EAX = return code, rDX = the target's
 * permission mask [15:8] and the VMSA bit [16] (the RMPADJUST layout,
 * sev/rmp-instr.h), rCX = the RMP page size; #GP(0) at CPL 3, #UD when not
 * SNP-active. Where the sources leave a rule open, docs/snp-emulation.md
 * "Interpretations" says what the platform does.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/rmp-instr.h"
#include "x86/cpuid-sev.h"

#include "guest.h"
#include "lib.h"
#include "rmp-instr-guest.h"

/* Free guest RAM (40-ghcb.c ends at 20 MiB, 41-ghcb-nae.c uses 20 MiB + 12 KiB). */
#define QUERY_PAGE   0x01501000u /* a 4 KiB page */
#define QUERY_REGION 0x01600000u /* a 2 MiB region validated as a whole */

struct rmpquery_out {
	uint32_t eax, ecx, edx;
};

static struct rmpquery_out rmpquery(uint32_t va, uint32_t edx_in)
{
	struct rmpquery_out o;

	/* rCX is an output only: preset it to see that SUCCESS writes it. */
	__asm__ volatile(".byte " RMPQUERY_OPCODE
			 : "=a"(o.eax), "=c"(o.ecx), "=d"(o.edx)
			 : "a"(va), "c"(0xdeadu), "d"(edx_in)
			 : "memory", "cc");
	return o;
}

static uint32_t pvalidate(uint32_t va, uint32_t size)
{
	bool cf;

	return snp_pvalidate(va, size, PVALIDATE_VALIDATE, &cf);
}

static uint32_t rmpadjust(uint32_t va, uint64_t attrs)
{
	return snp_rmpadjust(va, RMP_PG_SIZE_4K, attrs);
}

static uint64_t packed(struct rmpquery_out o)
{
	return ((uint64_t)o.eax << 48) | ((uint64_t)o.ecx << 32) | o.edx;
}

static uint64_t want(uint32_t eax, uint32_t ecx, uint32_t edx)
{
	return ((uint64_t)eax << 48) | ((uint64_t)ecx << 32) | edx;
}

static void check_rmpquery(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d;
	struct rmpquery_out o;

	(void)env;
	/* APM vol. 2 15.34.1: Fn8000_001F_EAX[6] = RMPQUERY supported. */
	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	expect(a & CPUID_SEV_EAX_RMPQUERY, "CPUID 8000_001F EAX[6]: RMPQUERY", a,
	       CPUID_SEV_EAX_RMPQUERY);

	/*
	 * A private 4 KiB page: VMPL0 holds every permission after RMPUPDATE
	 * (APM vol. 2 15.36.7), VMPL1 what RMPADJUST granted, VMPL2 nothing.
	 */
	(void)pvalidate(QUERY_PAGE, RMP_PG_SIZE_4K);
	(void)rmpadjust(QUERY_PAGE, rmpadjust_attrs(1, RMP_PERM_READ | RMP_PERM_WRITE, 0));
	(void)rmpadjust(QUERY_PAGE, rmpadjust_attrs(2, 0, 0));
	o = rmpquery(QUERY_PAGE, 0);
	expect(packed(o) ==
		       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K, rmpadjust_attrs(0, RMP_PERM_ALL, 0)),
	       "RMPQUERY VMPL0 of a 4K page: SUCCESS, all permissions, 4K", packed(o),
	       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K, rmpadjust_attrs(0, RMP_PERM_ALL, 0)));
	o = rmpquery(QUERY_PAGE, 1);
	expect(packed(o) == want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K,
				 rmpadjust_attrs(1, RMP_PERM_READ | RMP_PERM_WRITE, 0)),
	       "RMPQUERY VMPL1: the permissions RMPADJUST granted", packed(o),
	       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K,
		    rmpadjust_attrs(1, RMP_PERM_READ | RMP_PERM_WRITE, 0)));
	o = rmpquery(QUERY_PAGE, 2);
	expect(packed(o) == want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K, rmpadjust_attrs(2, 0, 0)),
	       "RMPQUERY VMPL2: no permissions", packed(o),
	       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K, rmpadjust_attrs(2, 0, 0)));

	/* The VMSA bit, set by a VMPL0 RMPADJUST (15.36.12), reads back in rDX[16]. */
	(void)rmpadjust(QUERY_PAGE, rmpadjust_attrs(1, 0, 1));
	o = rmpquery(QUERY_PAGE, 1);
	expect(o.eax == RMP_INSTR_SUCCESS && (o.edx & RMPADJUST_VMSA),
	       "RMPQUERY: the VMSA bit in rDX[16]", packed(o),
	       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_4K, rmpadjust_attrs(1, 0, 1)));
	(void)rmpadjust(QUERY_PAGE, rmpadjust_attrs(1, 0, 0));

	/* A page inside a 2 MiB RMP entry: rCX = 1 (2 MiB). */
	(void)pvalidate(QUERY_REGION, RMP_PG_SIZE_2M);
	o = rmpquery(QUERY_REGION + 0x3000u, 0);
	expect(o.eax == RMP_INSTR_SUCCESS && o.ecx == RMP_PG_SIZE_2M,
	       "RMPQUERY inside a 2M page: rCX = 2M", packed(o),
	       want(RMP_INSTR_SUCCESS, RMP_PG_SIZE_2M, rmpadjust_attrs(0, RMP_PERM_ALL, 0)));

	/* A VMPL the CPU does not implement (4 VMPLs): FAIL_INPUT, rDX kept. */
	o = rmpquery(QUERY_PAGE, 4);
	expect(o.eax == RMP_INSTR_FAIL_INPUT && o.edx == 4, "RMPQUERY target VMPL4: FAIL_INPUT",
	       packed(o), want(RMP_INSTR_FAIL_INPUT, 0xdead, 4));
}

/* Run at CPL 3 by run_user(); ends with the return interrupt. */
static void user_rmpquery(void)
{
	gp_skip = 4; /* F3 0F 01 FD */
	(void)rmpquery(QUERY_PAGE, 0);
	__asm__ volatile("int %0" : : "i"(USER_RETURN_VECTOR));
}

static void check_rmpquery_cpl3(const struct snp_guest_env *env)
{
	uint32_t faults = gp_count;

	(void)env;
	/* APM vol. 3 RMPQUERY: #GP(0) when CPL is not 0. */
	gp_error = 0xffffffffu;
	run_user(user_rmpquery);
	expect(gp_count == faults + 1 && gp_error == 0, "RMPQUERY at CPL 3 raises #GP(0)",
	       ((uint64_t)gp_error << 32) | (gp_count - faults), 1);
}

/* Without sev-snp-guest: not advertised, and #UD (APM vol. 3). */
static void check_rmpquery_plain(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d, uds = ud_count;

	(void)env;
	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	expect(!(a & CPUID_SEV_EAX_RMPQUERY), "plain guest: CPUID 8000_001F reports no RMPQUERY",
	       a & CPUID_SEV_EAX_RMPQUERY, 0);
	gp_skip = 4;
	(void)rmpquery(QUERY_PAGE, 0);
	expect(ud_count == uds + 1, "plain guest: RMPQUERY raises #UD", ud_count - uds, 1);
}

SNP_GUEST_TEST(check_rmpquery, SNP_GUEST_MODE_SNP);
SNP_GUEST_TEST(check_rmpquery_cpl3, SNP_GUEST_MODE_SNP);
SNP_GUEST_TEST(check_rmpquery_plain, SNP_GUEST_MODE_PLAIN);
