/* SPDX-License-Identifier: MIT */
/*
 * RMP changes from several vCPUs at once (issue 6: the emulator's RMP model
 * under MTTCG). Runs only when the command line says "rmprace" (suite 55
 * starts it with 4 vCPUs, "only=check_rmp_race rmprace"); vCPUs 1-3 are
 * started by SNP AP Creation (GHCB spec 56421 4.1.9) from VMSAs this vCPU
 * builds. Per round, on two 2 MiB regions made private as 2 MiB pages:
 *  - region A, validated as one 2 MiB page (PVALIDATE 2M): vCPUs 1-3 write
 *    and read their own word of every page and RMPQUERY it while vCPU 0
 *    asks the hypervisor to PSMASH it (PSC, GHCB spec 4.1.6) and RMPADJUSTs
 *    pages of it. PSMASH keeps Validated (APM vol. 2 15.36.11), so every
 *    access must succeed and read back what was written, and every RMPQUERY
 *    must return SUCCESS with full VMPL0 permissions (Table 15-36);
 *  - region B, not validated: the four vCPUs PVALIDATE its 4 KiB pages
 *    (each its own quarter) while vCPU 0 also PSMASHes it through the PSC.
 *    A 4 KiB PVALIDATE on the 2 MiB entry is a #VMEXIT(NPF) with SIZEM
 *    that the hypervisor resolves by PSMASH (Table 15-40), so each must
 *    return SUCCESS with CF = 0 (the page was not validated); afterwards a
 *    second PVALIDATE of each page must return SUCCESS with CF = 1 (the bit
 *    stuck: nothing lost it) and RMPQUERY must report a 4 KiB entry.
 * An emulator that reads an entry half way through another vCPU's PSMASH
 * sees a page of another owner and stops the guest, or loses a Validated
 * bit; either fails here. "rounds=N" sets the number of rounds (default
 * 40); "noaccess" leaves out the accesses to A (only the PVALIDATE race).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb.h"
#include "sev/psc.h"
#include "sev/rmp-instr.h"
#include "sev/vmsa.h"

#include "ghcb.h"
#include "lib.h"
#include "vc.h"
#include "vmsa-flat32.h"
#include "rmp-instr-guest.h"

#define PG	    0x1000u
#define PAGES_2M    512u
#define RACE_A	    0x04000000u /* 64 MiB: free RAM (-m 256M), mapped private */
#define RACE_B	    0x04200000u
#define RACE_AP	    0x04400000u /* per AP: VMSA page, then its stack page */
#define AP_SLOT	    0x4000u
#define NR_APS	    3u
#define NR_VCPUS    (NR_APS + 1u)
#define SPIN_LIMIT  400000000u
#define ROUNDS_DFLT 40u

enum race_phase {
	PH_ACCESS = 1, /* A: APs access, vCPU 0 PSMASHes */
	PH_VALIDATE,   /* B: everyone PVALIDATEs its quarter, vCPU 0 PSMASHes */
	PH_VERIFY,     /* B: everyone checks its quarter */
	PH_EXIT,
};

/* Shared with the APs; written with __atomic builtins or by one side only. */
static volatile uint32_t race_go;   /* round << 4 | phase */
static volatile uint32_t race_done; /* APs done with the current phase */
static volatile uint32_t race_stop; /* PH_ACCESS: vCPU 0 finished its changes */
static volatile uint32_t race_next_id;
static volatile uint32_t race_started;
/* First error per vCPU: what, page index, got. */
static volatile uint32_t err_count[NR_VCPUS];
static volatile uint32_t err_what[NR_VCPUS];
static volatile uint32_t err_page[NR_VCPUS];
static volatile uint32_t err_got[NR_VCPUS];

enum race_err {
	E_ACCESS = 1,	/* a word read back differently */
	E_QUERY_A,	/* RMPQUERY of an A page: not SUCCESS / not full VMPL0 perms */
	E_PVAL_B,	/* first PVALIDATE of a B page: not SUCCESS with CF = 0 */
	E_PVAL_B_AGAIN, /* second PVALIDATE: not SUCCESS with CF = 1 */
	E_QUERY_B,	/* RMPQUERY of a B page: not a 4 KiB entry */
	E_PVAL_A,	/* A after PSMASH: PVALIDATE not SUCCESS with CF = 1 (Validated lost) */
};

static uint32_t rmpadjust(uint32_t va, uint64_t attrs)
{
	return snp_rmpadjust(va, RMP_PG_SIZE_4K, attrs);
}

static void record(uint32_t id, enum race_err what, uint32_t page, uint32_t got)
{
	if (err_count[id]++ == 0) {
		err_what[id] = what;
		err_page[id] = page;
		err_got[id] = got;
	}
}

/* Word @i of the page at @gpa (identity-mapped, private). */
static volatile uint32_t *word_of(uint32_t gpa, uint32_t i)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (volatile uint32_t *)(uintptr_t)gpa + i;
}

/* PH_ACCESS on an AP: its own word of every page of A, until vCPU 0 is done. */
static void ap_access(uint32_t id, uint32_t round)
{
	uint32_t edx, ecx, rc, last;

	do {
		last = race_stop;
		for (uint32_t p = 0; p < PAGES_2M; p++) {
			volatile uint32_t *w = word_of(RACE_A + p * PG, id);
			uint32_t v = round << 16 | p << 4 | id;

			*w = v;
			if (*w != v) {
				record(id, E_ACCESS, p, *w);
			}
			if ((p & 15) == id) {
				rc = snp_rmpquery(RACE_A + p * PG, &edx, &ecx);
				if (rc != RMP_INSTR_SUCCESS ||
				    rmpadjust_attrs_perms(edx) != RMP_PERM_ALL) {
					record(id, E_QUERY_A, p, rc ? rc : edx);
				}
			}
		}
	} while (!last); /* one whole pass after vCPU 0 finished */
}

/* PH_VALIDATE / PH_VERIFY: this vCPU's quarter of B. */
static void quarter_validate(uint32_t id)
{
	bool cf;

	for (uint32_t p = id; p < PAGES_2M; p += NR_VCPUS) {
		uint32_t rc =
			snp_pvalidate(RACE_B + p * PG, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);

		if (rc != RMP_INSTR_SUCCESS || cf) {
			record(id, E_PVAL_B, p, rc | (uint32_t)cf << 31);
		}
	}
}

static void quarter_verify(uint32_t id)
{
	uint32_t edx, ecx, rc;
	bool cf;

	for (uint32_t p = id; p < PAGES_2M; p += NR_VCPUS) {
		rc = snp_pvalidate(RACE_B + p * PG, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
		if (rc != RMP_INSTR_SUCCESS || !cf) {
			record(id, E_PVAL_B_AGAIN, p, rc | (uint32_t)cf << 31);
		}
		rc = snp_rmpquery(RACE_B + p * PG, &edx, &ecx);
		if (rc != RMP_INSTR_SUCCESS || ecx != RMP_PG_SIZE_4K) {
			record(id, E_QUERY_B, p, rc ? rc : ecx);
		}
	}
}

/* vCPUs 1-3 start here (their VMSA's RIP), with their own stack. */
__attribute__((used)) static void race_ap_main(void)
{
	uint32_t id = __atomic_add_fetch(&race_next_id, 1, __ATOMIC_SEQ_CST);
	uint32_t seen = 0;

	__atomic_add_fetch(&race_started, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		uint32_t go;

		while ((go = __atomic_load_n(&race_go, __ATOMIC_SEQ_CST)) == seen) {
			__asm__ volatile("pause");
		}
		seen = go;
		switch (go & 15) {
		case PH_ACCESS:
			ap_access(id, go >> 4);
			break;
		case PH_VALIDATE:
			quarter_validate(id);
			break;
		case PH_VERIFY:
			quarter_verify(id);
			break;
		default:
			return;
		}
		__atomic_add_fetch(&race_done, 1, __ATOMIC_SEQ_CST);
	}
}

__asm__(".text\n"
	"race_ap_entry:\n\t"
	"call race_ap_main\n"
	"1:\thlt\n\t"
	"jmp 1b\n");
void race_ap_entry(void);

/* One PSC request of @n entries; 0 when the hypervisor did all of it. */
static uint64_t psc(uint64_t *e, unsigned int n)
{
	uint16_t cur;

	return ghcb_psc(e, n, &cur);
}

static uint64_t psc_2m(uint32_t gpa, unsigned int op)
{
	uint64_t e = snp_psc_entry(gpa >> 12, op, SNP_PSC_PAGE_2M, 0);

	return psc(&e, 1);
}

/* Start a phase on the APs; phase_wait() waits until they are done. */
static void phase_start(uint32_t round, enum race_phase ph)
{
	__atomic_store_n(&race_done, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&race_go, round << 4 | ph, __ATOMIC_SEQ_CST);
}

static bool phase_wait(void)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
		if (__atomic_load_n(&race_done, __ATOMIC_SEQ_CST) == NR_APS) {
			return true;
		}
		__asm__ volatile("pause");
	}
	return false;
}

/* Both regions: shared, then private 2 MiB pages, A validated as 2 MiB. */
static bool round_reset(void)
{
	uint64_t e[2] = {
		snp_psc_entry(RACE_A >> 12, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_2M, 0),
		snp_psc_entry(RACE_B >> 12, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_2M, 0),
	};
	uint64_t rc = psc(e, 2);
	bool cf;

	e[0] = snp_psc_entry(RACE_A >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	e[1] = snp_psc_entry(RACE_B >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	rc |= psc(e, 2);
	return rc == 0 && snp_pvalidate(RACE_A, RMP_PG_SIZE_2M, PVALIDATE_VALIDATE, &cf) == 0 &&
	       !cf;
}

/* Start vCPUs 1-3 from VMSAs (PVALIDATE, RMPADJUST VMSA, AP Creation). */
static bool start_aps(void)
{
	bool cf, ok = true;

	for (uint32_t k = 1; k <= NR_APS; k++) {
		uint32_t vmsa = RACE_AP + k * AP_SLOT, stack = vmsa + PG;
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		struct sev_vmsa *v = (struct sev_vmsa *)(uintptr_t)vmsa;
		uint32_t rc;

		rc = snp_pvalidate(vmsa, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
		rc |= snp_pvalidate(stack, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
		vmsa_flat32(v, (uint32_t)(uintptr_t)race_ap_entry, stack + PG, 0);
		/* 15.36.12: the VMSA bit from VMPL0 (target VMPL1, no permissions). */
		rc |= rmpadjust(vmsa, rmpadjust_attrs(1, 0, 1));
		ghcb_clear();
		ghcb_set(offsetof(struct ghcb_save_area, rax), SEV_FEAT_SNP_ACTIVE);
		rc |= ghcb_nae(SVM_VMGEXIT_AP_CREATION,
			       ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, k), vmsa);
		ok = ok && rc == 0;
	}
	for (uint32_t i = 0; ok && i < SPIN_LIMIT && race_started != NR_APS; i++) {
		__asm__ volatile("pause");
	}
	return ok && race_started == NR_APS;
}

static const char *const err_names[] = {
	[E_ACCESS] = "A: a write did not read back",
	[E_QUERY_A] = "A: RMPQUERY not SUCCESS with VMPL0 RWXX",
	[E_PVAL_B] = "B: PVALIDATE not SUCCESS/CF=0",
	[E_PVAL_B_AGAIN] = "B: second PVALIDATE not SUCCESS/CF=1",
	[E_QUERY_B] = "B: RMPQUERY not a 4K entry",
	[E_PVAL_A] = "A: PVALIDATE after PSMASH not SUCCESS/CF=1",
};

static void check_rmp_race(const struct snp_guest_env *env)
{
	uint32_t rounds = cmdline_uint(env->cmdline, "rounds", ROUNDS_DFLT);
	uint32_t r, errors = 0, edx, ecx;
	bool ok = true, cf, access = !cmdline_has(env->cmdline, "noaccess");

	if (!cmdline_has(env->cmdline, "rmprace")) {
		return;
	}
	if (!vc_nae_console_init(env)) {
		expect(false, "rmp race: GHCB set up", 0, 1);
		return;
	}
	expect(round_reset(), "rmp race: regions private as 2M pages, A validated", 0, 0);
	ok = start_aps();
	expect(ok, "rmp race: AP Creation started vCPUs 1-3", race_started, NR_APS);
	if (!ok) {
		return;
	}
	for (r = 1; ok && r <= rounds; r++) {
		uint64_t prc = 0;

		if (r > 1 && !round_reset()) {
			expect(false, "rmp race: round reset", r, 0);
			break;
		}
		/* A: APs access it while it is PSMASHed and adjusted. */
		__atomic_store_n(&race_stop, access ? 0 : 1, __ATOMIC_SEQ_CST);
		if (access) {
			phase_start(r, PH_ACCESS);
		}
		prc |= psc_2m(RACE_A, SNP_PSC_OP_PSMASH);
		for (uint32_t p = 0; p < PAGES_2M; p += 37) {
			/* VMPL1 may read: changes the entry, not VMPL0's view. */
			prc |= rmpadjust(RACE_A + p * PG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
		}
		__atomic_store_n(&race_stop, 1, __ATOMIC_SEQ_CST);
		ok = !access || phase_wait();
		/* B: everyone PVALIDATEs its quarter while it is PSMASHed. */
		phase_start(r, PH_VALIDATE);
		prc |= psc_2m(RACE_B, SNP_PSC_OP_PSMASH);
		quarter_validate(0);
		ok = ok && phase_wait();
		phase_start(r, PH_VERIFY);
		quarter_verify(0);
		ok = ok && phase_wait();
		/* PSMASH keeps Validated (15.36.11): A's pages are still valid. */
		for (uint32_t p = 0; p < PAGES_2M; p++) {
			if (snp_pvalidate(RACE_A + p * PG, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE,
					  &cf) ||
			    !cf) {
				record(0, E_PVAL_A, p, 0);
			}
		}
		if (prc) {
			expect(false, "rmp race: PSMASH / RMPADJUST by vCPU 0 succeed", prc, 0);
			ok = false;
		}
	}
	expect(ok, "rmp race: every phase finished on all vCPUs", r - 1, rounds);
	phase_start(r, PH_EXIT);
	for (uint32_t k = 0; k < NR_VCPUS; k++) {
		errors += err_count[k];
		if (err_count[k]) {
			puts_dbg("rmp race: vCPU ");
			put_hex(k);
			puts_dbg(": ");
			puts_dbg(err_names[err_what[k]]);
			puts_dbg(", page ");
			put_hex(err_page[k]);
			puts_dbg(", got ");
			put_hex(err_got[k]);
			puts_dbg("\n");
		}
	}
	expect(errors == 0,
	       "rmp race: every PVALIDATE/RMPQUERY/access gave what the APM allows (4 vCPUs)",
	       errors, 0);
	/* The final state as RMPQUERY reads it: B all 4 KiB, validated. */
	errors = 0;
	for (uint32_t p = 0; p < PAGES_2M; p++) {
		if (snp_rmpquery(RACE_B + p * PG, &edx, &ecx) != RMP_INSTR_SUCCESS ||
		    ecx != RMP_PG_SIZE_4K ||
		    snp_pvalidate(RACE_B + p * PG, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf) ||
		    !cf) {
			errors++;
		}
	}
	expect(errors == 0, "rmp race: final RMP state of B (4K entries, validated)", errors, 0);
}
SNP_GUEST_TEST(check_rmp_race, SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);
