/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the GHCB "Get APIC IDs" event on the hypervisor side
 * (snp-ghcb.c, extracted from our QEMU patches) and of the AP Creation rule
 * OVMF relies on with it under an SVSM (snp-vmpl.c). The event: GHCB spec
 * (pub. 56421) "Get APIC IDs" NAE 8000_0017h, offered with hypervisor feature
 * bit 4 (APIC ID list); RAX = pages of the buffer at SW_EXITINFO1, which
 * receives { u32 count; u32 apic_id[count] }; a buffer too small gets RAX =
 * the pages it needs (the semantics KVM implements and OVMF's PlatformPei
 * AmdSevSnpGetApicIds consumes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/ghcb.h"
#include "sev/ghcb-msr.h"
#include "guest-ram-fixture.h"
#include "snp-ghcb.h"
#include "snp-rmp.h"
#include "snp-vmpl.h"

#define ASID	 1u
#define PG	 SNP_RMP_PAGE_SIZE
#define NPAGES	 SNP_RMP_PAGES_PER_2M	/* RMP over 2 MiB */
#define RAM_TOP	 (NPAGES * PG - 4 * PG) /* the last 4 pages are not RAM */
#define GHCB_GPA (2 * PG)
#define BUF	 (8 * PG) /* the guest's list buffer */
#define OFF(f)	 offsetof(struct ghcb_save_area, f)
#define MAX_IDS	 1200u

struct fixture {
	struct guest_ram ram; /* first: the GHCB ops' opaque is the fixture */
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
	struct snp_ghcb_ops ops;
	struct snp_ghcb_hv hv;
	struct snp_ghcb_vcpu vcpu;
	unsigned int n_ids;
	uint32_t ids[MAX_IDS];
};

static unsigned int apic_ids_cb(void *opaque, uint32_t *ids, unsigned int max)
{
	struct fixture *f = opaque;

	for (unsigned int i = 0; i < f->n_ids && i < max; i++) {
		ids[i] = f->ids[i];
	}
	return f->n_ids;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	f->ram.mem = calloc(1, RAM_TOP);
	f->ram.top = RAM_TOP;
	if (!f->ram.mem) {
		free(f);
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, NPAGES);
	f->ops = (struct snp_ghcb_ops){
		.read_page = guest_ram_read_page,
		.write_page = guest_ram_write_page,
		.is_ram = guest_ram_is_ram,
		.apic_ids = apic_ids_cb,
	};
	f->hv = (struct snp_ghcb_hv){.rmp = &f->rmp, .ops = &f->ops, .asid = ASID, .cbitpos = 51};
	/* Three vCPUs with sparse APIC IDs, as a hypervisor may number them. */
	f->n_ids = 3;
	f->ids[0] = 0;
	f->ids[1] = 2;
	f->ids[2] = 0x105;
	*state = f;

	/* Register the GHCB (GHCB spec 2.3.1). */
	uint64_t msr = ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, GHCB_GPA / PG);

	snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);
	assert_int_equal(msr, ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, GHCB_GPA / PG));
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->ram.mem);
	free(f);
	return 0;
}

static struct ghcb *ghcb_of(struct fixture *f)
{
	return (struct ghcb *)(void *)(f->ram.mem + GHCB_GPA);
}

static void put(struct ghcb *g, size_t off, uint64_t v)
{
	memcpy((uint8_t *)&g->save + off, &v, sizeof(v));
	ghcb_mark_valid(g, off);
}

static uint64_t get(const struct ghcb *g, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)&g->save + off, sizeof(v));
	return v;
}

/* One Get APIC IDs event: RAX = @pages (left out when @with_rax is false). */
static void get_apic_ids(struct fixture *f, uint64_t buf, uint64_t pages, bool with_rax)
{
	struct ghcb *g = ghcb_of(f);
	uint64_t msr = GHCB_GPA;

	memset(g, 0, sizeof(*g));
	put(g, OFF(sw_exit_code), SVM_VMGEXIT_GET_APIC_IDS);
	put(g, OFF(sw_exit_info_1), buf);
	put(g, OFF(sw_exit_info_2), 0);
	if (with_rax) {
		put(g, OFF(rax), pages);
	}
	assert_int_equal(snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr).exit, SNP_GHCB_RESUME);
}

static uint32_t le32_at(struct fixture *f, uint64_t gpa)
{
	const uint8_t *p = f->ram.mem + gpa;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void assert_error(struct fixture *f, uint64_t reason)
{
	const struct ghcb *g = ghcb_of(f);

	/* GHCB spec 4.1: SW_EXITINFO1 = 2 (malformed input), reason in SW_EXITINFO2. */
	assert_int_equal(g->save.sw_exit_info_1, GHCB_HV_RESP_MALFORMED_INPUT);
	assert_int_equal(g->save.sw_exit_info_2, reason);
}

static void fill(struct fixture *f, uint64_t gpa, size_t len, uint8_t v)
{
	memset(f->ram.mem + gpa, v, len);
}

static bool all(struct fixture *f, uint64_t gpa, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++) {
		if (f->ram.mem[gpa + i] != v) {
			return false;
		}
	}
	return true;
}

/* Hypervisor features (GHCB spec 4.1.x, NAE 8000_FFFDh): bit 4 with the event. */
static void test_feature_bit(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g = ghcb_of(f);
	uint64_t msr = GHCB_GPA;

	memset(g, 0, sizeof(*g));
	put(g, OFF(sw_exit_code), SVM_VMGEXIT_HV_FEATURES);
	put(g, OFF(sw_exit_info_1), 0);
	put(g, OFF(sw_exit_info_2), 0);
	snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_true(g->save.sw_exit_info_2 & GHCB_HV_FT_APIC_ID_LIST);

	/* Without the hypervisor's list: not offered, and the event is unknown. */
	f->ops.apic_ids = NULL;
	memset(g, 0, sizeof(*g));
	put(g, OFF(sw_exit_code), SVM_VMGEXIT_HV_FEATURES);
	put(g, OFF(sw_exit_info_1), 0);
	put(g, OFF(sw_exit_info_2), 0);
	snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);
	assert_false(g->save.sw_exit_info_2 & GHCB_HV_FT_APIC_ID_LIST);
	fill(f, BUF, PG, 0xee);
	get_apic_ids(f, BUF, 1, true);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	assert_true(all(f, BUF, PG, 0xee));
}

/*
 * A buffer too small (OVMF first asks with RAX = 0): RAX = the pages needed,
 * marked valid, SW_EXITINFO1 = 0 (no error), nothing written.
 */
static void test_too_small(void **state)
{
	struct fixture *f = *state;
	const struct ghcb *g = ghcb_of(f);

	fill(f, BUF, PG, 0xee);
	get_apic_ids(f, 0, 0, true);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_true(ghcb_is_valid(g, OFF(rax)));
	assert_int_equal(get(g, OFF(rax)), 1);

	/* 1200 vCPUs: 4 * 1201 bytes need 2 pages; a 1-page buffer is too small. */
	f->n_ids = MAX_IDS;
	get_apic_ids(f, BUF, 1, true);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_int_equal(get(g, OFF(rax)), 2);
	assert_true(all(f, BUF, PG, 0xee));
}

/*
 * The list: count, then the IDs in vCPU order, little-endian; RAX comes back
 * valid and unchanged (OVMF requires RAX == its page count); the rest of the
 * buffer is the guest's.
 */
static void test_list(void **state)
{
	struct fixture *f = *state;
	const struct ghcb *g = ghcb_of(f);

	fill(f, BUF, 2 * PG, 0xee);
	get_apic_ids(f, BUF, 2, true);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_true(ghcb_is_valid(g, OFF(rax)));
	assert_int_equal(get(g, OFF(rax)), 2);
	assert_int_equal(le32_at(f, BUF), 3);
	assert_int_equal(le32_at(f, BUF + 4), 0);
	assert_int_equal(le32_at(f, BUF + 8), 2);
	assert_int_equal(le32_at(f, BUF + 12), 0x105);
	assert_true(all(f, BUF + 16, 2 * PG - 16, 0xee));
}

/* A list over two pages: entry 1023 is the last of the first page. */
static void test_two_pages(void **state)
{
	struct fixture *f = *state;
	const struct ghcb *g = ghcb_of(f);

	f->n_ids = MAX_IDS;
	for (unsigned int i = 0; i < MAX_IDS; i++) {
		f->ids[i] = 3 * i + 1;
	}
	get_apic_ids(f, BUF, 2, true);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_int_equal(get(g, OFF(rax)), 2);
	assert_int_equal(le32_at(f, BUF), MAX_IDS);
	for (unsigned int i = 0; i < MAX_IDS; i++) {
		assert_int_equal(le32_at(f, BUF + 4 + 4ull * i), 3 * i + 1);
	}
}

/*
 * Inputs (GHCB spec 4.1: malformed input, SW_EXITINFO1 = 2): no RAX →
 * missing input; a buffer that is not page aligned, not RAM, or a private
 * page (the hypervisor cannot write guest-owned memory, APM vol. 2
 * 15.36.10) → invalid input. Nothing is written.
 */
static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	struct snp_rmp_update u = {.gpa = BUF + PG, .asid = ASID, .assigned = true};

	fill(f, BUF, 2 * PG, 0xee);
	get_apic_ids(f, BUF, 1, false);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	get_apic_ids(f, BUF + 8, 1, true);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	get_apic_ids(f, RAM_TOP, 1, true);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	get_apic_ids(f, UINT64_MAX & ~(uint64_t)(PG - 1), 1, true);
	assert_error(f, GHCB_ERR_INVALID_INPUT);

	/* Private: the second page of a two-page list (nothing of the first written). */
	assert_int_equal(snp_rmp_update(&f->rmp, BUF + PG, &u), 0);
	f->n_ids = MAX_IDS;
	get_apic_ids(f, BUF, 2, true);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_true(all(f, BUF, 2 * PG, 0xee));
}

/*
 * AP Creation of the VMSA the target's running VMPL runs from continues it
 * (its state is that page, APM vol. 2 15.35); anything else does not.
 */
static void test_ap_continues(void **state)
{
	struct snp_vmpl_vcpu t = {.current = 2, .running = true};
	struct snp_ap_request r = {
		.action = SNP_AP_CREATE, .vmpl = 2, .apic_id = 1, .vmsa_gpa = 0x3000};

	(void)state;
	t.ctx[2] = (struct snp_vmpl_ctx){.present = true, .vmsa_gpa = 0x3000};
	t.ctx[0] = (struct snp_vmpl_ctx){.present = true, .vmsa_gpa = 0x9000};
	assert_true(snp_ap_continues(&t, &r));
	r.vmsa_gpa = 0x4000; /* another page: a new context */
	assert_false(snp_ap_continues(&t, &r));
	r.vmsa_gpa = 0x3000;
	r.action = SNP_AP_DESTROY;
	assert_false(snp_ap_continues(&t, &r));
	r.action = SNP_AP_CREATE_ON_INIT;
	assert_false(snp_ap_continues(&t, &r));
	r.action = SNP_AP_CREATE;
	t.running = false; /* a stopped vCPU starts from the page */
	assert_false(snp_ap_continues(&t, &r));
	t.running = true;
	t.current = 0; /* VMPL2 registered, VMPL0 runs: only registers */
	assert_false(snp_ap_continues(&t, &r));
	t.current = 2;
	r.vmpl = 7; /* not a VMPL (never checked this far, still no access) */
	assert_false(snp_ap_continues(&t, &r));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_feature_bit), T(test_too_small), T(test_list),
		T(test_two_pages),   T(test_bad_input), T(test_ap_continues),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
