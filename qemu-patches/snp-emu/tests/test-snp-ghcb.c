/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the hypervisor side of the GHCB (snp-ghcb.c, extracted from
 * our QEMU patches): the MSR protocol, the GHCB page with its valid bitmap,
 * every NAE event the emulated hypervisor answers, page state changes with
 * partial progress, and hostile GHCB contents, which must get the spec's
 * error and change nothing. Expectations cite the GHCB spec (pub. 56421).
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
#include "sev/psc.h"
#include "sev/vmsa.h"
#include "guest-ram-fixture.h"
#include "snp-ghcb.h"
#include "snp-rmp.h"

#define ASID	 1u
#define PG	 SNP_RMP_PAGE_SIZE
#define MB2	 SNP_RMP_2M_SIZE
#define NPAGES	 (4 * SNP_RMP_PAGES_PER_2M) /* RMP over 8 MiB */
#define RAM_TOP	 (3 * MB2)		    /* the last 2 MiB is not RAM */
#define GHCB_GPA (2 * PG)
#define SCRATCH	 (GHCB_GPA + offsetof(struct ghcb, shared_buffer))
#define CBIT	 47
#define OFF(f)	 offsetof(struct ghcb_save_area, f)

struct fixture {
	struct guest_ram ram; /* first: the GHCB ops' opaque is the fixture */
	struct snp_rmp rmp;
	struct snp_rmp_entry entries[NPAGES];
	struct snp_ghcb_ops ops;
	struct snp_ghcb_hv hv;
	struct snp_ghcb_vcpu vcpu;
	/* What the machine saw. */
	unsigned int io_count;
	uint16_t io_port;
	unsigned int io_size;
	uint32_t io_val[8];
	unsigned int mmio_count;
	uint64_t mmio_gpa;
	uint8_t mmio_data[8];
	uint64_t msr_c0010010;
	unsigned int vmpl_calls;
	unsigned int vmpl_target;
	unsigned int ap_calls;
	struct snp_ghcb_ap_create ap;
	unsigned int hold_calls;
	uint64_t jump_table;
};

static uint32_t io_in(void *opaque, uint16_t port, unsigned int size)
{
	struct fixture *f = opaque;

	f->io_port = port;
	f->io_size = size;
	f->io_count++;
	return 0xa0u + f->io_count;
}

static void io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct fixture *f = opaque;

	f->io_port = port;
	f->io_size = size;
	if (f->io_count < 8) {
		f->io_val[f->io_count] = val;
	}
	f->io_count++;
}

static bool mmio(void *opaque, uint64_t gpa, void *buf, unsigned int len, bool write)
{
	struct fixture *f = opaque;

	f->mmio_count++;
	f->mmio_gpa = gpa;
	if (write) {
		memcpy(f->mmio_data, buf, len);
	} else {
		for (unsigned int i = 0; i < len; i++) {
			((uint8_t *)buf)[i] = (uint8_t)(0x10 + i);
		}
	}
	return true;
}

/* The emulated hypervisor knows one MSR, C001_0010h; others are #GP. */
static bool rdmsr_cb(void *opaque, uint32_t index, uint64_t *val)
{
	struct fixture *f = opaque;

	if (index != 0xc0010010u) {
		return false;
	}
	*val = f->msr_c0010010;
	return true;
}

static bool wrmsr_cb(void *opaque, uint32_t index, uint64_t val)
{
	struct fixture *f = opaque;

	if (index != 0xc0010010u) {
		return false;
	}
	f->msr_c0010010 = val;
	return true;
}

static void cpuid_cb(void *opaque, uint32_t fn, uint32_t index, uint64_t xcr0, uint32_t regs[4])
{
	(void)opaque;
	regs[0] = fn ^ 0x11110000u;
	regs[1] = index ^ 0x22220000u;
	regs[2] = (uint32_t)xcr0;
	regs[3] = 0x44444444u;
}

static uint64_t rdtsc_cb(void *opaque)
{
	(void)opaque;
	return 0x123456789abcdef0ull;
}

static uint32_t tsc_aux_cb(void *opaque)
{
	(void)opaque;
	return 7;
}

static int run_vmpl_cb(void *opaque, unsigned int vmpl)
{
	struct fixture *f = opaque;

	f->vmpl_calls++;
	f->vmpl_target = vmpl;
	return 0;
}

static int ap_create_cb(void *opaque, const struct snp_ghcb_ap_create *req)
{
	struct fixture *f = opaque;

	f->ap_calls++;
	f->ap = *req;
	return 0;
}

static void ap_reset_hold_cb(void *opaque)
{
	struct fixture *f = opaque;

	f->hold_calls++;
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
		.io_in = io_in,
		.io_out = io_out,
		.mmio = mmio,
		.rdmsr = rdmsr_cb,
		.wrmsr = wrmsr_cb,
		.cpuid = cpuid_cb,
		.rdtsc = rdtsc_cb,
		.tsc_aux = tsc_aux_cb,
		.run_vmpl = run_vmpl_cb,
		.ap_create = ap_create_cb,
		.ap_reset_hold = ap_reset_hold_cb,
	};
	f->hv = (struct snp_ghcb_hv){.rmp = &f->rmp,
				     .ops = &f->ops,
				     .asid = ASID,
				     .cbitpos = CBIT,
				     .ap_jump_table = &f->jump_table};
	*state = f;
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

static struct snp_ghcb_result msr_call(struct fixture *f, uint64_t *msr)
{
	return snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, msr);
}

static void assign(struct fixture *f, uint64_t gpa, bool big)
{
	struct snp_rmp_update u = {.gpa = gpa, .asid = ASID, .assigned = true, .page_size_2m = big};

	assert_int_equal(snp_rmp_update(&f->rmp, gpa, &u), 0);
}

static const struct snp_rmp_entry *entry(struct fixture *f, uint64_t gpa)
{
	return snp_rmp_lookup(&f->rmp, gpa);
}

static bool is_private(struct fixture *f, uint64_t gpa)
{
	const struct snp_rmp_entry *e = entry(f, gpa);

	return e && e->assigned && e->asid == ASID;
}

/* Register the GHCB (2.3.1) and clear it. */
static void register_ghcb(struct fixture *f)
{
	uint64_t msr = ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, GHCB_GPA / PG);

	msr_call(f, &msr);
	assert_int_equal(msr, ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, GHCB_GPA / PG));
	memset(ghcb_of(f), 0, PG);
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

/* Fill the three mandatory fields and run VMGEXIT on the GHCB page. */
static struct snp_ghcb_result nae(struct fixture *f, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct ghcb *g = ghcb_of(f);
	uint64_t msr = GHCB_GPA;

	put(g, OFF(sw_exit_code), code);
	put(g, OFF(sw_exit_info_1), info1);
	put(g, OFF(sw_exit_info_2), info2);
	return snp_ghcb_vmgexit(&f->hv, f, &f->vcpu, &msr);
}

static void assert_error(struct fixture *f, uint64_t reason)
{
	const struct ghcb *g = ghcb_of(f);

	/* 4.1: SW_EXITINFO1 = 2, reason in SW_EXITINFO2, both marked valid. */
	assert_int_equal(g->save.sw_exit_info_1, GHCB_HV_RESP_MALFORMED_INPUT);
	assert_int_equal(g->save.sw_exit_info_2, reason);
	assert_true(ghcb_is_valid(g, OFF(sw_exit_info_1)));
	assert_true(ghcb_is_valid(g, OFF(sw_exit_info_2)));
}

static void assert_ok(struct fixture *f)
{
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_1, 0);
}

/* ------------------------------------------------------------------ MSR protocol */

/* 2.3.1: SEV information: max/min protocol version and the C-bit. */
static void test_msr_sev_info(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = GHCB_MSR_SEV_INFO_REQ;

	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_RESUME);
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_SEV_INFO_RESP);
	assert_int_equal(ghcb_msr_sev_info_max(msr), 2);
	assert_int_equal(ghcb_msr_sev_info_min(msr), 1);
	assert_int_equal(ghcb_msr_sev_info_cbit(msr), CBIT);
}

/* 2.3.1: CPUID request returns the selected register of the function. */
static void test_msr_cpuid(void **state)
{
	struct fixture *f = *state;
	uint64_t msr;

	for (unsigned int r = 0; r < 4; r++) {
		uint32_t regs[4];

		cpuid_cb(NULL, 0x8000001fu, 0, 1, regs);
		msr = ghcb_msr_cpuid_req(0x8000001fu, r);
		msr_call(f, &msr);
		assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_CPUID_RESP);
		assert_int_equal(ghcb_msr_cpuid_reg(msr), r);
		assert_int_equal(ghcb_msr_cpuid_value(msr), regs[r]);
	}
	/* The lying hypervisor flips EAX bit 0; the other registers stay. */
	f->hv.lies = SNP_GHCB_LIE_CPUID;
	msr = ghcb_msr_cpuid_req(0x8000001fu, GHCB_CPUID_REG_EAX);
	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_cpuid_value(msr), (0x8000001fu ^ 0x11110000u) ^ 1u);
	msr = ghcb_msr_cpuid_req(0x8000001fu, GHCB_CPUID_REG_EDX);
	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_cpuid_value(msr), 0x44444444u);
}

/* 2.3.1: no preferred GHCB GPA; registration echoes the GFN, or all ones. */
static void test_msr_ghcb_gpa(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = GHCB_MSR_PREF_GPA_REQ;

	msr_call(f, &msr);
	assert_int_equal(msr, ghcb_msr_gfn_make(GHCB_MSR_PREF_GPA_RESP, GHCB_MSR_GFN_NONE));

	register_ghcb(f);
	assert_true(f->vcpu.registered);
	assert_int_equal(f->vcpu.registered_gpa, GHCB_GPA);

	/* A GPA outside RAM is refused and the registration stays. */
	msr = ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_REQ, RAM_TOP / PG);
	msr_call(f, &msr);
	assert_int_equal(msr, ghcb_msr_gfn_make(GHCB_MSR_REG_GPA_RESP, GHCB_MSR_GFN_NONE));
	assert_int_equal(f->vcpu.registered_gpa, GHCB_GPA);
}

/* 2.3.1: page state change of one 4 KiB page; errors change nothing. */
static void test_msr_psc(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = ghcb_msr_psc_req(5, GHCB_MSR_PSC_OP_PRIVATE);

	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_PSC_RESP);
	assert_int_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_true(is_private(f, 5 * PG));
	assert_false(entry(f, 5 * PG)->validated);

	msr = ghcb_msr_psc_req(5, GHCB_MSR_PSC_OP_SHARED);
	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_false(entry(f, 5 * PG)->assigned);

	/* Bad operation, GFN outside RAM: an error, the RMP unchanged. */
	msr = ghcb_msr_psc_req(5, 3);
	msr_call(f, &msr);
	assert_int_not_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_false(entry(f, 5 * PG)->assigned);
	msr = ghcb_msr_psc_req(RAM_TOP / PG, GHCB_MSR_PSC_OP_PRIVATE);
	msr_call(f, &msr);
	assert_int_not_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_false(entry(f, RAM_TOP)->assigned);

	/* The lying hypervisor claims success and does nothing. */
	f->hv.lies = SNP_GHCB_LIE_PSC;
	msr = ghcb_msr_psc_req(6, GHCB_MSR_PSC_OP_PRIVATE);
	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_psc_resp_error(msr), 0);
	assert_false(entry(f, 6 * PG)->assigned);
}

/* 2.3.1: feature bitmap: SNP, AP creation and multi-VMPL when offered. */
static void test_msr_hv_features(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = GHCB_MSR_HV_FT_REQ;

	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_HV_FT_RESP);
	assert_int_equal(ghcb_msr_hv_ft(msr),
			 GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL);
	f->ops.run_vmpl = NULL;
	f->ops.ap_create = NULL;
	msr = GHCB_MSR_HV_FT_REQ;
	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_hv_ft(msr), GHCB_HV_FT_SNP);
}

/* 2.3.1: termination carries the reason set and code; the MSR is kept. */
static void test_msr_terminate(void **state)
{
	struct fixture *f = *state;
	uint64_t req = ghcb_msr_term_req(1, 0x42);
	uint64_t msr = req;
	struct snp_ghcb_result r = msr_call(f, &msr);

	assert_int_equal(r.exit, SNP_GHCB_TERMINATE);
	assert_int_equal(r.term_set, 1);
	assert_int_equal(r.term_code, 0x42);
	assert_int_equal(msr, req);
}

/* 2.3.1: Run VMPL goes to the VMPL code; errors are non-zero responses. */
static void test_msr_run_vmpl(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = ghcb_msr_vmpl_req(1);

	msr_call(f, &msr);
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_VMPL_RESP);
	assert_int_equal(ghcb_msr_vmpl_resp_error(msr), 0);
	assert_int_equal(f->vmpl_calls, 1);
	assert_int_equal(f->vmpl_target, 1);

	msr = ghcb_msr_vmpl_req(4); /* four VMPLs: 0..3 */
	msr_call(f, &msr);
	assert_int_not_equal(ghcb_msr_vmpl_resp_error(msr), 0);
	f->hv.lies = SNP_GHCB_LIE_RUN_VMPL;
	msr = ghcb_msr_vmpl_req(0);
	msr_call(f, &msr);
	assert_int_not_equal(ghcb_msr_vmpl_resp_error(msr), 0);
	f->hv.lies = 0;
	f->ops.run_vmpl = NULL;
	msr = ghcb_msr_vmpl_req(0);
	msr_call(f, &msr);
	assert_int_not_equal(ghcb_msr_vmpl_resp_error(msr), 0);
	assert_int_equal(f->vmpl_calls, 1);
}

/* An unknown request code leaves the MSR as it was. */
static void test_msr_unknown(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = 0x1234567800000fffull;

	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_RESUME);
	assert_int_equal(msr, 0x1234567800000fffull);
}

/*
 * 2.3.1 Table 2, AP Reset Hold: request 006h, response 007h with
 * GHCBData[63:12] 0 until a SIPI releases the AP, then non-zero (Linux
 * GHCB_MSR_AP_RESET_HOLD_RESULT). Without the feature: like an unknown code.
 */
static void test_msr_ap_reset_hold(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = GHCB_MSR_AP_RESET_HOLD_REQ;

	assert_false(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));
	assert_int_equal(msr, GHCB_MSR_AP_RESET_HOLD_REQ);

	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_RESUME);
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_AP_RESET_HOLD_RESP);
	assert_int_equal(ghcb_msr_ap_reset_hold_result(msr), 0);
	assert_int_equal(f->hold_calls, 1);

	assert_true(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));
	assert_int_equal(ghcb_msr_info(msr), GHCB_MSR_AP_RESET_HOLD_RESP);
	assert_int_not_equal(ghcb_msr_ap_reset_hold_result(msr), 0);
	/* The hold is over: a second SIPI answers nothing. */
	msr = 0x5000;
	assert_false(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));
	assert_int_equal(msr, 0x5000);

	f->ops.ap_reset_hold = NULL;
	msr = GHCB_MSR_AP_RESET_HOLD_REQ;
	msr_call(f, &msr);
	assert_int_equal(msr, GHCB_MSR_AP_RESET_HOLD_REQ);
	assert_int_equal(f->hold_calls, 1);
}

/* ------------------------------------------------------------ GHCB page checks */

/* SNP: VMGEXIT with an unregistered or private GHCB stops the guest. */
static void test_page_unregistered_or_private(void **state)
{
	struct fixture *f = *state;
	uint64_t msr = GHCB_GPA;

	put(ghcb_of(f), OFF(sw_exit_code), SVM_EXIT_RDTSC);
	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_STOP);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_1, 0);
	msr = 0; /* GPA 0 was never registered either */
	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_STOP);

	register_ghcb(f);
	assign(f, GHCB_GPA, false);
	put(ghcb_of(f), OFF(sw_exit_code), SVM_EXIT_RDTSC);
	msr = GHCB_GPA;
	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_STOP);
	assert_int_equal(get(ghcb_of(f), OFF(rax)), 0);
}

/* 4.1: SW_EXITCODE / SW_EXITINFO1 / SW_EXITINFO2 must be marked valid. */
static void test_page_missing_valid_bits(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;
	uint64_t msr = GHCB_GPA;

	register_ghcb(f);
	g = ghcb_of(f);
	g->save.sw_exit_code = SVM_EXIT_IOIO;
	g->save.sw_exit_info_1 = (0x80ull << SVM_IOIO_PORT_SHIFT) | SVM_IOIO_SZ8;
	put(g, OFF(sw_exit_info_2), 0);
	put(g, OFF(rax), 0x55);
	assert_int_equal(msr_call(f, &msr).exit, SNP_GHCB_RESUME);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->io_count, 0);
	/* Only the response is valid now: the guest's RAX bit was cleared. */
	assert_false(ghcb_is_valid(g, OFF(rax)));
}

/* 4.1: GHCB usage other than 0, unknown exit codes: errors, no effect. */
static void test_page_bad_usage_and_event(void **state)
{
	struct fixture *f = *state;

	register_ghcb(f);
	ghcb_of(f)->ghcb_usage = 1;
	nae(f, SVM_EXIT_RDTSC, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_USAGE);
	assert_false(ghcb_is_valid(ghcb_of(f), OFF(rax)));

	ghcb_of(f)->ghcb_usage = 0;
	nae(f, 0x8000abcdull, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	nae(f, SVM_VMGEXIT_UNSUPPORTED, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
}

/* ------------------------------------------------------------------ NAE events */

static uint64_t ioio(uint16_t port, uint64_t flags)
{
	return ((uint64_t)port << SVM_IOIO_PORT_SHIFT) | flags;
}

/* IOIO: OUT/IN of 1, 2, 4 bytes through RAX; the size is masked. */
static void test_nae_ioio(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	put(g, OFF(rax), 0x11223344aabbccddull);
	nae(f, SVM_EXIT_IOIO, ioio(0xe9, SVM_IOIO_SZ16), 0);
	assert_ok(f);
	assert_int_equal(f->io_port, 0xe9);
	assert_int_equal(f->io_size, 2);
	assert_int_equal(f->io_val[0], 0xccdd);

	nae(f, SVM_EXIT_IOIO, ioio(0x71, SVM_IOIO_SZ32 | SVM_IOIO_TYPE_IN), 0);
	assert_ok(f);
	assert_int_equal(f->io_size, 4);
	assert_true(ghcb_is_valid(g, OFF(rax)));
	assert_int_equal(get(g, OFF(rax)), 0xa2);

	/* OUT without RAX: missing input, no port access. */
	memset(g, 0, PG);
	nae(f, SVM_EXIT_IOIO, ioio(0xe9, SVM_IOIO_SZ8), 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	/* No size, or two sizes: invalid input. */
	put(g, OFF(rax), 1);
	nae(f, SVM_EXIT_IOIO, ioio(0xe9, 0), 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	put(g, OFF(rax), 1);
	nae(f, SVM_EXIT_IOIO, ioio(0xe9, SVM_IOIO_SZ8 | SVM_IOIO_SZ16), 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->io_count, 2);
}

/* IOIO string forms: SW_EXITINFO2 elements in the shared buffer. */
static void test_nae_ioio_string(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;
	uint16_t words[3] = {0x1111, 0x2222, 0x3333};

	register_ghcb(f);
	g = ghcb_of(f);
	memcpy(g->shared_buffer, words, sizeof(words));
	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ16 | SVM_IOIO_STR | SVM_IOIO_REP), 3);
	assert_ok(f);
	assert_int_equal(f->io_count, 3);
	assert_int_equal(f->io_val[0], 0x1111);
	assert_int_equal(f->io_val[2], 0x3333);

	put(g, OFF(sw_scratch), SCRATCH + 8);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ8 | SVM_IOIO_STR | SVM_IOIO_TYPE_IN), 2);
	assert_ok(f);
	assert_int_equal(g->shared_buffer[8], 0xa4);
	assert_int_equal(g->shared_buffer[9], 0xa5);

	/* The scratch area must lie inside the shared buffer (version 2). */
	put(g, OFF(sw_scratch), GHCB_GPA + 0x100);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ8 | SVM_IOIO_STR), 1);
	assert_error(f, GHCB_ERR_INVALID_SCRATCH_AREA);
	put(g, OFF(sw_scratch), GHCB_GPA + offsetof(struct ghcb, reserved_ff0) - 2);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ32 | SVM_IOIO_STR), 1);
	assert_error(f, GHCB_ERR_INVALID_SCRATCH_AREA);
	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ32 | SVM_IOIO_STR), 1000);
	assert_error(f, GHCB_ERR_INVALID_SCRATCH_AREA);
	/* Missing SW_SCRATCH. */
	memset(g, 0, PG);
	nae(f, SVM_EXIT_IOIO, ioio(0x3f8, SVM_IOIO_SZ8 | SVM_IOIO_STR), 1);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->io_count, 5);
}

/* MMIO read/write (4.1): GPA, length <= 8, data in the scratch area. */
static void test_nae_mmio(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;
	uint64_t dev = 0xfed00000ull; /* not RAM, not covered by the RMP */

	register_ghcb(f);
	g = ghcb_of(f);
	memcpy(g->shared_buffer, "\x01\x02\x03\x04", 4);
	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_VMGEXIT_MMIO_WRITE, dev, 4);
	assert_ok(f);
	assert_int_equal(f->mmio_gpa, dev);
	assert_memory_equal(f->mmio_data, "\x01\x02\x03\x04", 4);

	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_VMGEXIT_MMIO_READ, dev + 8, 8);
	assert_ok(f);
	assert_int_equal(g->shared_buffer[0], 0x10);
	assert_int_equal(g->shared_buffer[7], 0x17);

	/* More than 8 bytes, or a private page: invalid input, no access. */
	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_VMGEXIT_MMIO_READ, dev, 9);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assign(f, 7 * PG, false);
	put(g, OFF(sw_scratch), SCRATCH);
	nae(f, SVM_VMGEXIT_MMIO_READ, 7 * PG, 4);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	memset(g, 0, PG);
	nae(f, SVM_VMGEXIT_MMIO_READ, dev, 4);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->mmio_count, 2);
}

/* MSR NAE: read / write; an MSR the hypervisor refuses asks for #GP(0). */
static void test_nae_msr(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	put(g, OFF(rcx), 0xc0010010u);
	put(g, OFF(rax), 0xffffffff89abcdefull); /* only EAX counts */
	put(g, OFF(rdx), 0x01234567u);
	nae(f, SVM_EXIT_MSR, 1, 0);
	assert_ok(f);
	assert_int_equal(f->msr_c0010010, 0x0123456789abcdefull);

	put(g, OFF(rcx), 0xc0010010u);
	nae(f, SVM_EXIT_MSR, 0, 0);
	assert_ok(f);
	assert_int_equal(get(g, OFF(rax)), 0x89abcdefu);
	assert_int_equal(get(g, OFF(rdx)), 0x01234567u);
	assert_true(ghcb_is_valid(g, OFF(rax)) && ghcb_is_valid(g, OFF(rdx)));

	put(g, OFF(rcx), 0x12345u);
	nae(f, SVM_EXIT_MSR, 0, 0);
	/* 4.1: SW_EXITINFO1 = 1, SW_EXITINFO2 = the event (EVENTINJ, vector 13). */
	assert_int_equal(g->save.sw_exit_info_1, GHCB_HV_RESP_ISSUE_EXCEPTION);
	assert_int_equal(g->save.sw_exit_info_2,
			 13u | (SEV_EVENTINJ_TYPE_EXCEPT << SEV_EVENTINJ_TYPE_SHIFT) |
				 SEV_EVENTINJ_EV | SEV_EVENTINJ_VALID);
	assert_false(ghcb_is_valid(g, OFF(rax)));

	/* Write without RDX; bad SW_EXITINFO1. */
	memset(g, 0, PG);
	put(g, OFF(rcx), 0xc0010010u);
	put(g, OFF(rax), 5);
	nae(f, SVM_EXIT_MSR, 1, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rcx), 0xc0010010u);
	nae(f, SVM_EXIT_MSR, 2, 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->msr_c0010010, 0x0123456789abcdefull);
}

/* CPUID NAE: RAX/RCX in (XCR0 too for leaf 0Dh), four registers out. */
static void test_nae_cpuid(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	put(g, OFF(rax), 0xd);
	put(g, OFF(rcx), 1);
	put(g, OFF(xcr0), 7);
	nae(f, SVM_EXIT_CPUID, 0, 0);
	assert_ok(f);
	assert_int_equal(get(g, OFF(rax)), 0xd ^ 0x11110000u);
	assert_int_equal(get(g, OFF(rbx)), 1 ^ 0x22220000u);
	assert_int_equal(get(g, OFF(rcx)), 7);
	assert_int_equal(get(g, OFF(rdx)), 0x44444444u);
	assert_false(ghcb_is_valid(g, OFF(xcr0)));

	put(g, OFF(rax), 0xd);
	put(g, OFF(rcx), 0);
	nae(f, SVM_EXIT_CPUID, 0, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rax), 1);
	nae(f, SVM_EXIT_CPUID, 0, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
}

/* RDTSC / RDTSCP NAE: EDX:EAX (and ECX = TSC_AUX). */
static void test_nae_rdtsc(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	nae(f, SVM_EXIT_RDTSC, 0, 0);
	assert_ok(f);
	assert_int_equal(get(g, OFF(rax)), 0x9abcdef0u);
	assert_int_equal(get(g, OFF(rdx)), 0x12345678u);
	assert_false(ghcb_is_valid(g, OFF(rcx)));
	nae(f, SVM_EXIT_RDTSCP, 0, 0);
	assert_ok(f);
	assert_int_equal(get(g, OFF(rcx)), 7);
	assert_true(ghcb_is_valid(g, OFF(rcx)));
}

/* Hypervisor features NAE (4.1.10) and termination NAE (4.1.13). */
static void test_nae_features_and_terminate(void **state)
{
	struct fixture *f = *state;
	struct snp_ghcb_result r;

	register_ghcb(f);
	nae(f, SVM_VMGEXIT_HV_FEATURES, 0, 0);
	assert_ok(f);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2,
			 GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION | GHCB_HV_FT_SNP_MULTI_VMPL);

	r = nae(f, SVM_VMGEXIT_TERM_REQUEST, ghcb_term_info1(3, 0x7e), 0);
	assert_int_equal(r.exit, SNP_GHCB_TERMINATE);
	assert_int_equal(r.term_set, 3);
	assert_int_equal(r.term_code, 0x7e);
}

/* AP creation (4.1.9): fields to the VMPL code; bad inputs never reach it. */
static void test_nae_ap_creation(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	put(g, OFF(rax), 0x5);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 2, 9),
	    0x300000);
	assert_ok(f);
	assert_int_equal(f->ap_calls, 1);
	assert_int_equal(f->ap.request, SVM_VMGEXIT_AP_CREATE);
	assert_int_equal(f->ap.vmpl, 2);
	assert_int_equal(f->ap.apic_id, 9);
	assert_int_equal(f->ap.vmsa_gpa, 0x300000);
	assert_int_equal(f->ap.sev_features, 5);

	/* Destroy needs no RAX. */
	memset(g, 0, PG);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_DESTROY, 0, 9), 0);
	assert_ok(f);
	assert_int_equal(f->ap_calls, 2);

	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 9),
	    0x300000);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rax), 1);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 9),
	    0x300010);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	put(g, OFF(rax), 1);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(3, 0, 9), 0x300000);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	put(g, OFF(rax), 1);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 4, 9),
	    0x300000);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->ap_calls, 2);

	/* Without AP creation support the event is not supported. */
	f->ops.ap_create = NULL;
	put(g, OFF(rax), 1);
	nae(f, SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 9),
	    0x300000);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
}

/* Run VMPL NAE (4.1.12): SW_EXITINFO1 is the target VMPL. */
static void test_nae_run_vmpl(void **state)
{
	struct fixture *f = *state;

	register_ghcb(f);
	nae(f, SVM_VMGEXIT_SNP_RUN_VMPL, 0, 0);
	assert_ok(f);
	assert_int_equal(f->vmpl_calls, 1);
	assert_int_equal(f->vmpl_target, 0);
	nae(f, SVM_VMGEXIT_SNP_RUN_VMPL, 4, 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	f->hv.lies = SNP_GHCB_LIE_RUN_VMPL;
	nae(f, SVM_VMGEXIT_SNP_RUN_VMPL, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	f->ops.run_vmpl = NULL;
	f->hv.lies = 0;
	nae(f, SVM_VMGEXIT_SNP_RUN_VMPL, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	assert_int_equal(f->vmpl_calls, 1);
}

/* Guest request: no AMD-SP model, so not supported; bad GPAs are invalid. */
static void test_nae_guest_request(void **state)
{
	struct fixture *f = *state;

	register_ghcb(f);
	nae(f, SVM_VMGEXIT_GUEST_REQUEST, 0x100000, 0x101000);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	nae(f, SVM_VMGEXIT_GUEST_REQUEST, 0x100010, 0x101000);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	nae(f, SVM_VMGEXIT_EXT_GUEST_REQUEST, 0x100000, 0x100000);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
}

/* ------------------------------------------------------------ page state change */

/*
 * AP Reset Hold NAE 8000_0004h (Table 7): no inputs; SW_EXITINFO1 0 and
 * SW_EXITINFO2 0 until a SIPI releases the AP, which makes SW_EXITINFO2
 * non-zero in its GHCB (as KVM answers). A GHCB that stopped being shared
 * meanwhile is not written.
 */
static void test_nae_ap_reset_hold(void **state)
{
	struct fixture *f = *state;
	struct snp_rmp_update shared = {.gpa = 0};
	struct ghcb *g;
	uint64_t msr = GHCB_GPA;

	register_ghcb(f);
	g = ghcb_of(f);
	nae(f, SVM_VMGEXIT_AP_RESET_HOLD, 0, 0);
	assert_ok(f);
	assert_int_equal(g->save.sw_exit_info_2, 0);
	assert_true(ghcb_is_valid(g, OFF(sw_exit_info_2)));
	assert_int_equal(f->hold_calls, 1);

	memset(g->save.valid_bitmap, 0, sizeof(g->save.valid_bitmap));
	assert_true(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));
	assert_int_equal(msr, GHCB_GPA);
	assert_int_not_equal(g->save.sw_exit_info_2, 0);
	assert_true(ghcb_is_valid(g, OFF(sw_exit_info_2)));
	assert_false(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));

	/* Held, then the guest made its GHCB private: nothing is written. */
	nae(f, SVM_VMGEXIT_AP_RESET_HOLD, 0, 0);
	assign(f, GHCB_GPA, false);
	assert_true(snp_ghcb_ap_reset_release(&f->hv, f, &f->vcpu, &msr));
	assert_int_equal(g->save.sw_exit_info_2, 0);

	assert_int_equal(snp_rmp_update(&f->rmp, GHCB_GPA, &shared), 0);
	f->ops.ap_reset_hold = NULL;
	nae(f, SVM_VMGEXIT_AP_RESET_HOLD, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	assert_int_equal(f->hold_calls, 2);
}

/*
 * AP Jump Table NAE 8000_0005h: SW_EXITINFO1 0 sets the VM's table address
 * from SW_EXITINFO2, 1 returns it in SW_EXITINFO2; any other request is
 * malformed input and changes nothing.
 */
static void test_nae_ap_jump_table(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	nae(f, SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_SET, 0x9f000);
	assert_ok(f);
	assert_int_equal(f->jump_table, 0x9f000);
	nae(f, SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_GET, 0);
	assert_ok(f);
	assert_int_equal(g->save.sw_exit_info_2, 0x9f000);
	assert_true(ghcb_is_valid(g, OFF(sw_exit_info_2)));

	nae(f, SVM_VMGEXIT_AP_JUMP_TABLE, 2, 0x1000);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->jump_table, 0x9f000);

	f->hv.ap_jump_table = NULL;
	nae(f, SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_GET, 0);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
}

/*
 * DR7 NAE (exit codes 27h read, 37h write; SW_EXITINFO1 0 = value in RAX):
 * the hypervisor's DR7 starts at the reset value 400h (APM vol. 2
 * 13.1.1.5); bits 63:32 set give #GP (SW_EXITINFO1 1, EVENTINJ).
 */
static void test_nae_dr7(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	nae(f, SVM_EXIT_READ_DR7, 0, 0);
	assert_ok(f);
	assert_int_equal(get(g, OFF(rax)), 0x400);
	assert_true(ghcb_is_valid(g, OFF(rax)));

	memset(g, 0, PG);
	nae(f, SVM_EXIT_WRITE_DR7, 0, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rax), 0x401);
	nae(f, SVM_EXIT_WRITE_DR7, 1, 0);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	put(g, OFF(rax), 0x100000401ull);
	nae(f, SVM_EXIT_WRITE_DR7, 0, 0);
	assert_int_equal(g->save.sw_exit_info_1, GHCB_HV_RESP_ISSUE_EXCEPTION);
	assert_int_equal(g->save.sw_exit_info_2,
			 13u | (SEV_EVENTINJ_TYPE_EXCEPT << SEV_EVENTINJ_TYPE_SHIFT) |
				 SEV_EVENTINJ_EV | SEV_EVENTINJ_VALID);
	nae(f, SVM_EXIT_READ_DR7, 0, 0);
	assert_int_equal(get(g, OFF(rax)), 0x400);

	put(g, OFF(rax), 0x401);
	nae(f, SVM_EXIT_WRITE_DR7, 0, 0);
	assert_ok(f);
	assert_false(ghcb_is_valid(g, OFF(rax)));
	nae(f, SVM_EXIT_READ_DR7, 0, 0);
	assert_int_equal(get(g, OFF(rax)), 0x401);
}

/*
 * MONITOR NAE (8Ah: RAX, RCX, RDX in) and MWAIT NAE (8Bh: RAX, RCX in):
 * missing inputs are reported; complete requests succeed with no outputs.
 */
static void test_nae_monitor_mwait(void **state)
{
	struct fixture *f = *state;
	struct ghcb *g;

	register_ghcb(f);
	g = ghcb_of(f);
	put(g, OFF(rax), 0x200000);
	put(g, OFF(rcx), 0);
	nae(f, SVM_EXIT_MONITOR, 0, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rax), 0x200000);
	put(g, OFF(rcx), 0);
	put(g, OFF(rdx), 0);
	nae(f, SVM_EXIT_MONITOR, 0, 0);
	assert_ok(f);
	assert_false(ghcb_is_valid(g, OFF(rax)));

	put(g, OFF(rax), 0);
	nae(f, SVM_EXIT_MWAIT, 0, 0);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	put(g, OFF(rax), 0);
	put(g, OFF(rcx), 0);
	nae(f, SVM_EXIT_MWAIT, 0, 0);
	assert_ok(f);
}

static struct snp_psc_desc *psc_of(struct fixture *f)
{
	return (struct snp_psc_desc *)(void *)ghcb_of(f)->shared_buffer;
}

static struct snp_ghcb_result psc(struct fixture *f, uint16_t cur, uint16_t end)
{
	struct snp_psc_desc *d = psc_of(f);

	d->hdr.cur_entry = cur;
	d->hdr.end_entry = end;
	put(ghcb_of(f), OFF(sw_scratch), SCRATCH);
	return nae(f, SVM_VMGEXIT_PSC, 0, 0);
}

/* 4.1.6: a batch of 4K and 2M private/shared entries; all done. */
static void test_psc_batch(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;

	register_ghcb(f);
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	d->entries[1] = snp_psc_entry(512, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	d->entries[2] = snp_psc_entry(8, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	d->entries[3] = snp_psc_entry(9, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, 3);
	assert_ok(f);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_int_equal(d->hdr.cur_entry, 4);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[0]), 1);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[1]), 512);
	assert_false(entry(f, 8 * PG)->assigned);
	assert_true(is_private(f, 9 * PG));
	/* The free 2 MiB region became one 2 MiB RMP page. */
	assert_true(entry(f, MB2)->page_size_2m && is_private(f, MB2 + 5 * PG));

	/* A 4 KiB page of it back to shared: the 2 MiB page is smashed. */
	d->entries[0] = snp_psc_entry(512 + 3, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_false(entry(f, MB2 + 3 * PG)->assigned);
	assert_true(is_private(f, MB2 + 4 * PG) && !entry(f, MB2 + 4 * PG)->page_size_2m);
}

/* 4.1.6: a 2 MiB private page back to shared as a whole; done entries skip. */
static void test_psc_2m_shared(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;

	register_ghcb(f);
	assign(f, 2 * MB2, true);
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(1024, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_2M, 0);
	/* Already done (CUR_PAGE = 1): nothing happens to page 40. */
	d->entries[1] = snp_psc_entry(40, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 1);
	psc(f, 0, 1);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_int_equal(d->hdr.cur_entry, 2);
	assert_false(entry(f, 2 * MB2)->assigned);
	assert_false(entry(f, 2 * MB2)->page_size_2m);
	assert_false(entry(f, 2 * MB2 + 511 * PG)->assigned);
	assert_false(entry(f, 40 * PG)->assigned);
}

/* 4.1.6: an entry that cannot be done stops the batch where it stands. */
static void test_psc_partial_progress(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;
	struct snp_rmp_update firmware = {.assigned = true, .immutable = true};

	register_ghcb(f);
	/* An AMD-SP page in the middle of the second 2 MiB region. */
	assert_int_equal(snp_rmp_update(&f->rmp, MB2 + 10 * PG, &firmware), 0);
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(20, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	d->entries[1] = snp_psc_entry(512, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	d->entries[2] = snp_psc_entry(21, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, 2);
	assert_ok(f);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_GENERIC);
	/* Entry 0 done, entry 1 stopped at its page 10, entry 2 untouched. */
	assert_int_equal(d->hdr.cur_entry, 1);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[0]), 1);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[1]), 10);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[2]), 0);
	assert_true(is_private(f, 20 * PG));
	assert_true(is_private(f, MB2 + 9 * PG));
	assert_false(is_private(f, MB2 + 11 * PG));
	assert_false(entry(f, 21 * PG)->assigned);

	/* The guest resumes after the bad page: entry 1 from page 11. */
	d->entries[1] = snp_psc_entry(512, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 11);
	psc(f, 1, 2);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_int_equal(d->hdr.cur_entry, 3);
	assert_true(is_private(f, MB2 + 511 * PG));
	assert_true(is_private(f, 21 * PG));
}

/* 4.1.6: malformed headers and entries get their errors, change nothing. */
static void test_psc_hostile(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;
	const uint64_t bad[] = {
		snp_psc_entry(8, 0, SNP_PSC_PAGE_4K, 0),		    /* no operation */
		snp_psc_entry(8, 5, SNP_PSC_PAGE_4K, 0),		    /* unknown operation */
		snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 2),   /* cur_page > 1 */
		snp_psc_entry(513, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0), /* 2M unaligned */
		snp_psc_entry(512, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 513),
		snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0) | (1ull << 60),
	};

	register_ghcb(f);
	d = psc_of(f);
	/* END_ENTRY beyond the buffer (253 entries fit). */
	d->entries[0] = snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, SNP_PSC_MAX_ENTRIES);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_INVALID_HDR);
	assert_int_equal(d->hdr.cur_entry, 0);
	assert_false(entry(f, 8 * PG)->assigned);
	/* A buffer 16 bytes into the shared buffer holds 251 entries. */
	memmove((uint8_t *)d + 16, d, 16);
	d = (struct snp_psc_desc *)(void *)(ghcb_of(f)->shared_buffer + 16);
	d->hdr.cur_entry = 0;
	d->hdr.end_entry = 251;
	put(ghcb_of(f), OFF(sw_scratch), SCRATCH + 16);
	nae(f, SVM_VMGEXIT_PSC, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_INVALID_HDR);
	assert_false(entry(f, 8 * PG)->assigned);
	d->hdr.end_entry = 0;
	put(ghcb_of(f), OFF(sw_scratch), SCRATCH + 16);
	nae(f, SVM_VMGEXIT_PSC, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_true(is_private(f, 8 * PG));
	d = psc_of(f);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d->entries[0] = snp_psc_entry(30, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
		d->entries[1] = bad[i];
		psc(f, 0, 1);
		assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_INVALID_ENTRY);
		assert_int_equal(d->hdr.cur_entry, 1);
		assert_int_equal(d->entries[1], bad[i]);
		assert_false(entry(f, MB2)->assigned);
		assert_int_equal(snp_psc_entry_cur_page(d->entries[0]), 1);
	}
	/* A GFN outside RAM: the conversion fails before touching anything. */
	d->entries[0] = snp_psc_entry(RAM_TOP / PG, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_GENERIC);
	assert_int_equal(d->hdr.cur_entry, 0);
	assert_false(entry(f, RAM_TOP)->assigned);
	/* The PSC buffer must start inside the shared buffer. */
	d->hdr.end_entry = 0;
	put(ghcb_of(f), OFF(sw_scratch), GHCB_GPA);
	nae(f, SVM_VMGEXIT_PSC, 0, 0);
	assert_error(f, GHCB_ERR_INVALID_SCRATCH_AREA);
}

/* 4.1.6: PSMASH splits a 2 MiB page (Validated kept); UNSMASH merges. */
static void test_psc_psmash_unsmash(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;

	register_ghcb(f);
	assign(f, MB2, true);
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(512, SNP_PSC_OP_PSMASH, SNP_PSC_PAGE_2M, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_false(entry(f, MB2)->page_size_2m);
	assert_true(is_private(f, MB2 + 100 * PG));

	d->entries[0] = snp_psc_entry(512, SNP_PSC_OP_UNSMASH, SNP_PSC_PAGE_2M, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_true(entry(f, MB2)->page_size_2m && is_private(f, MB2 + 100 * PG));

	/* UNSMASH of a region with a shared page fails and changes nothing. */
	d->entries[0] = snp_psc_entry(512 + 7, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, 0);
	d->entries[0] = snp_psc_entry(512, SNP_PSC_OP_UNSMASH, SNP_PSC_PAGE_2M, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, SNP_PSC_ERROR_GENERIC);
	assert_false(entry(f, MB2)->page_size_2m);
	assert_true(is_private(f, MB2 + 8 * PG));
	assert_false(entry(f, MB2 + 7 * PG)->assigned);
}

/* Already private pages stay as they are (Validated kept), as with KVM. */
static void test_psc_private_keeps_validated(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;

	register_ghcb(f);
	assign(f, 12 * PG, false);
	f->entries[12].validated = true;
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	psc(f, 0, 0);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_true(entry(f, 12 * PG)->validated);
}

/* The lying hypervisor: success, entries marked done, the RMP unchanged. */
static void test_psc_lie(void **state)
{
	struct fixture *f = *state;
	struct snp_psc_desc *d;

	register_ghcb(f);
	f->hv.lies = SNP_GHCB_LIE_PSC;
	d = psc_of(f);
	d->entries[0] = snp_psc_entry(8, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	d->entries[1] = snp_psc_entry(512, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_2M, 0);
	psc(f, 0, 1);
	assert_int_equal(ghcb_of(f)->save.sw_exit_info_2, 0);
	assert_int_equal(d->hdr.cur_entry, 2);
	assert_int_equal(snp_psc_entry_cur_page(d->entries[1]), 512);
	assert_false(entry(f, 8 * PG)->assigned);
	assert_false(entry(f, MB2)->assigned);
}

/* ------------------------------------------------------------ random inputs */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

/* xorshift64*: a fixed sequence, so a failure reproduces. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* A value that is often interesting: small, near a boundary, or random. */
static uint64_t pick(void)
{
	static const uint64_t edges[] = {
		0,	 1,
		2,	 4,
		8,	 0xfff,
		0x1000,	 GHCB_GPA,
		SCRATCH, SCRATCH + GHCB_SHARED_BUFFER_SIZE - 8,
		RAM_TOP, RAM_TOP - PG,
		MB2,	 0xffffffffull,
		~0ull,
	};

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return rnd() & 0xffff;
	default:
		return rnd();
	}
}

static const uint64_t codes[] = {
	SVM_EXIT_IOIO,
	SVM_VMGEXIT_MMIO_READ,
	SVM_VMGEXIT_MMIO_WRITE,
	SVM_EXIT_MSR,
	SVM_EXIT_CPUID,
	SVM_EXIT_RDTSC,
	SVM_EXIT_RDTSCP,
	SVM_EXIT_WBINVD,
	SVM_VMGEXIT_PSC,
	SVM_VMGEXIT_HV_FEATURES,
	SVM_VMGEXIT_AP_CREATION,
	SVM_VMGEXIT_SNP_RUN_VMPL,
	SVM_VMGEXIT_GUEST_REQUEST,
	SVM_VMGEXIT_EXT_GUEST_REQUEST,
	SVM_VMGEXIT_TERM_REQUEST,
	SVM_VMGEXIT_UNSUPPORTED,
	SVM_VMGEXIT_AP_RESET_HOLD,
	SVM_VMGEXIT_AP_JUMP_TABLE,
	SVM_EXIT_READ_DR7,
	SVM_EXIT_WRITE_DR7,
	SVM_EXIT_MONITOR,
	SVM_EXIT_MWAIT,
	0x8000f00dull,
};

/* One random GHCB: random fields, random valid bits, maybe a PSC buffer. */
static void random_ghcb(struct ghcb *g)
{
	uint8_t *p = (uint8_t *)g;

	memset(g, 0, PG);
	for (unsigned int i = 0; i < 8; i++) {
		size_t off = (rnd() % (0x400 / 8)) * 8;

		memcpy(p + off, &(uint64_t){pick()}, 8);
	}
	g->save.sw_exit_code = codes[rnd() % (sizeof(codes) / sizeof(codes[0]))];
	g->save.sw_exit_info_1 = pick();
	g->save.sw_exit_info_2 = pick();
	if (rnd() % 2) {
		g->save.sw_scratch = SCRATCH + (rnd() % 4) * 8;
	}
	for (unsigned int i = 0; i < sizeof(g->save.valid_bitmap); i++) {
		g->save.valid_bitmap[i] = (uint8_t)(rnd() % 8 ? 0xff : rnd());
	}
	g->ghcb_usage = rnd() % 16 ? 0 : (uint32_t)rnd();
	if (g->save.sw_exit_code == SVM_VMGEXIT_PSC) {
		struct snp_psc_desc *d = (struct snp_psc_desc *)(void *)g->shared_buffer;
		unsigned int n = (unsigned int)(rnd() % 6);

		d->hdr.cur_entry = (uint16_t)(rnd() % 4 ? 0 : rnd());
		d->hdr.end_entry = (uint16_t)(rnd() % 8 ? n : rnd());
		for (unsigned int i = 0; i <= n; i++) {
			d->entries[i] = rnd() % 4 ? snp_psc_entry(rnd() % (NPAGES + 8),
								  1 + (unsigned int)(rnd() % 4),
								  (unsigned int)(rnd() % 2),
								  (unsigned int)(rnd() % 3))
						  : rnd();
		}
	}
}

/* Valid bits the hypervisor may set in a response (2.3.1). */
static bool only_result_bits(const struct ghcb *g)
{
	static const size_t outs[] = {
		OFF(rax), OFF(rbx), OFF(rcx), OFF(rdx), OFF(sw_exit_info_1), OFF(sw_exit_info_2)};
	struct ghcb want;

	memset(&want, 0, sizeof(want));
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (ghcb_is_valid(g, outs[i])) {
			ghcb_mark_valid(&want, outs[i]);
		}
	}
	return memcmp(want.save.valid_bitmap, g->save.valid_bitmap, 16) == 0;
}

/*
 * Random GHCB contents and MSR values: whatever the guest writes, the
 * handler answers with SW_EXITINFO1 0, 1 or 2 and result valid bits only,
 * never assigns a page outside RAM and never touches an AMD-SP page.
 */
static void test_random_inputs_keep_invariants(void **state)
{
	struct fixture *f = *state;
	struct snp_rmp_update firmware = {.assigned = true, .immutable = true};
	const char *env = getenv("SNP_GHCB_FUZZ_ITERATIONS");
	unsigned long iterations = env ? strtoul(env, NULL, 0) : 20000;

	assert_int_equal(snp_rmp_update(&f->rmp, MB2 + 10 * PG, &firmware), 0);
	register_ghcb(f);
	for (unsigned long it = 0; it < iterations; it++) {
		struct snp_ghcb_result r;
		uint64_t msr;

		if (rnd() % 4 == 0) {
			msr = rnd() % 2 ? pick() : (pick() << 12) | (rnd() % 0x120);
			if (ghcb_msr_info(msr) == GHCB_MSR_REG_GPA_REQ ||
			    ghcb_msr_info(msr) == GHCB_MSR_TERM_REQ) {
				continue; /* keep the GHCB registered; termination is final */
			}
			if (msr == GHCB_GPA) {
				continue;
			}
			r = msr_call(f, &msr);
			/* A GHCB GPA other than the registered one stops the guest. */
			assert_int_equal(r.exit,
					 ghcb_msr_info(msr) ? SNP_GHCB_RESUME : SNP_GHCB_STOP);
		} else {
			random_ghcb(ghcb_of(f));
			msr = GHCB_GPA;
			r = msr_call(f, &msr);
			if (r.exit == SNP_GHCB_RESUME) {
				assert_in_range(ghcb_of(f)->save.sw_exit_info_1, 0, 2);
				assert_true(only_result_bits(ghcb_of(f)));
			} else {
				assert_int_equal(r.exit, SNP_GHCB_TERMINATE);
			}
		}
		/* The GHCB page itself may have been made private: undo it. */
		if (entry(f, GHCB_GPA)->assigned) {
			struct snp_rmp_update shared = {.gpa = 0};

			if (entry(f, GHCB_GPA)->page_size_2m) {
				assert_int_equal(snp_rmp_psmash(&f->rmp, 0), 0);
			}
			assert_int_equal(snp_rmp_update(&f->rmp, GHCB_GPA, &shared), 0);
		}
		assert_true(entry(f, MB2 + 10 * PG)->immutable &&
			    entry(f, MB2 + 10 * PG)->asid == 0);
		for (uint64_t pa = RAM_TOP; pa < NPAGES * PG; pa += MB2) {
			assert_false(entry(f, pa)->assigned);
		}
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_msr_sev_info),
		T(test_msr_cpuid),
		T(test_msr_ghcb_gpa),
		T(test_msr_psc),
		T(test_msr_hv_features),
		T(test_msr_terminate),
		T(test_msr_run_vmpl),
		T(test_msr_unknown),
		T(test_msr_ap_reset_hold),
		T(test_page_unregistered_or_private),
		T(test_page_missing_valid_bits),
		T(test_page_bad_usage_and_event),
		T(test_nae_ioio),
		T(test_nae_ioio_string),
		T(test_nae_mmio),
		T(test_nae_msr),
		T(test_nae_cpuid),
		T(test_nae_rdtsc),
		T(test_nae_features_and_terminate),
		T(test_nae_ap_creation),
		T(test_nae_run_vmpl),
		T(test_nae_guest_request),
		T(test_nae_ap_reset_hold),
		T(test_nae_ap_jump_table),
		T(test_nae_dr7),
		T(test_nae_monitor_mwait),
		T(test_psc_batch),
		T(test_psc_2m_shared),
		T(test_psc_partial_progress),
		T(test_psc_hostile),
		T(test_psc_psmash_unsmash),
		T(test_psc_private_keeps_validated),
		T(test_psc_lie),
		T(test_random_inputs_keep_invariants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
