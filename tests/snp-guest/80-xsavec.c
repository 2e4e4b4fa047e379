/* SPDX-License-Identifier: MIT */
/*
 * XSAVEC and the compacted form of XRSTOR round trips with x87, SSE and AVX
 * state (Intel SDM vol. 1 13.4.3 compacted format, 13.8.2 compacted XRSTOR,
 * 13.10 XSAVEC; CPUID 0Dh enumeration 13.2). Every SEV-SNP processor has
 * XSAVEC and Linux's SNP CPUID-table code requires it.
 *
 * Runs only when the command line says "xsavec": suite 55 starts a plain
 * guest with a CPU model that has XSAVE, XSAVEC and AVX for it (the other
 * runs use qemu64, which has no XSAVE).
 */
#include <stdbool.h>
#include <stdint.h>

#include "x86/cr.h"
#include "x86/cpuid.h"
#include "x86/xsave.h"

#include "guest.h"
#include "lib.h"

#define AREA_SIZE 4096u
#define FILL	  0x5au

/* Values that differ from each component's initial configuration. */
#define TEST_FCW   0x0b7fu /* rounding control 10b (up), all masked */
#define TEST_MXCSR 0x5f80u /* rounding control 10b, all masked */
#define INIT_MXCSR 0x1f80u /* SDM vol. 1 13.8.2: compacted XRSTOR, XSTATE_BV[1] = 0 */

static uint8_t area[2][AREA_SIZE] __attribute__((aligned(64)));
static const uint8_t xmm_pat[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
				    0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe};
static const uint8_t ymm_pat[32] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
				    0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
				    0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
				    0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf};
/* 1.0 as an x87 80-bit value: significand 8000000000000000h, exponent 3FFFh */
static const uint8_t st_one[10] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f};

static void cpuid_sub(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xd1" /* XSETBV */
			 :
			 : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* XSAVEC (%ecx): 0F C7 /4, 3 bytes */
static void xsavec(void *p, uint64_t rfbm)
{
	__asm__ volatile(".byte 0x0f, 0xc7, 0x21"
			 :
			 : "c"(p), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
			 : "memory");
}

/* XRSTOR (%ecx): 0F AE /5, 3 bytes */
static void xrstor(const void *p, uint64_t rfbm)
{
	__asm__ volatile(".byte 0x0f, 0xae, 0x29"
			 :
			 : "c"(p), "a"((uint32_t)rfbm), "d"((uint32_t)(rfbm >> 32))
			 : "memory");
}

static void fill(uint8_t *p, uint8_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		p[i] = v;
	}
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

static bool all(const uint8_t *p, uint8_t v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

/* Make x87 ST0 = 1.0 with TEST_FCW, XMM0 = xmm_pat, MXCSR, YMM1 = ymm_pat. */
static void load_test_state(void)
{
	static const uint16_t fcw = TEST_FCW;
	static const uint32_t mxcsr = TEST_MXCSR;

	__asm__ volatile("fninit\n\tfldcw %0\n\tfld1" : : "m"(fcw));
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("movdqu %0, %%xmm0" : : "m"(xmm_pat));
	__asm__ volatile("vmovdqu %0, %%ymm1" : : "m"(ymm_pat));
}

/* Put every component in a state unlike the test state. */
static void clobber_state(void)
{
	static const uint32_t mxcsr = INIT_MXCSR;

	__asm__ volatile("fninit");
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	__asm__ volatile("vzeroall");
}

struct live_state {
	uint16_t fcw;
	uint32_t mxcsr;
	uint8_t st0[10];
	uint8_t xmm0[16];
	uint8_t ymm1[32];
};

/* Read the registers directly (not through an XSAVE instruction). */
static void read_state(struct live_state *s)
{
	__asm__ volatile("fnstcw %0" : "=m"(s->fcw));
	__asm__ volatile("stmxcsr %0" : "=m"(s->mxcsr));
	__asm__ volatile("movdqu %%xmm0, %0" : "=m"(s->xmm0));
	__asm__ volatile("vmovdqu %%ymm1, %0" : "=m"(s->ymm1));
	/* FSTP pops ST0; FLD reloads it so the stack is unchanged. */
	__asm__ volatile("fstpt %0\n\tfldt %0" : "=m"(s->st0));
}

static struct xsave_header *header(uint8_t *a)
{
	return (struct xsave_header *)(a + sizeof(struct xsave_legacy));
}

/* XRSTOR from @a must raise #GP (SDM vol. 1 13.8.2); the handler skips it. */
static void expect_xrstor_gp(uint8_t *a, const char *name)
{
	uint32_t faults = gp_count;

	gp_skip = 3;
	xrstor(a, XSTATE_X87 | XSTATE_SSE | XSTATE_AVX);
	expect(gp_count == faults + 1, name, gp_count - faults, 1);
}

static void check_xsavec(const struct snp_guest_env *env)
{
	const uint64_t rfbm = XSTATE_X87 | XSTATE_SSE | XSTATE_AVX;
	uint32_t r1[4], d1[4], d2[4];
	struct xsave_legacy *leg = (struct xsave_legacy *)area[0];
	struct live_state st;
	uint32_t avx_off, size, faults;
	uintptr_t cr4;

	if (!cmdline_has(env->cmdline, "xsavec")) {
		return;
	}
	cpuid_sub(CPUID_FN_FEATURES, 0, r1);
	cpuid_sub(CPUID_FN_XSTATE, 1, d1);
	expect((r1[2] & (CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX)) ==
			       (CPUID_1_ECX_XSAVE | CPUID_1_ECX_AVX) &&
		       (d1[0] & CPUID_D1_EAX_XSAVEC),
	       "xsavec: CPUID has XSAVE, AVX (Fn1 ECX) and XSAVEC (Fn0Dh.1 EAX[1])",
	       ((uint64_t)r1[2] << 32) | d1[0], CPUID_D1_EAX_XSAVEC);
	if (!(d1[0] & CPUID_D1_EAX_XSAVEC) || !(r1[2] & CPUID_1_ECX_AVX)) {
		return;
	}

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXSAVE;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	xsetbv(XCR_XFEATURE_ENABLED, rfbm);

	/* Compacted offset of AVX: first component after byte 576, aligned
	 * to 64 if CPUID 0Dh.2 ECX[1] (13.4.3). */
	cpuid_sub(CPUID_FN_XSTATE, 2, d2);
	expect(d2[0] == XSAVE_AVX_SIZE && d2[1] == XSAVE_AVX_STD_OFFSET,
	       "xsavec: CPUID 0Dh.2 AVX size 256 at standard offset 576",
	       ((uint64_t)d2[0] << 32) | d2[1], ((uint64_t)XSAVE_AVX_SIZE << 32) | 576);
	avx_off = XSAVE_EXT_OFFSET;
	if (d2[2] & CPUID_DN_ECX_ALIGN64) {
		avx_off = (avx_off + 63u) & ~63u;
	}
	size = avx_off + d2[0];
	/* 0Dh.1 EBX: size of the compacted area for XCR0 | IA32_XSS (13.2). */
	cpuid_sub(CPUID_FN_XSTATE, 1, d1);
	expect(d1[1] == size, "xsavec: CPUID 0Dh.1 EBX = compacted size for XCR0 = 7", d1[1], size);
	if (size > AREA_SIZE) {
		return;
	}

	/* 1. Save. */
	fill(area[0], FILL, AREA_SIZE);
	fill((uint8_t *)header(area[0]), 0, sizeof(struct xsave_header));
	load_test_state();
	xsavec(area[0], rfbm);
	expect(header(area[0])->xcomp_bv == (rfbm | XCOMP_BV_COMPACTED),
	       "xsavec: XCOMP_BV = RFBM | bit 63 (13.10)", header(area[0])->xcomp_bv,
	       rfbm | XCOMP_BV_COMPACTED);
	expect(header(area[0])->xstate_bv == rfbm,
	       "xsavec: XSTATE_BV = RFBM & XINUSE (all three in use)", header(area[0])->xstate_bv,
	       rfbm);
	expect(leg->fcw == TEST_FCW && same(leg->st[0], st_one, sizeof(st_one)),
	       "xsavec: x87 FCW and ST0 = 1.0 in the legacy region", leg->fcw, TEST_FCW);
	expect(leg->mxcsr == TEST_MXCSR && same(leg->xmm[0], xmm_pat, 16),
	       "xsavec: MXCSR and XMM0 in the legacy region", leg->mxcsr, TEST_MXCSR);
	expect(same(area[0] + avx_off + 16, ymm_pat + 16, 16),
	       "xsavec: YMM1[255:128] at the compacted AVX offset", avx_off, avx_off);
	expect(all(leg->available, FILL, sizeof(leg->available)),
	       "xsavec: bytes 511:464 not written (13.10)", leg->available[0], FILL);
	expect(all(area[0] + size, FILL, AREA_SIZE - size),
	       "xsavec: nothing written beyond the compacted size", area[0][size], FILL);

	/* 2. Clobber, restore from the compacted area, read the registers. */
	clobber_state();
	xrstor(area[0], rfbm);
	read_state(&st);
	expect(st.fcw == TEST_FCW && same(st.st0, st_one, sizeof(st_one)),
	       "xsavec: XRSTOR (compacted) restores FCW and ST0", st.fcw, TEST_FCW);
	expect(st.mxcsr == TEST_MXCSR && same(st.xmm0, xmm_pat, 16),
	       "xsavec: XRSTOR (compacted) restores MXCSR and XMM0", st.mxcsr, TEST_MXCSR);
	expect(same(st.ymm1, ymm_pat, 32), "xsavec: XRSTOR (compacted) restores all of YMM1",
	       st.ymm1[31], ymm_pat[31]);

	/* 3. XSTATE_BV[1] = 0: SSE to its initial configuration, MXCSR 1F80h. */
	for (uint32_t i = 0; i < AREA_SIZE; i++) {
		area[1][i] = area[0][i];
	}
	header(area[1])->xstate_bv = XSTATE_X87 | XSTATE_AVX;
	load_test_state();
	xrstor(area[1], rfbm);
	read_state(&st);
	expect(st.mxcsr == INIT_MXCSR && all(st.xmm0, 0, 16),
	       "xsavec: compacted XRSTOR, XSTATE_BV[1] = 0: MXCSR 1F80h, XMM0 zero (13.8.2)",
	       st.mxcsr, INIT_MXCSR);
	expect(same(st.ymm1 + 16, ymm_pat + 16, 16), "xsavec: ... and AVX still loaded",
	       st.ymm1[31], ymm_pat[31]);

	/* 4. #GP rules of the compacted form (13.8.2) and of XSAVEC (13.10). */
	header(area[1])->xstate_bv = rfbm;
	header(area[1])->xcomp_bv = rfbm | XCOMP_BV_COMPACTED | (1ull << 9);
	expect_xrstor_gp(area[1], "xsavec: XRSTOR #GP: XCOMP_BV bit not in XCR0");
	header(area[1])->xcomp_bv = XSTATE_X87 | XSTATE_SSE | XCOMP_BV_COMPACTED;
	expect_xrstor_gp(area[1], "xsavec: XRSTOR #GP: XSTATE_BV bit not in XCOMP_BV");
	header(area[1])->xcomp_bv = rfbm | XCOMP_BV_COMPACTED;
	header(area[1])->rsvd[0] = 1;
	expect_xrstor_gp(area[1], "xsavec: XRSTOR #GP: header bytes 63:16 not zero");
	header(area[1])->rsvd[0] = 0;
	header(area[1])->rsvd[5] = 1ull << 63;
	expect_xrstor_gp(area[1], "xsavec: XRSTOR #GP: header byte 63 not zero");
	faults = gp_count;
	gp_skip = 3;
	xsavec(area[1] + 16, rfbm);
	expect(gp_count == faults + 1, "xsavec: XSAVEC #GP: area not 64-byte aligned",
	       gp_count - faults, 1);
}
SNP_GUEST_TEST(check_xsavec, SNP_GUEST_MODE_PLAIN);
