/* SPDX-License-Identifier: MIT */
/*
 * The GHCB "Get APIC IDs" NAE event (GHCB spec, AMD pub. 56421, NAE
 * 8000_0017h; hypervisor feature bit 4 "APIC ID list", 2.3.1 / 4.1.x
 * Hypervisor Feature Support) against the emulated hypervisor: RAX = the
 * number of 4 KiB pages of the buffer at SW_EXITINFO1, which receives
 * { u32 count; u32 apic_id[count] }; a buffer too small gets RAX = the pages
 * needed. What OVMF needs to start APs under an SVSM (docs/svsm.md).
 *
 * Checks: the feature bit; the page count asked with RAX = 0; the list in a
 * shared page (count = the vCPUs QEMU was given: 1, or 2 with "smp2"; this
 * vCPU's APIC ID in it; IDs distinct); RAX returned with the answer; a
 * private buffer refused and left alone (the hypervisor cannot write a
 * guest-owned page, APM vol. 2 15.36.10); RAX missing refused (4.1
 * malformed input: SW_EXITINFO1 2, reason in SW_EXITINFO2). The smp2 run's
 * suite relays lines naming "AP ... vCPU 1". With "lie=psc" (sev-snp-guest
 * lie-psc=on) the page state change is only claimed: the buffer stays private
 * and the event must refuse it.
 *
 * The GHCB is the one an earlier file registered, else a hypervisor-owned
 * page of free RAM. Paging is off: guest-virtual = guest-physical.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"

#include "ghcb.h"
#include "guest.h"
#include "lib.h"

/* Free guest RAM for this file (21-rmpquery.c uses 0x1501000 and 0x1600000). */
#define IDS_GHCB_GPA  0x01700000u /* our GHCB if no earlier file set one up */
#define IDS_BUF	      0x01701000u /* made shared by a page state change */
#define IDS_PRIVATE   0x01702000u /* made private by a page state change */
#define PAGE_SHIFT_4K 12u
#define FILL	      0xa5a5a5a5u
#define OFF(f)	      offsetof(struct ghcb_save_area, f)

static bool have_ghcb(void)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return ghcb_page() || ghcb_init((void *)(uintptr_t)IDS_GHCB_GPA, IDS_GHCB_GPA);
}

static volatile uint32_t *words(uint32_t pa)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (volatile uint32_t *)(uintptr_t)pa;
}

static void fill(uint32_t pa)
{
	for (unsigned int i = 0; i < 1024; i++) {
		words(pa)[i] = FILL;
	}
}

static bool untouched(uint32_t pa)
{
	for (unsigned int i = 0; i < 1024; i++) {
		if (words(pa)[i] != FILL) {
			return false;
		}
	}
	return true;
}

/* One event; @rax < 0: RAX not given. Returns SW_EXITINFO1[31:0]. */
static uint32_t get_apic_ids(uint64_t buf, int64_t rax)
{
	ghcb_clear();
	if (rax >= 0) {
		ghcb_set(OFF(rax), (uint64_t)rax);
	}
	return ghcb_nae(SVM_VMGEXIT_GET_APIC_IDS, buf, 0);
}

static uint64_t answer(uint32_t info1)
{
	return ((uint64_t)info1 << 32) | (uint32_t)ghcb_last_info2();
}

static void check_apic_ids(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d, rc, mine, count, want;
	bool smp2 = cmdline_has(env->cmdline, "smp2"), found = false, distinct = true;
	uint64_t ft;

	if (!have_ghcb()) {
		expect(false, "Get APIC IDs: a GHCB", 0, 1);
		return;
	}
	ft = ghcb_hv_features();
	if (!(ft & GHCB_HV_FT_APIC_ID_LIST)) {
		puts_dbg("ok - Get APIC IDs # SKIP the hypervisor does not offer the APIC ID list "
			 "(feature bit 4)\n");
		return;
	}
	expect(true, "Get APIC IDs offered: hypervisor feature bit 4 (APIC ID list)", ft,
	       GHCB_HV_FT_APIC_ID_LIST);

	/* RAX = 0 asks for the size: SW_EXITINFO1 0, RAX = pages needed (1 for < 1024). */
	rc = get_apic_ids(0, 0);
	expect(rc == 0 && ghcb_has(OFF(rax)) && ghcb_get(OFF(rax)) == 1,
	       "Get APIC IDs with RAX 0: RAX = 1 page needed, no error", ghcb_get(OFF(rax)), 1);

	/* The list in a shared page (made shared as OVMF does, with a page state change). */
	fill(IDS_BUF);
	rc = ghcb_msr_psc(IDS_BUF >> PAGE_SHIFT_4K, GHCB_MSR_PSC_OP_SHARED);
	expect(rc == 0, "Get APIC IDs: buffer page made shared (MSR PSC)", rc, 0);
	if (cmdline_has(env->cmdline, "lie=psc")) {
		/* The hypervisor only claimed the change: the page is still the guest's. */
		rc = get_apic_ids(IDS_BUF, 1);
		expect(ghcb_last_info2() == GHCB_ERR_INVALID_INPUT && untouched(IDS_BUF),
		       "Get APIC IDs after a lying PSC: the page is still private, refused",
		       answer(rc),
		       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32) | GHCB_ERR_INVALID_INPUT);
		return;
	}
	rc = get_apic_ids(IDS_BUF, 1);
	expect(rc == 0 && ghcb_has(OFF(rax)) && ghcb_get(OFF(rax)) == 1,
	       "Get APIC IDs into a shared page: accepted, RAX (1 page) returned", answer(rc), 0);
	cpuid(1, &a, &b, &c, &d);
	mine = b >> 24; /* CPUID Fn0000_0001_EBX[31:24]: initial APIC ID */
	count = words(IDS_BUF)[0];
	want = smp2 ? 2u : 1u;
	for (uint32_t i = 0; i < count && i < 1023; i++) {
		found |= words(IDS_BUF)[1 + i] == mine;
		for (uint32_t j = 0; j < i; j++) {
			distinct &= words(IDS_BUF)[1 + i] != words(IDS_BUF)[1 + j];
		}
	}
	expect(count == want,
	       smp2 ? "AP list: count = -smp 2 (vCPU 0 and vCPU 1)"
		    : "Get APIC IDs: count = -smp (1)",
	       count, want);
	expect(found && distinct,
	       smp2 ? "AP list: this vCPU's APIC ID in it, vCPU 1's distinct from it"
		    : "Get APIC IDs: the list is this vCPU's APIC ID",
	       found, 1);
	expect(words(IDS_BUF)[1 + count] == FILL, "Get APIC IDs: nothing written past the list",
	       words(IDS_BUF)[1 + count], FILL);

	/* A private page: refused, not written (the hypervisor cannot write it). */
	fill(IDS_PRIVATE);
	rc = ghcb_msr_psc(IDS_PRIVATE >> PAGE_SHIFT_4K, GHCB_MSR_PSC_OP_PRIVATE);
	expect(rc == 0, "Get APIC IDs: page made private (MSR PSC)", rc, 0);
	rc = get_apic_ids(IDS_PRIVATE, 1);
	expect(answer(rc) == answer(GHCB_HV_RESP_MALFORMED_INPUT) &&
		       ghcb_last_info2() == GHCB_ERR_INVALID_INPUT && untouched(IDS_PRIVATE),
	       "Get APIC IDs into a private page: invalid input, page untouched", answer(rc),
	       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32) | GHCB_ERR_INVALID_INPUT);
	(void)ghcb_msr_psc(IDS_PRIVATE >> PAGE_SHIFT_4K, GHCB_MSR_PSC_OP_SHARED);

	/* RAX missing: malformed input, missing input. */
	fill(IDS_BUF);
	rc = get_apic_ids(IDS_BUF, -1);
	expect(ghcb_last_info2() == GHCB_ERR_MISSING_INPUT && rc == GHCB_HV_RESP_MALFORMED_INPUT &&
		       untouched(IDS_BUF),
	       "Get APIC IDs without RAX: missing input, nothing written", answer(rc),
	       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32) | GHCB_ERR_MISSING_INPUT);
}

SNP_GUEST_TEST(check_apic_ids, SNP_GUEST_MODE_SNP);
