/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the emulated AMD-SP launch rules (snp-launch.c, extracted from
 * our QEMU patch): PAGE_INFO and the launch digest chain, the RMP state of a
 * launched page, the secrets page, the CPUID page checks and the ID block
 * checks. Every expectation names the SEV-SNP firmware ABI (AMD pub. 56860)
 * section or the APM section it comes from. The SHA-384 here is a recording
 * stand-in: what is under test is which bytes are hashed, in which order
 * (the real hash is compared with igvmtool in suite 55).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sev/rmp-host.h"
#include "snp-launch.h"

#define NPAGES 64u
#define ASID   1u
#define PG     SNP_RMP_PAGE_SIZE

/* Recording hash: remembers the last input, outputs a counter pattern. */
static uint8_t last_in[4096];
static size_t last_len;
static unsigned int n_hashes;

static void fake_sha384(const void *data, size_t len, uint8_t out[SNP_SHA384_LEN])
{
	memcpy(last_in, data, len < sizeof(last_in) ? len : sizeof(last_in));
	last_len = len;
	n_hashes++;
	memset(out, (int)(0xa0 + n_hashes), SNP_SHA384_LEN);
}

static uint8_t le8(const uint8_t *p, size_t off)
{
	return p[off];
}

static uint64_t le64(const uint8_t *p, size_t off)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | p[off + (size_t)i];
	}
	return v;
}

/* 56860 8.17 PAGE_INFO: DIGEST_CUR 00h, CONTENTS 30h, LENGTH 60h (= 70h),
 * PAGE_TYPE 62h, IMI_PAGE 63h, VMPL3/2/1_PERMS 64h-66h, GPA 68h. */
static void test_page_info_layout(void **state)
{
	struct snp_page_info pi;
	uint8_t cur[SNP_SHA384_LEN], contents[SNP_SHA384_LEN];
	const uint8_t *b = (const uint8_t *)&pi;

	(void)state;
	memset(cur, 0x11, sizeof(cur));
	memset(contents, 0x22, sizeof(contents));
	memset(&pi, 0xee, sizeof(pi));
	snp_launch_page_info(&pi, cur, contents, SNP_PAGE_TYPE_NORMAL, 0x123000);
	assert_int_equal(sizeof(pi), 0x70);
	assert_memory_equal(b, cur, 48);
	assert_memory_equal(b + 0x30, contents, 48);
	assert_int_equal(le8(b, 0x60) | (le8(b, 0x61) << 8), 0x70);
	assert_int_equal(le8(b, 0x62), 1);
	for (size_t off = 0x63; off < 0x68; off++) {
		assert_int_equal(le8(b, off), 0); /* IMI_PAGE, VMPL perms, reserved */
	}
	assert_int_equal(le64(b, 0x68), 0x123000);
	/* CONTENTS NULL = zero (ZERO, UNMEASURED, SECRETS, CPUID). */
	snp_launch_page_info(&pi, cur, NULL, SNP_PAGE_TYPE_CPUID, 0);
	for (size_t off = 0x30; off < 0x60; off++) {
		assert_int_equal(le8(b, off), 0);
	}
	assert_int_equal(le8(b, 0x62), 6);
}

/* 56860 8.17: NORMAL pages hash their contents into CONTENTS, then the
 * PAGE_INFO (with the previous digest) becomes the new digest. */
static void test_digest_normal_page_hashes_contents_then_page_info(void **state)
{
	struct snp_launch_digest d = {0};
	static uint8_t page[4096];
	const struct snp_page_info *pi = (const struct snp_page_info *)last_in;

	(void)state;
	memset(page, 0x5a, sizeof(page));
	n_hashes = 0;
	assert_int_equal(
		snp_launch_digest_page(&d, fake_sha384, 0x1000, SNP_PAGE_TYPE_NORMAL, page), 0);
	assert_int_equal(n_hashes, 2); /* the page, then PAGE_INFO */
	assert_int_equal(last_len, 0x70);
	for (size_t i = 0; i < 48; i++) {
		assert_int_equal(pi->digest_cur[i], 0);	 /* first page: LD starts at 0 */
		assert_int_equal(pi->contents[i], 0xa1); /* hash #1 = the page */
		assert_int_equal(d.ld[i], 0xa2);	 /* hash #2 = PAGE_INFO */
	}
	assert_int_equal(pi->gpa, 0x1000);
	assert_int_equal(d.pages, 1);
	/* The next page chains on the previous digest. */
	assert_int_equal(
		snp_launch_digest_page(&d, fake_sha384, 0x2000, SNP_PAGE_TYPE_UNMEASURED, NULL), 0);
	assert_int_equal(n_hashes, 3); /* UNMEASURED: only the PAGE_INFO */
	for (size_t i = 0; i < 48; i++) {
		assert_int_equal(pi->digest_cur[i], 0xa2);
		assert_int_equal(pi->contents[i], 0);
	}
	assert_int_equal(pi->page_type, SNP_PAGE_TYPE_UNMEASURED);
	assert_int_equal(d.pages, 2);
}

/* VMSA pages are measured like NORMAL pages with PAGE_TYPE_VMSA (56860 8.17). */
static void test_digest_vmsa_hashes_page(void **state)
{
	struct snp_launch_digest d = {0};
	static uint8_t vmsa[4096];
	const struct snp_page_info *pi = (const struct snp_page_info *)last_in;

	(void)state;
	n_hashes = 0;
	assert_int_equal(snp_launch_digest_page(&d, fake_sha384, SNP_PAGE_INFO_KVM_VMSA_GPA,
						SNP_PAGE_TYPE_VMSA, vmsa),
			 0);
	assert_int_equal(n_hashes, 2);
	assert_int_equal(pi->page_type, SNP_PAGE_TYPE_VMSA);
	assert_int_equal(pi->contents[0], 0xa1);
	assert_int_equal(pi->gpa, SNP_PAGE_INFO_KVM_VMSA_GPA);
}

/* Bad input changes nothing: unknown page type, unaligned GPA. */
static void test_digest_rejects_bad_input(void **state)
{
	struct snp_launch_digest d = {0};

	(void)state;
	n_hashes = 0;
	assert_int_equal(snp_launch_digest_page(&d, fake_sha384, 0x1000, 0, NULL), -1);
	assert_int_equal(snp_launch_digest_page(&d, fake_sha384, 0x1000, 7, NULL), -1);
	assert_int_equal(snp_launch_digest_page(&d, fake_sha384, 0x1800, SNP_PAGE_TYPE_ZERO, NULL),
			 -1);
	assert_int_equal(n_hashes, 0);
	assert_int_equal(d.pages, 0);
}

struct rmp_fixture {
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
	unsigned int changes;
};

static void on_change(void *opaque, uint64_t spa, uint64_t len)
{
	struct rmp_fixture *f = opaque;

	(void)spa;
	(void)len;
	f->changes++;
}

static int rmp_setup(void **state)
{
	struct rmp_fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	snp_rmp_init(&f->rmp, f->entries, NPAGES);
	f->rmp.changed = on_change;
	f->rmp.opaque = f;
	*state = f;
	return 0;
}

static int rmp_teardown(void **state)
{
	free(*state);
	return 0;
}

/* A launched page is a validated guest page, VMPL0 full permissions, VMPL1-3
 * none (PAGE_INFO VMPL perms 0; APM vol. 2 15.36.7), with the TLB told. */
static void test_rmp_page_assigned_validated_vmpl0(void **state)
{
	struct rmp_fixture *f = *state;
	const struct snp_rmp_entry *e;

	assert_int_equal(snp_launch_rmp_page(&f->rmp, 3 * PG, 3 * PG, ASID, false), 0);
	e = snp_rmp_lookup(&f->rmp, 3 * PG);
	assert_true(e->assigned);
	assert_true(e->validated);
	assert_false(e->vmsa);
	assert_false(e->page_size_2m);
	assert_int_equal(e->asid, ASID);
	assert_int_equal(e->gpa, 3 * PG);
	assert_true(snp_rmp_perms_allow(e->perms[0], SNP_ACCESS_WRITE, false));
	assert_true(snp_rmp_perms_allow(e->perms[0], SNP_ACCESS_FETCH, false));
	for (int v = 1; v < SNP_RMP_NUM_VMPLS; v++) {
		assert_int_equal(e->perms[v], 0);
	}
	assert_true(f->changes >= 1);
	/* The guest can then access it privately without #VC (15.36.10). */
	{
		struct snp_guest_ctx ctx = {.asid = ASID, .vmpl = 0};

		assert_int_equal(
			snp_rmp_check_access(&f->rmp, 3 * PG, 3 * PG, true, SNP_ACCESS_WRITE, &ctx),
			SNP_RMP_OK);
	}
}

/* VMSA pages carry the RMP VMSA bit (APM vol. 2 15.36.12). */
static void test_rmp_page_vmsa(void **state)
{
	struct rmp_fixture *f = *state;

	assert_int_equal(snp_launch_rmp_page(&f->rmp, 5 * PG, 5 * PG, ASID, true), 0);
	assert_true(snp_rmp_lookup(&f->rmp, 5 * PG)->vmsa);
}

/* A page cannot be launched twice, and pages beyond the RMP are refused;
 * neither changes the RMP. */
static void test_rmp_page_refuses_assigned_and_uncovered(void **state)
{
	struct rmp_fixture *f = *state;
	unsigned int before;

	assert_int_equal(snp_launch_rmp_page(&f->rmp, 2 * PG, 2 * PG, ASID, false), 0);
	before = f->changes;
	assert_int_equal(snp_launch_rmp_page(&f->rmp, 2 * PG, 9 * PG, ASID, true),
			 RMP_HOST_FAIL_PERMISSION);
	assert_int_equal(snp_rmp_lookup(&f->rmp, 2 * PG)->gpa, 2 * PG);
	assert_false(snp_rmp_lookup(&f->rmp, 2 * PG)->vmsa);
	assert_int_equal(snp_launch_rmp_page(&f->rmp, NPAGES * PG, NPAGES * PG, ASID, false),
			 RMP_HOST_FAIL_INPUT);
	assert_int_equal(f->changes, before);
}

/* 56860 8.17 secrets page: VERSION 3, IMI_EN 0, FMS, GOSVW, VMPCK0-3 at 20h,
 * everything else zero. */
static void test_secrets_page_layout(void **state)
{
	static struct snp_secrets_page p;
	uint8_t gosvw[16], vmpck[SNP_VMPCK_COUNT][SNP_VMPCK_LEN];
	const uint8_t *b = (const uint8_t *)&p;

	(void)state;
	memset(gosvw, 0x33, sizeof(gosvw));
	for (unsigned int k = 0; k < SNP_VMPCK_COUNT; k++) {
		memset(vmpck[k], (int)(0x40 + k), SNP_VMPCK_LEN);
	}
	memset(&p, 0xff, sizeof(p));
	snp_launch_secrets_page(&p, 0x00a00f11, gosvw, (const uint8_t(*)[SNP_VMPCK_LEN])vmpck);
	assert_int_equal(le8(b, 0), 3);
	assert_int_equal(le8(b, 4), 0);
	assert_int_equal(p.fms, 0x00a00f11);
	assert_memory_equal(b + 0x10, gosvw, 16);
	for (unsigned int k = 0; k < SNP_VMPCK_COUNT; k++) {
		assert_memory_equal(b + 0x20 + 0x20 * k, vmpck[k], SNP_VMPCK_LEN);
	}
	for (size_t off = 0xa0; off < sizeof(p); off++) {
		assert_int_equal(b[off], 0);
	}
}

/* The emulated processor for the CPUID checks. */
static void fake_cpu(void *opaque, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
	(void)opaque;
	(void)subleaf;
	memset(out, 0, 4 * sizeof(out[0]));
	switch (leaf) {
	case 1:
		out[0] = 0x00a00f11; /* family 19h, model 01h, stepping 1 */
		out[1] = 0x00000800;
		out[2] = 0x0000f000;
		out[3] = 0x0000ff00;
		break;
	case 0x80000001:
		out[0] = 0x00a00f11;
		out[2] = 0x1;
		break;
	default:
		out[0] = leaf;
		break;
	}
}

static void fn(struct snp_cpuid_table *t, uint32_t leaf, uint32_t a, uint32_t b, uint32_t c,
	       uint32_t d)
{
	struct snp_cpuid_fn *f = &t->fn[t->count++];

	f->eax_in = leaf;
	f->eax = a;
	f->ebx = b;
	f->ecx = c;
	f->edx = d;
}

/* 56860 8.17.2.6: a page the processor agrees with passes unchanged; fewer
 * features and a lower family/model/stepping are allowed; the APIC ID and
 * OSXSAVE (CPUID 1 EBX[31:24], ECX[27]) follow the guest and are unchecked. */
static void test_cpuid_page_accepts_matching_and_subset(void **state)
{
	static struct snp_cpuid_table t, copy;
	unsigned int bad = 99;

	(void)state;
	memset(&t, 0, sizeof(t));
	fn(&t, 1, 0x00a00f10, 0x03000800, 0x0800f000, 0x0000f000);
	fn(&t, 0x80000001, 0x00a00f11, 0, 0x1, 0);
	fn(&t, 0x8000001f, 0x8000001f, 0, 0, 0);
	copy = t;
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, &bad), SNP_CPUID_OK);
	assert_int_equal(bad, 0);
	assert_memory_equal(&t, &copy, sizeof(t));
}

/* A feature the processor does not have is refused and corrected in place
 * (the firmware writes back what it would accept). */
static void test_cpuid_page_refuses_extra_feature(void **state)
{
	static struct snp_cpuid_table t;
	unsigned int bad = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	fn(&t, 1, 0x00a00f11, 0x00000800, 0x0000f000 | (1u << 5), 0x0000ff00);
	fn(&t, 0x80000001, 0x00a00f11, 0, 0x1, 0);
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, &bad), SNP_CPUID_BAD_VALUE);
	assert_int_equal(bad, 1);
	assert_int_equal(t.fn[0].ecx, 0x0000f000);
}

/* A family/model/stepping above the processor's is refused (less-or-equal
 * rule for Fn0000_0001_EAX / Fn8000_0001_EAX). */
static void test_cpuid_page_refuses_newer_fms(void **state)
{
	static struct snp_cpuid_table t;

	(void)state;
	memset(&t, 0, sizeof(t));
	fn(&t, 1, 0x00a00f12, 0x00000800, 0, 0); /* stepping 2 > 1 */
	fn(&t, 0x80000001, 0x00a10f11, 0, 0, 0); /* model 11h > 01h */
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, NULL), SNP_CPUID_BAD_VALUE);
	assert_int_equal(t.fn[0].eax, 0x00a00f11);
	assert_int_equal(t.fn[1].eax, 0x00a00f11);
}

/* COUNT > 64, functions outside the two ranges, non-zero reserved fields. */
static void test_cpuid_page_structure(void **state)
{
	static struct snp_cpuid_table t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.count = SNP_CPUID_COUNT_MAX + 1;
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, NULL), SNP_CPUID_BAD_COUNT);
	memset(&t, 0, sizeof(t));
	fn(&t, 0x40000000, 0, 0, 0, 0); /* hypervisor range */
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, NULL), SNP_CPUID_BAD_FUNCTION);
	memset(&t, 0, sizeof(t));
	fn(&t, 0x8000001f, 0x8000001f, 0, 0, 0);
	t.fn[0].reserved = 1;
	assert_int_equal(snp_launch_check_cpuid(&t, fake_cpu, NULL, NULL), SNP_CPUID_BAD_RESERVED);
	assert_int_equal(t.fn[0].reserved, 0);
}

static void id_setup(struct snp_id_block *blk, struct snp_id_auth_info *auth, const uint8_t *ld)
{
	memset(blk, 0, sizeof(*blk));
	memset(auth, 0, sizeof(*auth));
	memcpy(blk->ld, ld, SNP_SHA384_LEN);
	blk->version = SNP_ID_BLOCK_VERSION;
	blk->policy = 0x30000;
	auth->id_key_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
	auth->auth_key_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
	auth->id_key.curve = SNP_ECDSA_CURVE_P384;
	auth->author_key.curve = SNP_ECDSA_CURVE_P384;
}

/* 56860 8.18 SNP_LAUNCH_FINISH: the ID block must carry the measured digest
 * and the guest's policy, version 1, ECDSA P-384 keys. */
static void test_id_block_checks(void **state)
{
	static struct snp_id_block blk;
	static struct snp_id_auth_info auth;
	uint8_t ld[SNP_SHA384_LEN];

	(void)state;
	memset(ld, 0x77, sizeof(ld));
	id_setup(&blk, &auth, ld);
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, true, ld, 0x30000), SNP_ID_OK);
	blk.ld[47] ^= 1;
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, true, ld, 0x30000),
			 SNP_ID_BAD_DIGEST);
	id_setup(&blk, &auth, ld);
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, false, ld, 0x30001),
			 SNP_ID_BAD_POLICY);
	blk.version = 2;
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, false, ld, 0x30000),
			 SNP_ID_BAD_VERSION);
	id_setup(&blk, &auth, ld);
	auth.id_key_algo = 0;
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, false, ld, 0x30000),
			 SNP_ID_BAD_ALGO);
	id_setup(&blk, &auth, ld);
	auth.author_key.curve = 1;
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, false, ld, 0x30000), SNP_ID_OK);
	assert_int_equal(snp_launch_check_id_block(&blk, &auth, true, ld, 0x30000),
			 SNP_ID_BAD_CURVE);
	assert_string_not_equal(snp_id_check_str(SNP_ID_BAD_DIGEST), "ok");
	assert_string_not_equal(snp_id_check_str(SNP_ID_BAD_ID_SIG), "unknown");
	assert_string_not_equal(snp_id_check_str(SNP_ID_BAD_AUTHOR_SIG), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_info_layout),
		cmocka_unit_test(test_digest_normal_page_hashes_contents_then_page_info),
		cmocka_unit_test(test_digest_vmsa_hashes_page),
		cmocka_unit_test(test_digest_rejects_bad_input),
		cmocka_unit_test_setup_teardown(test_rmp_page_assigned_validated_vmpl0, rmp_setup,
						rmp_teardown),
		cmocka_unit_test_setup_teardown(test_rmp_page_vmsa, rmp_setup, rmp_teardown),
		cmocka_unit_test_setup_teardown(test_rmp_page_refuses_assigned_and_uncovered,
						rmp_setup, rmp_teardown),
		cmocka_unit_test(test_secrets_page_layout),
		cmocka_unit_test(test_cpuid_page_accepts_matching_and_subset),
		cmocka_unit_test(test_cpuid_page_refuses_extra_feature),
		cmocka_unit_test(test_cpuid_page_refuses_newer_fms),
		cmocka_unit_test(test_cpuid_page_structure),
		cmocka_unit_test(test_id_block_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
