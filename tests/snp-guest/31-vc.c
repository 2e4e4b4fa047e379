/* SPDX-License-Identifier: MIT */
/*
 * #VC (vector 29) for private accesses to pages that are not validated, and
 * what the emulated hypervisor does about RMP #NPFs (implicit conversions,
 * as KVM does). Runs in mode=rmp (every page starts validated; the RMP is
 * enforced) with paging from 30-paging.c.
 *
 * AMD APM vol. 2 15.36.10: a private access to a page whose Validated bit is
 * clear raises #VC with error code PAGE_NOT_VALIDATED (0x404) and the faulting
 * guest-virtual address in CR2; instruction fetches and page-table accesses
 * are always private. 15.35.5: #VC is a fault (the instruction runs again
 * once the handler has resolved the cause) with an error code.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/ghcb.h"
#include "sev/rmp-instr.h"
#include "x86/paging.h"

#include "lib.h"
#include "paging.h"
#include "vc.h"
#include "rmp-instr-guest.h"

#define X86_VEC_VC 29 /* APM vol. 2 15.35.5 */

void vc_handler(void);

static volatile uint32_t vc_count, vc_error, vc_cr2;
/* Page the handler validates; 0: the page of CR2. */
static volatile uint32_t vc_fix_page;
static volatile uint32_t vc_fix_rc;

static uint32_t pvalidate(uint32_t va, uint32_t validate, bool *cf)
{
	return snp_pvalidate(va, RMP_PG_SIZE_4K, validate, cf);
}

void vc_handle(struct vc_frame *f)
{
	uint32_t page = vc_fix_page ? vc_fix_page : f->cr2 & ~(uint32_t)(PAGE_SIZE - 1);
	bool cf;

	if (f->error_code != SVM_EXIT_PAGE_NOT_VALIDATED) {
		/* Intercepted events: through the GHCB (32-vc-nae.c). */
		if (!vc_nae(f)) {
			puts_dbg("snp-guest: unexpected #VC\n");
			for (;;) {
				__asm__ volatile("hlt");
			}
		}
		return;
	}
	vc_count++;
	vc_error = f->error_code;
	vc_cr2 = f->cr2;
	/* Resolve PAGE_NOT_VALIDATED the way a guest kernel would. */
	vc_fix_rc = pvalidate(page, 1, &cf);
}

/* Each check may run first: paging on, the #VC gate installed. */
static void vc_setup(const struct snp_guest_env *env)
{
	paging_enable(env);
	set_gate(X86_VEC_VC, vc_handler, 0);
}

static void vc_reset(uint32_t fix_page)
{
	vc_count = 0;
	vc_error = 0;
	vc_cr2 = 0;
	vc_fix_rc = ~0u;
	vc_fix_page = fix_page;
}

/* One #VC with PAGE_NOT_VALIDATED at @cr2, resolved by the handler. */
static void expect_vc(const char *name, uint32_t cr2)
{
	expect(vc_count == 1 && vc_error == SVM_EXIT_PAGE_NOT_VALIDATED && vc_cr2 == cr2 &&
		       vc_fix_rc == RMP_INSTR_SUCCESS,
	       name, (uint64_t)vc_count << 48 | (uint64_t)vc_error << 32 | vc_cr2,
	       (uint64_t)1 << 48 | SVM_EXIT_PAGE_NOT_VALIDATED << 32 | cr2);
}

static uint32_t rescind(uint32_t va)
{
	bool cf;

	return pvalidate(va, 0, &cf);
}

static inline volatile uint32_t *word(uint32_t va)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (volatile uint32_t *)(uintptr_t)va;
}

static void check_vc_read(const struct snp_guest_env *env)
{
	const uint32_t va = PAGING_4K_REGION + 0x20000u;
	uint32_t rc, v;

	vc_setup(env);
	*word(va) = 0x0a11ce55u;
	/* A 4K PVALIDATE on the 2M pre-validated entry: PSMASH, then rescind. */
	rc = rescind(va);
	expect(rc == RMP_INSTR_SUCCESS, "PVALIDATE rescinds a 4K page of a 2M entry", rc, 0);
	vc_reset(0);
	v = *word(va);
	expect_vc("read of a page not validated: #VC 0x404, CR2 = address (15.36.10)", va);
	/* Validation does not change memory contents (same guest key). */
	expect(v == 0x0a11ce55u, "the read runs again after the #VC handler validated the page", v,
	       0x0a11ce55u);
}
SNP_GUEST_TEST(check_vc_read, SNP_GUEST_MODE_RMP);

static void check_vc_write(const struct snp_guest_env *env)
{
	const uint32_t va = PAGING_4K_REGION + 0x21000u;

	vc_setup(env);
	(void)rescind(va);
	vc_reset(0);
	*word(va + 8) = 0x5a5a5a5au;
	expect_vc("write to a page not validated: #VC 0x404, CR2 = address with offset", va + 8);
	expect(*word(va + 8) == 0x5a5a5a5au, "the write runs again after the #VC handler",
	       *word(va + 8), 0x5a5a5a5au);
}
SNP_GUEST_TEST(check_vc_write, SNP_GUEST_MODE_RMP);

static void check_vc_fetch(const struct snp_guest_env *env)
{
	const uint32_t va = PAGING_4K_REGION + 0x22000u;
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	volatile uint8_t *code = (volatile uint8_t *)(uintptr_t)(va + 0x10);
	uint32_t eax = 0;

	vc_setup(env);
	code[0] = 0xb8; /* mov $0x600dc0de, %eax; ret */
	code[1] = 0xde;
	code[2] = 0xc0;
	code[3] = 0x0d;
	code[4] = 0x60;
	code[5] = 0xc3;
	(void)rescind(va);
	vc_reset(0);
	__asm__ volatile("call *%1" : "=a"(eax) : "r"(va + 0x10) : "memory", "ecx", "edx");
	expect_vc("fetch from a page not validated: #VC 0x404, CR2 = instruction address",
		  va + 0x10);
	expect(eax == 0x600dc0deu, "the fetched code runs after the #VC handler", eax, 0x600dc0deu);
}
SNP_GUEST_TEST(check_vc_fetch, SNP_GUEST_MODE_RMP);

/* Page-table reads are private accesses too (15.34.5). */
static void check_vc_page_walk(const struct snp_guest_env *env)
{
	const uint32_t va = PAGING_4K_REGION + 0x23000u;
	uint32_t table, v;

	vc_setup(env);
	table = paging_4k_table();
	*word(va) = 0x7ab1e000u;
	(void)rescind(table);
	vc_reset(table);
	v = *word(va);
	expect_vc("page-table read of a page not validated: #VC 0x404, CR2 = translated address",
		  va);
	expect(v == 0x7ab1e000u, "the access completes once the table page is validated", v,
	       0x7ab1e000u);
	vc_reset(0);
}
SNP_GUEST_TEST(check_vc_page_walk, SNP_GUEST_MODE_RMP);

/*
 * A shared (C=0) write to a private page and a private access to a shared
 * page are RMP #NPFs the hypervisor resolves by converting the page (as KVM
 * does); the converted-to-private page is not validated (15.36.10).
 */
static void check_implicit_conversion(const struct snp_guest_env *env)
{
	const uint32_t pa = PAGING_4K_REGION + 0x30000u;
	const uint32_t va_shared = PAGING_4K_REGION + 0x31000u;
	uint32_t rc;
	bool cf = false;

	vc_setup(env);
	paging_map_4k(va_shared, pa, false);
	vc_reset(0);
	*word(va_shared) = 0x5aa5u;
	expect(vc_count == 0, "shared write to a private page: converted to shared, no #VC",
	       vc_count, 0);
	(void)*word(pa);
	expect_vc("private read of the now shared page: converted, then #VC 0x404", pa);
	rc = pvalidate(pa, 1, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "the #VC handler validated it: PVALIDATE CF = 1",
	       rc | (uint32_t)cf << 8, 0x100);
	paging_map_4k(va_shared, va_shared, true);
}
SNP_GUEST_TEST(check_implicit_conversion, SNP_GUEST_MODE_RMP);
