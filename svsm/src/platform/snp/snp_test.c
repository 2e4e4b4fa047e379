// SPDX-License-Identifier: MIT
/* Host unit tests of the SNP platform's pure logic, with fake instruction back ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sev/ghcb.h>
#include <sev/rmp-instr.h>
#include <sev/sev-status.h>
#include <x86/msr.h>
#include "svsmk/compiler.h"
#include "svsmk/fake_rmp.h"
#include "svsmk/platform.h"
#include "svsmk/snp.h"

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(snp_classify(0, false, 0), SNP_ENV_NATIVE); /* MSR #GP: not SEV */
	assert_int_equal(snp_classify(0, true, 0), SNP_ENV_NATIVE);
	assert_int_equal(snp_classify(SEV_STATUS_SEV | SEV_STATUS_SEV_ES, true, 0),
			 SNP_ENV_NOT_SNP);
	uint64_t snp = SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP;
	assert_int_equal(snp_classify(snp, true, RMP_INSTR_SUCCESS), SNP_ENV_OK);
	assert_int_equal(snp_classify(snp, true, RMP_INSTR_FAIL_PERMISSION), SNP_ENV_NOT_VMPL0);
	assert_non_null(strstr(snp_env_message(SNP_ENV_NOT_VMPL0), "VMPL0"));
}

static void test_vc_decode(void **state)
{
	(void)state;
	struct vc_op op;
	const uint8_t cpuid[] = {0x0f, 0xa2}, rdmsr[] = {0x0f, 0x32}, wrmsr[] = {0x0f, 0x30};
	assert_int_equal(vc_decode(SVM_EXIT_CPUID, cpuid, 2, &op), 0);
	assert_int_equal(op.action, VC_CPUID);
	assert_int_equal(op.insn_len, 2);
	assert_int_equal(vc_decode(SVM_EXIT_MSR, rdmsr, 2, &op), 0);
	assert_int_equal(op.action, VC_RDMSR);
	assert_int_equal(vc_decode(SVM_EXIT_MSR, wrmsr, 2, &op), 0);
	assert_int_equal(op.action, VC_WRMSR);
	/* The bytes must match the exit code: a CPUID exit on RDMSR bytes is refused. */
	assert_int_equal(vc_decode(SVM_EXIT_CPUID, rdmsr, 2, &op), -EINVAL);
	static const uint8_t rdtsc[] = {0x0f, 0x31}, rdtscp[] = {0x0f, 0x01, 0xf9};
	assert_int_equal(vc_decode(SVM_EXIT_RDTSC, rdtsc, 2, &op), 0);
	assert_int_equal(op.action, VC_RDTSC);
	assert_int_equal(op.insn_len, 2);
	assert_int_equal(vc_decode(SVM_EXIT_RDTSCP, rdtscp, 3, &op), 0);
	assert_int_equal(op.action, VC_RDTSCP);
	assert_int_equal(op.insn_len, 3);
	assert_int_equal(vc_decode(SVM_EXIT_RDTSCP, rdtsc, 2, &op), -EINVAL);
	/* OUT DX, AL: 8-bit, port from DX (filled later), not IN. */
	const uint8_t outb[] = {0xee};
	assert_int_equal(vc_decode(SVM_EXIT_IOIO, outb, 1, &op), 0);
	assert_int_equal(op.ioio_info, SVM_IOIO_A64 | SVM_IOIO_SZ8);
	assert_int_equal(op.insn_len, 1);
	/* 66 ED = IN AX, DX. */
	const uint8_t inw[] = {0x66, 0xed};
	assert_int_equal(vc_decode(SVM_EXIT_IOIO, inw, 2, &op), 0);
	assert_int_equal(op.ioio_info, SVM_IOIO_A64 | SVM_IOIO_SZ16 | SVM_IOIO_TYPE_IN);
	assert_int_equal(op.io_size, 2);
	assert_int_equal(op.insn_len, 2);
	/* E5 F4 = IN EAX, 0xF4: port in the immediate. */
	const uint8_t inl[] = {0xe5, 0xf4};
	assert_int_equal(vc_decode(SVM_EXIT_IOIO, inl, 2, &op), 0);
	assert_int_equal(op.ioio_info, SVM_IOIO_A64 | SVM_IOIO_SZ32 | SVM_IOIO_TYPE_IN |
					       (0xf4ull << SVM_IOIO_PORT_SHIFT));
	/* Truncated immediate, string I/O, and unhandled exit codes terminate. */
	assert_int_equal(vc_decode(SVM_EXIT_IOIO, inl, 1, &op), -EINVAL);
	const uint8_t insb[] = {0x6c};
	assert_int_equal(vc_decode(SVM_EXIT_IOIO, insb, 1, &op), -EINVAL);
	assert_int_equal(vc_decode(SVM_EXIT_NPF, cpuid, 2, &op), -EINVAL);
	assert_int_equal(op.action, VC_UNSUPPORTED);
}

static void test_cpuid_lookup(void **state)
{
	(void)state;
	static struct snp_cpuid_table t;
	memset(&t, 0, sizeof(t));
	t.count = 4;
	t.fn[0] = (struct snp_cpuid_fn){.eax_in = 0x1, .eax = 0xa00f11};
	t.fn[1] = (struct snp_cpuid_fn){.eax_in = 0x7, .ecx_in = 0, .ebx = 0x111};
	t.fn[2] = (struct snp_cpuid_fn){.eax_in = 0x7, .ecx_in = 1, .eax = 0x222};
	t.fn[3] = (struct snp_cpuid_fn){.eax_in = 0x8000001f, .eax = 0x1b, .ebx = 0x33};
	struct cpuid_result r;
	assert_int_equal(snp_cpuid_lookup(&t, 0x1, 0, &r), 0);
	assert_int_equal(r.eax, 0xa00f11);
	/* Leaf 1 only appears with subleaf 0: any subleaf gets that entry. */
	assert_int_equal(snp_cpuid_lookup(&t, 0x1, 5, &r), 0);
	assert_int_equal(r.eax, 0xa00f11);
	assert_int_equal(snp_cpuid_lookup(&t, 0x7, 1, &r), 0);
	assert_int_equal(r.eax, 0x222);
	/* Leaf 7 is subleaf-indexed in the table: subleaf 2 is absent, answered with zeros. */
	assert_int_equal(snp_cpuid_lookup(&t, 0x7, 2, &r), -ENOENT);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(snp_cpuid_lookup(&t, 0x8000001f, 0, &r), 0);
	assert_int_equal(r.ebx, 0x33);
	assert_int_equal(snp_cpuid_lookup(&t, 0x2, 0, &r), -ENOENT);
	t.count = 65; /* corrupt: more than the page holds */
	assert_int_equal(snp_cpuid_lookup(&t, 0x1, 0, &r), -EINVAL);
}

static void test_vbitmap(void **state)
{
	(void)state;
	uint64_t bits[4] = {0};
	struct vbitmap b = {bits, 256};
	assert_int_equal(vbitmap_set(&b, 0x3000, 70, true), 0);
	assert_int_equal(vbitmap_state(&b, 0x3000, 70), 1);
	assert_int_equal(vbitmap_state(&b, 0x2000, 2), -1);
	assert_int_equal(vbitmap_state(&b, 0x0, 3), 0);
	assert_int_equal(vbitmap_set(&b, 0x3000, 1, false), 0);
	assert_int_equal(vbitmap_state(&b, 0x3000, 70), -1);
	/* Out of range or misaligned: refused, nothing written. */
	assert_int_equal(vbitmap_set(&b, 255 * 4096, 2, true), -EINVAL);
	assert_int_equal(vbitmap_set(&b, 0x3001, 1, true), -EINVAL);
	assert_int_equal(vbitmap_state(&b, 255 * 4096, 1), 0);
}

#define RMP_PAGES 4096 /* 16 MiB */
static struct fake_page pages[RMP_PAGES];
static uint8_t chunks[RMP_PAGES / 512];

static void test_pvalidate_fallback(void **state)
{
	(void)state;
	struct fake_rmp f;
	struct core_backend be = {0};
	fake_rmp_init(&f, 0, RMP_PAGES, pages, chunks, 0, 0);
	fake_rmp_backend(&f, &be);
	chunks[1] = 1; /* [2M,4M) is one 2 MiB RMP entry; [4M,6M) is 4 KiB entries */
	struct pv_ops ops = {&f, be.pvalidate};
	uint64_t bits[RMP_PAGES / 64] = {0};
	struct vbitmap vb = {bits, RMP_PAGES};
	struct pv_stats st = {0};
	/* [2M-8K, 6M+4K): 2 head pages, one 2M op, a 4K-backed 2M (fallback), 1 tail page. */
	assert_int_equal(pvalidate_range(&ops, &vb, 0x1fe000, 2 + 1024 + 1, 1, &st), 0);
	assert_int_equal(st.ops_2m, 1);
	assert_int_equal(st.fallbacks, 1);
	assert_int_equal(st.ops_4k, 2 + 512 + 1);
	assert_int_equal(vbitmap_state(&vb, 0x1fe000, 1027), 1);
	assert_true(pages[0x400].valid && pages[0x600].valid && !pages[0x601].valid);
	/* Again: every page unchanged (CF=1) is accepted. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(pvalidate_range(&ops, &vb, 0x200000, 512, 1, &st), 0);
	assert_int_equal(st.unchanged, 1);
	/* A failure stops the walk and is reported; pages before it stay done. */
	f.fail_gpa = 0x800000 + 0x3000;
	f.fail_eax = RMP_INSTR_FAIL_INPUT;
	assert_int_equal(pvalidate_range(&ops, &vb, 0x800000, 8, 1, NULL), -1);
	assert_int_equal(vbitmap_state(&vb, 0x800000, 3), 1);
	assert_int_equal(vbitmap_state(&vb, 0x803000, 1), 0);
	assert_int_equal(pvalidate_range(&ops, &vb, 0x800001, 1, 1, NULL), -1);
}

static void test_psc_fill(void **state)
{
	(void)state;
	static struct snp_psc_desc d;
	/* 1 page before a 2 MiB boundary, two 2 MiB pages, 3 tail pages. */
	uint64_t n = psc_fill(&d, 0x1ff000, 1 + 1024 + 3, SNP_PSC_OP_SHARED);
	assert_int_equal(n, 1028);
	assert_int_equal(d.hdr.cur_entry, 0);
	assert_int_equal(d.hdr.end_entry, 5);
	assert_int_equal(snp_psc_entry_page_size(d.entries[0]), SNP_PSC_PAGE_4K);
	assert_int_equal(snp_psc_entry_page_size(d.entries[1]), SNP_PSC_PAGE_2M);
	assert_int_equal(snp_psc_entry_gfn(d.entries[2]), 0x400);
	assert_int_equal(snp_psc_entry_op(d.entries[5]), SNP_PSC_OP_SHARED);
	/* More 4K pages than one request holds: 253 entries, the rest is for the next. */
	n = psc_fill(&d, 0x1000, 600, SNP_PSC_OP_PRIVATE);
	assert_int_equal(n, SNP_PSC_MAX_ENTRIES);
	assert_int_equal(d.hdr.end_entry, SNP_PSC_MAX_ENTRIES - 1);
	assert_int_equal(psc_check_done(&d), -EIO);
	d.hdr.cur_entry = SNP_PSC_MAX_ENTRIES;
	assert_int_equal(psc_check_done(&d), 0);
}

static void test_vmsa_build(void **state)
{
	(void)state;
	static struct sev_vmsa v, ctx;
	vmsa_build_guest(&v, NULL, 2, 0x1);
	assert_int_equal(v.vmpl, 2);
	assert_int_equal(v.rip, 0xfff0);
	assert_int_equal(v.cs.base, 0xffff0000ull);
	assert_int_equal(v.cs.selector, 0xf000);
	assert_true(v.efer & EFER_SVME);
	assert_int_equal(v.sev_features, 0x1);
	assert_int_equal(v.cr0, 0x60000010);
	/* From an IGVM context: its registers, our VMPL/features/SVME, exit state cleared. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.rip = 0x100000;
	ctx.cr0 = 0x11;
	ctx.vmpl = 0;
	ctx.guest_exit_code = 0x403;
	vmsa_build_guest(&v, &ctx, 2, 0x5);
	assert_int_equal(v.rip, 0x100000);
	assert_int_equal(v.cr0, 0x11);
	assert_int_equal(v.vmpl, 2);
	assert_int_equal(v.guest_exit_code, 0);
	assert_true(v.efer & EFER_SVME);
	assert_int_equal(v.sev_features, 0x5);
	/* The 32-bit start of our own test guest (include/svsm/guest-launch.h). */
	struct guest_start32 g = {0x2000040, 0x54534756, 51,	   0x1000000,
				  0x800000,  0xffb000,	 0x1234000};
	vmsa_guest_ctx32(&ctx, &g);
	vmsa_build_guest(&v, &ctx, 2, 0x1);
	assert_int_equal(v.rip, 0x2000040);
	assert_int_equal(v.cs.selector, 0x08);
	assert_int_equal(v.cs.base, 0);
	assert_int_equal(v.cs.limit, 0xffffffffu);
	assert_true((v.cs.attrib & (SEV_SEG_ATTR_DB | SEV_SEG_ATTR_P)) ==
		    (SEV_SEG_ATTR_DB | SEV_SEG_ATTR_P));
	assert_false(v.cs.attrib & SEV_SEG_ATTR_L);
	assert_int_equal(v.ss.selector, 0x10);
	assert_int_equal(v.cr0 & 0x80000001u, 1); /* PE, no PG */
	assert_int_equal(v.rax, 0x54534756);
	assert_int_equal(v.rbx, 51);
	assert_int_equal(v.rsi, 0xffb000);
	assert_int_equal(v.rdi, 0x1234000);
	assert_int_equal(v.vmpl, 2);
	assert_true(v.efer & EFER_SVME);
	struct cpu_start_state st = {.cr3 = 0x123000,
				     .rip = 0xffffffff80001000ull,
				     .rsp = 0xffffff0000008000ull,
				     .arg = 3};
	struct svsm_ap_ctl ctl = {.cr0 = 0x80050033,
				  .cr4 = 0x6a0,
				  .efer = 0xd01,
				  .pat = 7,
				  .xcr0 = 1,
				  .sev_features = 1,
				  .gdt_base = 0xffffffff80100000ull,
				  .gdt_limit = 0x3f,
				  .cs = 0x8,
				  .ds = 0x10};
	vmsa_build_svsm_ap(&v, &st, &ctl);
	assert_int_equal(v.vmpl, 0);
	assert_int_equal(v.rdi, 3);
	assert_int_equal(v.cr3, 0x123000);
	assert_true(v.cs.attrib & SEV_SEG_ATTR_L);
	assert_int_equal(v.cs.selector, 0x8);
	assert_true(v.efer & EFER_SVME);
	assert_int_equal(v.gdtr.base, 0xffffffff80100000ull);
}

static void test_perm_ranges(void **state)
{
	(void)state;
	struct memmap map = {0};
	memmap_add(&map, 0, 0xa0000, MEM_RAM);
	memmap_add(&map, 0x100000, 0x3f00000, MEM_RAM); /* to 64 MiB */
	memmap_add(&map, 0xfec00000, 0x1000, MEM_RESERVED);
	const struct perm_range excl[] = {
		{0x1000000, 0x800000, 0}, /* SVSM region 16-24 MiB */
		{0xffc000, 0x4000, 0},	  /* its boot pages below */
		{0x10000, 0x1000, 0},	  /* a VMSA */
	};
	struct perm_range out[64];
	int n = perm_ranges(&map, excl, 3, out, 64);
	assert_true(n > 0);
	uint64_t total = 0;
	for (int i = 0; i < n; i++) {
		total += out[i].len;
		for (size_t j = 0; j < 3; j++)
			assert_false(out[i].gpa < excl[j].gpa + excl[j].len &&
				     excl[j].gpa < out[i].gpa + out[i].len);
		if (out[i].size == RMP_PG_SIZE_2M)
			assert_true((out[i].gpa % 0x200000) == 0 && (out[i].len % 0x200000) == 0);
		assert_false(out[i].gpa >= 0xa0000 && out[i].gpa < 0x100000);
	}
	assert_int_equal(total, 0xa0000 + 0x3f00000 - 0x800000 - 0x4000 - 0x1000);
	/* Too small an output array: -ENOSPC, not a silent truncation. */
	assert_int_equal(perm_ranges(&map, excl, 3, out, 2), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),	   cmocka_unit_test(test_vc_decode),
		cmocka_unit_test(test_cpuid_lookup),	   cmocka_unit_test(test_vbitmap),
		cmocka_unit_test(test_pvalidate_fallback), cmocka_unit_test(test_psc_fill),
		cmocka_unit_test(test_vmsa_build),	   cmocka_unit_test(test_perm_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
