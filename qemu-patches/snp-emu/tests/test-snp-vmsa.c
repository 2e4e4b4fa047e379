/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the VMSA <-> register state conversion (snp-vmsa.c, extracted
 * from our QEMU patches). Offsets are written out from APM vol. 2 Table B-4,
 * not taken from the code under test; checks cite APM vol. 2 15.5.1, 15.20,
 * 15.34.10 and APM vol. 1 6.2.4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sev/sev-status.h"
#include "sev/vmsa.h"
#include "snp-vmsa.h"

static uint8_t page[SEV_VMSA_SIZE];

static void put(uint8_t *p, size_t off, unsigned int n, uint64_t v)
{
	for (unsigned int i = 0; i < n; i++) {
		p[off + i] = (uint8_t)(v >> (8 * i));
	}
}

static uint64_t get(const uint8_t *p, size_t off, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = n; i-- > 0;) {
		v = (v << 8) | p[off + i];
	}
	return v;
}

/* Table B-4 offsets planted by hand; decoded fields must match. */
static void test_read_offsets(void **state)
{
	struct snp_cpu_state s;

	(void)state;
	memset(page, 0, sizeof(page));
	put(page, 0x010, 2, 0x0008);		 /* CS selector */
	put(page, 0x012, 2, 0x0a9b);		 /* CS attrib: 64-bit code */
	put(page, 0x014, 4, 0xffffffff);	 /* CS limit */
	put(page, 0x018, 8, 0x1000);		 /* CS base */
	put(page, 0x062, 2, 0x0);		 /* GDTR attrib (unused) */
	put(page, 0x064, 4, 0x27);		 /* GDTR limit */
	put(page, 0x068, 8, 0xffff800000001000); /* GDTR base */
	put(page, 0x084, 4, 0xfff);		 /* IDTR limit */
	put(page, 0x088, 8, 0x2000);		 /* IDTR base */
	put(page, 0x090, 2, 0x28);		 /* TR selector */
	put(page, 0x092, 2, 0x089);		 /* TR attrib: busy TSS */
	page[0x0ca] = 2;			 /* VMPL */
	page[0x0cb] = 3;			 /* CPL */
	put(page, 0x0d0, 8, 0x1d01);		 /* EFER */
	put(page, 0x140, 8, 0x100);		 /* XSS */
	put(page, 0x148, 8, 0x20);		 /* CR4 */
	put(page, 0x150, 8, 0x8000000000123000); /* CR3 with a C-bit */
	put(page, 0x158, 8, 0x80000011);	 /* CR0 */
	put(page, 0x160, 8, 0x400);		 /* DR7 */
	put(page, 0x168, 8, 0xffff0ff0);	 /* DR6 */
	put(page, 0x170, 8, 0x202);		 /* RFLAGS */
	put(page, 0x178, 8, 0xfffff000);	 /* RIP */
	put(page, 0x198, 8, 0xd3);		 /* DR3 */
	put(page, 0x1d8, 8, 0x7000);		 /* RSP */
	put(page, 0x1f8, 8, 0xaa);		 /* RAX */
	put(page, 0x208, 8, 0x4444);		 /* LSTAR */
	put(page, 0x220, 8, 0x5555);		 /* KernelGsBase */
	put(page, 0x240, 8, 0xc2);		 /* CR2 */
	put(page, 0x268, 8, 0x0007040600070406); /* G_PAT */
	put(page, 0x2e8, 4, 0x55555554);	 /* PKRU */
	put(page, 0x2ec, 4, 0x7);		 /* TSC_AUX */
	put(page, 0x308, 8, 0xcc);		 /* RCX */
	put(page, 0x310, 8, 0xdd);		 /* RDX */
	put(page, 0x318, 8, 0xbb);		 /* RBX */
	put(page, 0x320, 8, 0xdeadbeef);	 /* reserved, not RSP */
	put(page, 0x378, 8, 0xf15);		 /* R15 */
	put(page, 0x3b0, 8, 0x21);		 /* SEV_FEATURES */
	put(page, 0x3e8, 8, 0x7);		 /* XCR0 */
	put(page, 0x408, 4, 0x1f80);		 /* MXCSR */
	put(page, 0x40c, 2, 0x5555);		 /* FTW */
	put(page, 0x410, 2, 0x0040);		 /* FCW */
	page[0x420] = 0x11;			 /* ST0 byte 0 */
	page[0x470 + 16] = 0x22;		 /* XMM1 byte 0 */
	page[0x570 + 31] = 0x33;		 /* YMM1 high byte 15 */

	snp_vmsa_read(page, &s);
	assert_int_equal(s.seg[SNP_SEG_CS].selector, 0x8);
	/* Table B-1: attrib 7:0 -> descriptor 47:40, 11:8 -> 55:52. */
	assert_int_equal(s.seg[SNP_SEG_CS].flags, 0x00a09b00);
	assert_int_equal(s.seg[SNP_SEG_CS].limit, 0xffffffff);
	assert_int_equal(s.seg[SNP_SEG_CS].base, 0x1000);
	assert_int_equal(s.gdtr_limit, 0x27);
	assert_int_equal(s.gdtr_base, 0xffff800000001000);
	assert_int_equal(s.idtr_limit, 0xfff);
	assert_int_equal(s.idtr_base, 0x2000);
	assert_int_equal(s.tr.selector, 0x28);
	assert_int_equal(s.tr.flags, 0x8900);
	assert_int_equal(s.vmpl, 2);
	assert_int_equal(s.cpl, 3);
	assert_int_equal(s.efer, 0x1d01);
	assert_int_equal(s.xss, 0x100);
	assert_int_equal(s.cr4, 0x20);
	assert_int_equal(s.cr3, 0x8000000000123000);
	assert_int_equal(s.cr0, 0x80000011);
	assert_int_equal(s.cr2, 0xc2);
	assert_int_equal(s.dr7, 0x400);
	assert_int_equal(s.dr6, 0xffff0ff0);
	assert_int_equal(s.dr[3], 0xd3);
	assert_int_equal(s.rflags, 0x202);
	assert_int_equal(s.rip, 0xfffff000);
	/* GPRs in x86 register-number order; RSP from 1D8h, not 320h. */
	assert_int_equal(s.gpr[0], 0xaa);
	assert_int_equal(s.gpr[1], 0xcc);
	assert_int_equal(s.gpr[2], 0xdd);
	assert_int_equal(s.gpr[3], 0xbb);
	assert_int_equal(s.gpr[4], 0x7000);
	assert_int_equal(s.gpr[15], 0xf15);
	assert_int_equal(s.lstar, 0x4444);
	assert_int_equal(s.kernel_gs_base, 0x5555);
	assert_int_equal(s.pat, 0x0007040600070406);
	assert_int_equal(s.pkru, 0x55555554);
	assert_int_equal(s.tsc_aux, 0x7);
	assert_int_equal(s.sev_features, 0x21);
	assert_int_equal(s.xcr0, 0x7);
	assert_int_equal(s.mxcsr, 0x1f80);
	assert_int_equal(s.ftw, 0x5555);
	assert_int_equal(s.fcw, 0x40);
	assert_int_equal(s.st[0][0], 0x11);
	assert_int_equal(s.xmm[1][0], 0x22);
	assert_int_equal(s.ymm_hi[1][15], 0x33);
}

/* Writing puts each field at its Table B-4 offset and nothing else moves. */
static void test_write_offsets_and_preserve(void **state)
{
	struct snp_cpu_state s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.seg[SNP_SEG_SS].selector = 0x10;
	s.seg[SNP_SEG_SS].flags = 0x00c09300; /* data, D/B, G */
	s.seg[SNP_SEG_SS].base = 0x123;
	s.seg[SNP_SEG_SS].limit = 0xfffff;
	s.gpr[4] = 0x8000; /* RSP */
	s.gpr[0] = 0x1;
	s.gpr[7] = 0x7; /* RDI */
	s.gpr[8] = 0x8; /* R8 */
	s.rip = 0xabc;
	s.vmpl = 1;
	s.cpl = 0;
	s.efer = 0x1000;
	s.sev_features = 1;
	s.fsw = 0x3800;
	s.idtr_limit = 0x1ff;

	memset(page, 0xa5, sizeof(page));
	snp_vmsa_write(page, &s);
	assert_int_equal(get(page, 0x020, 2), 0x10);
	assert_int_equal(get(page, 0x022, 2), 0xc93);
	assert_int_equal(get(page, 0x024, 4), 0xfffff);
	assert_int_equal(get(page, 0x028, 8), 0x123);
	assert_int_equal(get(page, 0x1d8, 8), 0x8000);
	assert_int_equal(get(page, 0x1f8, 8), 0x1);
	assert_int_equal(get(page, 0x338, 8), 0x7);
	assert_int_equal(get(page, 0x340, 8), 0x8);
	assert_int_equal(get(page, 0x178, 8), 0xabc);
	assert_int_equal(page[0x0ca], 1);
	assert_int_equal(page[0x0cb], 0);
	assert_int_equal(get(page, 0x0d0, 8), 0x1000);
	assert_int_equal(get(page, 0x3b0, 8), 1);
	assert_int_equal(get(page, 0x40e, 2), 0x3800);
	assert_int_equal(get(page, 0x084, 4), 0x1ff);
	/* Exit code 3C0h and information 390h-3A0h: a save writes them. */
	assert_int_equal(get(page, 0x3c0, 8), 0);
	assert_int_equal(get(page, 0x390, 8), 0);
	/* Not modelled: reserved 320h, NRIP 3A8h, LBR stack, IDTR attrib. */
	assert_int_equal(get(page, 0x320, 8), 0xa5a5a5a5a5a5a5a5);
	assert_int_equal(get(page, 0x3a8, 8), 0xa5a5a5a5a5a5a5a5);
	assert_int_equal(page[0x670], 0xa5);
	assert_int_equal(page[0x7c8], 0xa5);
	assert_int_equal(get(page, 0x082, 2), 0xa5a5);
}

/*
 * A context saved by a #VMEXIT carries the exit code (GUEST_EXIT_CODE 3C0h)
 * and information (390h, 398h, 3A0h; APM vol. 2 Table B-4): VMGEXIT is
 * VMEXIT_VMGEXIT 403h (15.35.6), the hypervisor's kick VMEXIT_INTR 60h
 * (Appendix C). Stale information from an earlier exit must not survive.
 */
static void test_exit_code(void **state)
{
	struct snp_cpu_state s;

	(void)state;
	memset(page, 0xa5, sizeof(page));
	snp_vmsa_read(page, &s);
	assert_int_equal(s.exit_code, 0xa5a5a5a5a5a5a5a5);
	assert_int_equal(s.exit_info2, 0xa5a5a5a5a5a5a5a5);

	snp_vmsa_set_exit(&s, SNP_VMSA_EXIT_VMGEXIT);
	snp_vmsa_write(page, &s);
	assert_int_equal(get(page, 0x3c0, 8), 0x403);
	assert_int_equal(get(page, 0x390, 8), 0);
	assert_int_equal(get(page, 0x398, 8), 0);
	assert_int_equal(get(page, 0x3a0, 8), 0);
	/* Neighbours: VINTR_CTRL 3B8h and VIRTUAL_TOM 3C8h are their own. */
	assert_int_equal(get(page, 0x3b8, 8), 0xa5a5a5a5a5a5a5a5);
	assert_int_equal(get(page, 0x3c8, 8), 0xa5a5a5a5a5a5a5a5);

	snp_vmsa_set_exit(&s, SNP_VMSA_EXIT_INTR);
	snp_vmsa_write(page, &s);
	assert_int_equal(get(page, 0x3c0, 8), 0x60);

	put(page, 0x3c0, 8, 0x7c);
	put(page, 0x390, 8, 1);
	snp_vmsa_read(page, &s);
	assert_int_equal(s.exit_code, 0x7c);
	assert_int_equal(s.exit_info1, 1);
}

/* Any page survives read -> write -> read unchanged in the modelled fields. */
static void test_round_trip(void **state)
{
	static uint8_t copy[SEV_VMSA_SIZE];
	struct snp_cpu_state a, b;
	uint32_t x = 0x12345678;

	(void)state;
	for (size_t i = 0; i < sizeof(page); i++) {
		x = x * 1103515245u + 12345u;
		page[i] = (uint8_t)(x >> 16);
	}
	snp_vmsa_read(page, &a);
	memcpy(copy, page, sizeof(page));
	snp_vmsa_write(copy, &a);
	/* Only the attrib bits 15:12 (not held in descriptor flags) may differ. */
	for (size_t i = 0; i < sizeof(page); i++) {
		bool attrib_hi = i < 0xa0 && (i % 16) == 3 && i != 0x63 && i != 0x83;

		if (attrib_hi) {
			assert_int_equal(copy[i], page[i] & 0x0f);
		} else {
			assert_int_equal(copy[i], page[i]);
		}
	}
	snp_vmsa_read(copy, &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_seg_attrib(void **state)
{
	/* A flat 64-bit code descriptor (APM vol. 2 4.8.1). */
	const uint64_t desc = 0x00af9b000000ffffull;

	(void)state;
	assert_int_equal(sev_seg_attr_from_descriptor(desc), 0xa9b);
	assert_int_equal(snp_seg_attrib_to_flags(0xa9b), (desc >> 32) & 0x00f0ff00);
	assert_int_equal(snp_seg_flags_to_attrib((uint32_t)(desc >> 32)), 0xa9b);
	assert_int_equal(snp_seg_flags_to_attrib(0xffffffff), 0xfff);
}

/* 15.34.10: SEV and SEV-ES set, SEV_FEATURES bit n is SEV_STATUS bit n + 2. */
static void test_sev_status(void **state)
{
	(void)state;
	assert_int_equal(snp_vmsa_sev_status(SEV_FEAT_SNP_ACTIVE), 0x7);
	assert_int_equal(snp_vmsa_sev_status(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_DEBUG_SWAP),
			 0x7 | (1u << 7));
	assert_int_equal(snp_vmsa_sev_status(SEV_FEAT_SNP_ACTIVE | SEV_FEAT_VMPL_SSS),
			 SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP | SEV_STATUS_VMPL_SSS);
}

/* APM vol. 1 6.2.4: 00 valid, 01 zero, 10 special, 11 empty. */
static void test_x87_tags(void **state)
{
	uint8_t st[8][10];

	(void)state;
	memset(st, 0, sizeof(st));
	/* ST1 = 1.0: integer bit set, biased exponent 3FFFh. */
	st[1][7] = 0x80;
	st[1][8] = 0xff;
	st[1][9] = 0x3f;
	/* ST2 = +infinity: exponent 7FFFh. */
	st[2][7] = 0x80;
	st[2][8] = 0xff;
	st[2][9] = 0x7f;
	/* ST3 = denormal: exponent 0, mantissa not 0. */
	st[3][0] = 1;
	/* ST4 = unnormal: exponent not 0, integer bit clear. */
	st[4][8] = 0x01;

	/* TOP = 0: physical Ri is STi; R5..R7 empty. */
	assert_int_equal(snp_x87_full_tag_word(0xe0, 0, st),
			 0x1 | (0x0 << 2) | (0x2 << 4) | (0x2 << 6) | (0x2 << 8) | (0x3f << 10));
	assert_int_equal(snp_x87_full_tag_word(0xff, 0, st), 0xffff);
	/* TOP = 7: ST0 is R7, ST1 (1.0) is R0, ST2 (infinity) is R1. */
	assert_int_equal(snp_x87_full_tag_word(0x00, 7, st),
			 0x0 | (0x2 << 2) | (0x2 << 4) | (0x2 << 6) | (0x1 << 8) | (0x1 << 10) |
				 (0x1 << 12) | (0x1 << 14));
	/* The reset value 5555h (APM vol. 2 Table 14-1) has no empty register. */
	assert_int_equal(snp_x87_empty_mask(0x5555), 0);
	assert_int_equal(snp_x87_empty_mask(0xffff), 0xff);
	assert_int_equal(snp_x87_empty_mask(0xc003), 0x81);
}

static struct snp_cpu_state good_long_mode(void)
{
	struct snp_cpu_state s;

	memset(&s, 0, sizeof(s));
	s.efer = 0x1000 | 0x500; /* SVME, LME, LMA */
	s.cr0 = 0x80000011;	 /* PG, ET, PE */
	s.cr4 = 0x20;		 /* PAE */
	s.seg[SNP_SEG_CS].flags = snp_seg_attrib_to_flags(0xa9b);
	s.sev_features = SEV_FEAT_SNP_ACTIVE;
	s.vmpl = 3;
	s.dr6 = 0xffff0ff0;
	s.dr7 = 0x400;
	return s;
}

/* APM vol. 2 15.5.1 consistency checks, 15.20 event types. */
static void test_check(void **state)
{
	struct snp_cpu_state s;

	(void)state;
	s = good_long_mode();
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_OK);
	s.cr0 |= 0x60000000; /* CD and NW together are legal */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_OK);
	s.event_inj = 0x80000000u | (3u << 8) | 14; /* #PF exception */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_OK);

	s = good_long_mode();
	s.efer &= ~0x1000ull;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_SVME_CLEAR);
	s = good_long_mode();
	s.sev_features = SEV_FEAT_DEBUG_SWAP;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_NOT_SNP);
	s = good_long_mode();
	s.vmpl = 4;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_BAD_VMPL);
	s = good_long_mode();
	s.cr0 |= 0x20000000; /* NW without CD */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_CR0_CD_NW);
	s = good_long_mode();
	s.cr0 |= 1ull << 32;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_CR0_HIGH);
	s = good_long_mode();
	s.dr7 |= 1ull << 40;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_DR_HIGH);
	s = good_long_mode();
	s.dr6 |= 1ull << 63;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_DR_HIGH);
	s = good_long_mode();
	s.cr4 = 0;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_LONG_NO_PAE);
	s = good_long_mode();
	s.cr0 &= ~1ull;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_LONG_NO_PE);
	s = good_long_mode();
	s.seg[SNP_SEG_CS].flags = snp_seg_attrib_to_flags(0xe9b); /* L and D */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_CS_L_AND_D);
	/* Without long-mode paging, L+D is not checked. */
	s.cr0 &= ~0x80000000ull;
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_OK);
	s = good_long_mode();
	s.event_inj = 0x80000000u | (1u << 8) | 32; /* reserved type 1 */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_BAD_EVENT);
	s.event_inj = (1u << 8) | 32; /* not valid: ignored */
	assert_int_equal(snp_vmsa_check(&s), SNP_VMSA_OK);
	assert_string_equal(snp_vmsa_invalid_str(SNP_VMSA_SVME_CLEAR), "EFER.SVME is clear");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_offsets),
		cmocka_unit_test(test_write_offsets_and_preserve),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_exit_code),
		cmocka_unit_test(test_seg_attrib),
		cmocka_unit_test(test_sev_status),
		cmocka_unit_test(test_x87_tags),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
