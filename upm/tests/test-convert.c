// SPDX-License-Identifier: MIT
/*
 * libupm state machine against fake kernel ops: the exact sequence of calls, batching,
 * 2M handling, rollback on error, exit decoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>
#include <asm/kvm_para.h>
#include <cmocka.h>

#include "fake-ops.h"
#include "upm/upm.h"

#define K4     0x1000ULL
#define M2     0x200000ULL
#define BASE   0x40000000ULL /* slot 1 at 1 GiB, 8 MiB long */
#define SLOTSZ (4 * M2)

struct fixture {
	struct fake_kvm fake;
	struct upm_ops ops;
	struct upm *u;
	uint8_t *hva; /* never dereferenced: only an address for the fake madvise */
};

static uint8_t fake_hva[16] __attribute__((aligned(4096)));

static int setup_cfg(void **state, const struct upm_config *cfg)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->hva = fake_hva;
	fake_kvm_init(&f->fake, &f->ops, f->hva);
	f->u = upm_create(&f->ops, cfg);
	assert_non_null(f->u);
	assert_int_equal(upm_add_slot(f->u, 1, BASE, SLOTSZ, f->hva), 0);
	fake_kvm_clear(&f->fake);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_cfg(state, NULL);
}

static int setup_nobatch(void **state)
{
	struct upm_config cfg;

	upm_config_default(&cfg);
	cfg.batch_2m = false;
	return setup_cfg(state, &cfg);
}

static int setup_keep(void **state)
{
	struct upm_config cfg;

	upm_config_default(&cfg);
	cfg.shared_discard = UPM_SHARED_KEEP;
	cfg.private_discard = UPM_PRIVATE_KEEP;
	return setup_cfg(state, &cfg);
}

static int setup_remove_reject(void **state)
{
	struct upm_config cfg;

	upm_config_default(&cfg);
	cfg.shared_discard = UPM_SHARED_REMOVE;
	cfg.implicit = UPM_IMPLICIT_REJECT;
	return setup_cfg(state, &cfg);
}

static int setup_retry(void **state)
{
	struct upm_config cfg;

	upm_config_default(&cfg);
	cfg.implicit = UPM_IMPLICIT_RETRY;
	return setup_cfg(state, &cfg);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	upm_destroy(f->u);
	free(f);
	return 0;
}

static void expect_call(const struct fixture *f, unsigned int i, enum fake_call_kind kind,
			uint64_t a, uint64_t len, uint64_t arg)
{
	assert_true(i < f->fake.ncalls);
	const struct fake_call *c = &f->fake.calls[i];
	assert_int_equal(c->kind, kind);
	assert_int_equal(c->a, a);
	assert_int_equal(c->len, len);
	assert_int_equal(c->arg, arg);
}

/* Sets pages of the slot private, bypassing the checks on calls. */
static void make_private(struct fixture *f, uint64_t gpa, uint64_t size)
{
	assert_int_equal(upm_convert(f->u, gpa, size, true, UPM_ORIGIN_VMM), 0);
}

static void test_slot_starts_shared(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 0);
	assert_int_equal(upm_is_private(f->u, BASE), 0);
	assert_int_equal(upm_is_private(f->u, BASE + SLOTSZ), -ENOENT);
	assert_ptr_equal(upm_hva(f->u, BASE + 3 * K4), f->hva + 3 * K4);
	assert_null(upm_hva(f->u, BASE - K4));
}

static void test_add_slot_calls_and_errors(void **state)
{
	struct fixture *f = *state;

	/* create_gmem then set_region for the new slot */
	assert_int_equal(upm_add_slot(f->u, 2, 2 * BASE, M2, f->hva), 0);
	assert_int_equal(f->fake.ncalls, 2);
	assert_int_equal(f->fake.calls[0].kind, FAKE_CREATE_GMEM);
	assert_int_equal(f->fake.calls[0].len, M2);
	assert_int_equal(f->fake.calls[1].kind, FAKE_SET_REGION);
	assert_int_equal(f->fake.calls[1].a, 2 * BASE);
	assert_int_equal(upm_slot_gmem_fd(f->u, 2), (int)f->fake.calls[1].arg);

	/* invalid ones make no call at all */
	fake_kvm_clear(&f->fake);
	assert_int_equal(upm_add_slot(f->u, 3, BASE + M2, M2, f->hva), -EEXIST); /* overlap */
	assert_int_equal(upm_add_slot(f->u, 2, 3 * BASE, M2, f->hva), -EEXIST);	 /* same id */
	assert_int_equal(upm_add_slot(f->u, 3, 3 * BASE + 1, M2, f->hva), -EINVAL);
	assert_int_equal(upm_add_slot(f->u, 3, 3 * BASE, 0, f->hva), -EINVAL);
	assert_int_equal(f->fake.ncalls, 0);
	assert_true(strlen(upm_last_error(f->u)) > 0);

	/* set_region failing leaves no slot behind */
	f->fake.fail_at = 1;
	f->fake.fail_errno = EINVAL;
	assert_int_equal(upm_add_slot(f->u, 3, 3 * BASE, M2, f->hva), -EINVAL);
	assert_int_equal(upm_slot_gmem_fd(f->u, 3), -ENOENT);
	assert_int_equal(upm_is_private(f->u, 3 * BASE), -ENOENT);
}

static void test_single_4k_to_private_then_shared(void **state)
{
	struct fixture *f = *state;
	struct upm_stats st;

	assert_int_equal(upm_convert(f->u, BASE + K4, K4, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + K4, K4, 1);
	expect_call(f, 1, FAKE_MADVISE, K4, K4, MADV_DONTNEED);
	assert_int_equal(upm_is_private(f->u, BASE + K4), 1);
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 1);

	fake_kvm_clear(&f->fake);
	assert_int_equal(upm_convert(f->u, BASE + K4, K4, false, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + K4, K4, 0);
	expect_call(f, 1, FAKE_PUNCH, K4, K4, (uint64_t)upm_slot_gmem_fd(f->u, 1));
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 0);

	upm_get_stats(f->u, &st);
	assert_int_equal(st.to_private, 1);
	assert_int_equal(st.to_shared, 1);
	assert_int_equal(st.pages_to_private, 1);
	assert_int_equal(st.pages_to_shared, 1);
	assert_int_equal(st.bytes_converted, 2 * K4);
	assert_int_equal(st.attr_calls, 2);
	assert_int_equal(st.shared_discard_calls, 1);
	assert_int_equal(st.private_discard_calls, 1);
	assert_true(st.time_ns > 0);
}

static void test_already_in_state_makes_no_call(void **state)
{
	struct fixture *f = *state;
	struct upm_stats st;

	assert_int_equal(upm_convert(f->u, BASE, M2, false, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 0);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.noop_requests, 1);
	assert_int_equal(st.to_shared, 0);
}

static void test_whole_2m_is_one_call(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(upm_convert(f->u, BASE + M2, M2, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + M2, M2, 1);
	expect_call(f, 1, FAKE_MADVISE, M2, M2, MADV_DONTNEED);
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 512);
}

static void test_contiguous_range_crossing_2m_is_one_call(void **state)
{
	struct fixture *f = *state;

	/* 3 pages below the 2M boundary and 5 above: contiguous, so one call each. */
	assert_int_equal(upm_convert(f->u, BASE + M2 - 3 * K4, 8 * K4, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + M2 - 3 * K4, 8 * K4, 1);
	expect_call(f, 1, FAKE_MADVISE, M2 - 3 * K4, 8 * K4, MADV_DONTNEED);
}

static void test_runs_in_one_2m_frame_are_merged(void **state)
{
	struct fixture *f = *state;
	struct upm_stats st;

	/* pages 1, 3, 5 already private: the changed runs are {0}, {2}, {4}, {6..511} */
	make_private(f, BASE + K4, K4);
	make_private(f, BASE + 3 * K4, K4);
	make_private(f, BASE + 5 * K4, K4);
	fake_kvm_clear(&f->fake);
	upm_reset_stats(f->u);

	assert_int_equal(upm_convert(f->u, BASE, M2, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE, M2, 1);
	expect_call(f, 1, FAKE_MADVISE, 0, M2, MADV_DONTNEED);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.runs, 4);
	assert_int_equal(st.pages_to_private, 512 - 3);
	assert_int_equal(upm_count_private(f->u, BASE, M2), 512);
}

static void test_runs_unmerged_without_batching(void **state)
{
	struct fixture *f = *state;

	make_private(f, BASE + K4, K4);
	make_private(f, BASE + 3 * K4, K4);
	fake_kvm_clear(&f->fake);

	assert_int_equal(upm_convert(f->u, BASE, 8 * K4, true, UPM_ORIGIN_VMM), 0);
	/* runs {0}, {2}, {4..7}: one attribute call and one discard each, in order */
	assert_int_equal(f->fake.ncalls, 6);
	expect_call(f, 0, FAKE_SET_ATTR, BASE, K4, 1);
	expect_call(f, 1, FAKE_MADVISE, 0, K4, MADV_DONTNEED);
	expect_call(f, 2, FAKE_SET_ATTR, BASE + 2 * K4, K4, 1);
	expect_call(f, 3, FAKE_MADVISE, 2 * K4, K4, MADV_DONTNEED);
	expect_call(f, 4, FAKE_SET_ATTR, BASE + 4 * K4, 4 * K4, 1);
	expect_call(f, 5, FAKE_MADVISE, 4 * K4, 4 * K4, MADV_DONTNEED);
}

static void test_runs_in_different_2m_frames_not_merged(void **state)
{
	struct fixture *f = *state;

	/* the first page of the second frame is private: the runs on either side of it
	 * lie in different 2M frames and stay separate calls */
	make_private(f, BASE + M2, K4);
	fake_kvm_clear(&f->fake);

	assert_int_equal(upm_convert(f->u, BASE + M2 - 2 * K4, 5 * K4, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 4);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + M2 - 2 * K4, 2 * K4, 1);
	expect_call(f, 2, FAKE_SET_ATTR, BASE + M2 + K4, 2 * K4, 1);
	assert_int_equal(upm_count_private(f->u, BASE + M2 - 2 * K4, 5 * K4), 5);
}

static void test_misaligned_and_wrapping_rejected(void **state)
{
	struct fixture *f = *state;
	struct upm_stats st;

	assert_int_equal(upm_convert(f->u, BASE + 1, K4, true, UPM_ORIGIN_VMM), -EINVAL);
	assert_int_equal(upm_convert(f->u, BASE, K4 + 8, true, UPM_ORIGIN_VMM), -EINVAL);
	assert_int_equal(upm_convert(f->u, BASE, 0, true, UPM_ORIGIN_VMM), -EINVAL);
	assert_int_equal(upm_convert(f->u, ~0xfffULL, 2 * K4, true, UPM_ORIGIN_VMM), -EINVAL);
	assert_non_null(strstr(upm_last_error(f->u), "aligned"));
	assert_int_equal(f->fake.ncalls, 0);
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 0);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.rejected, 4);
}

static void test_out_of_slot_rejected_without_change(void **state)
{
	struct fixture *f = *state;

	make_private(f, BASE + SLOTSZ - K4, K4);
	fake_kvm_clear(&f->fake);
	/* starts inside, ends outside: nothing may happen, not even the inside part */
	assert_int_equal(
		upm_convert(f->u, BASE + SLOTSZ - 2 * M2, 2 * M2 + K4, true, UPM_ORIGIN_VMM),
		-ENOENT);
	assert_int_equal(upm_convert(f->u, BASE - K4, 2 * K4, false, UPM_ORIGIN_VMM), -ENOENT);
	assert_int_equal(f->fake.ncalls, 0);
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 1);
	assert_non_null(strstr(upm_last_error(f->u), "not in any"));
}

static void test_failure_rolls_back_earlier_batches(void **state)
{
	struct fixture *f = *state;
	struct upm_stats st;

	/* two batches: [0, 2M-4K) ... page 511 private ... [2M, 2M+8K) */
	make_private(f, BASE + M2 - K4, K4);
	fake_kvm_clear(&f->fake);
	f->fake.fail_at = 2; /* attr(b0), madvise(b0), attr(b1) fails */
	f->fake.fail_errno = ENOMEM;

	assert_int_equal(upm_convert(f->u, BASE, M2 + 2 * K4, true, UPM_ORIGIN_VMM), -ENOMEM);
	assert_int_equal(f->fake.ncalls, 4);
	expect_call(f, 0, FAKE_SET_ATTR, BASE, M2 - K4, 1);
	expect_call(f, 1, FAKE_MADVISE, 0, M2 - K4, MADV_DONTNEED);
	expect_call(f, 2, FAKE_SET_ATTR, BASE + M2, 2 * K4, 1);
	expect_call(f, 3, FAKE_SET_ATTR, BASE, M2 - K4, 0); /* rollback of batch 0 */
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 1);
	assert_non_null(strstr(upm_last_error(f->u), "KVM_SET_MEMORY_ATTRIBUTES"));
	upm_get_stats(f->u, &st);
	assert_int_equal(st.kernel_errors, 1);
	assert_int_equal(st.to_private, 1); /* only the setup conversion */
}

static void test_discard_failure_rolls_back_its_batch(void **state)
{
	struct fixture *f = *state;

	make_private(f, BASE, 4 * K4);
	make_private(f, BASE + 5 * K4, K4); /* merged batch [0, 6) to shared with a gap at 4 */
	fake_kvm_clear(&f->fake);
	f->fake.fail_at = 1; /* the punch */
	f->fake.fail_errno = EIO;

	assert_int_equal(upm_convert(f->u, BASE, 6 * K4, false, UPM_ORIGIN_VMM), -EIO);
	assert_int_equal(f->fake.ncalls, 4);
	expect_call(f, 0, FAKE_SET_ATTR, BASE, 6 * K4, 0);
	expect_call(f, 1, FAKE_PUNCH, 0, 6 * K4, (uint64_t)upm_slot_gmem_fd(f->u, 1));
	/* rollback restores the original private runs only, not the shared gap */
	expect_call(f, 2, FAKE_SET_ATTR, BASE, 4 * K4, 1);
	expect_call(f, 3, FAKE_SET_ATTR, BASE + 5 * K4, K4, 1);
	assert_int_equal(upm_count_private(f->u, BASE, 8 * K4), 5);
	assert_int_equal(upm_is_private(f->u, BASE + 4 * K4), 0);
}

static void test_keep_policy_discards_nothing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(upm_convert(f->u, BASE, M2, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(upm_convert(f->u, BASE, K4, false, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 2);
	expect_call(f, 0, FAKE_SET_ATTR, BASE, M2, 1);
	expect_call(f, 1, FAKE_SET_ATTR, BASE, K4, 0);
}

static void hypercall(struct kvm_run *run, uint64_t gpa, uint64_t npages, uint64_t attrs)
{
	memset(run, 0, sizeof(*run));
	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = KVM_HC_MAP_GPA_RANGE;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = npages;
	run->hypercall.args[2] = attrs;
	run->hypercall.ret = 0x5a5a; /* must be overwritten */
}

static void test_hypercall_converts_and_returns_zero(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;
	struct upm_stats st;

	hypercall(&run, BASE + M2, 512, KVM_MAP_GPA_RANGE_ENCRYPTED | KVM_MAP_GPA_RANGE_PAGE_SZ_2M);
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, 0);
	assert_int_equal(upm_count_private(f->u, BASE + M2, M2), 512);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + M2, M2, 1);

	hypercall(&run, BASE + M2 + K4, 2, KVM_MAP_GPA_RANGE_DECRYPTED);
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, 0);
	assert_int_equal(upm_count_private(f->u, BASE + M2, M2), 510);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.hypercall_exits, 2);
}

static void test_hypercall_errors_go_to_the_guest(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;

	hypercall(&run, BASE, 1, 1ULL << 5); /* reserved attribute bit */
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, (uint64_t) - (int64_t)KVM_EINVAL);

	hypercall(&run, BASE + 8, 1, KVM_MAP_GPA_RANGE_ENCRYPTED); /* misaligned */
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, (uint64_t) - (int64_t)KVM_EINVAL);

	hypercall(&run, BASE, 0, KVM_MAP_GPA_RANGE_ENCRYPTED); /* no pages */
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, (uint64_t) - (int64_t)KVM_EINVAL);

	hypercall(&run, BASE + SLOTSZ - K4, 2, KVM_MAP_GPA_RANGE_ENCRYPTED); /* out of slot */
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 1);
	assert_int_equal(run.hypercall.ret, (uint64_t) - (int64_t)KVM_EFAULT);

	assert_int_equal(f->fake.ncalls, 0);
	assert_int_equal(upm_count_private(f->u, BASE, SLOTSZ), 0);

	/* a kernel failure stops the vCPU instead */
	f->fake.fail_at = 0;
	f->fake.fail_errno = EIO;
	hypercall(&run, BASE, 1, KVM_MAP_GPA_RANGE_ENCRYPTED);
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), -EIO);
}

static void test_other_exits_are_not_ours(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;

	hypercall(&run, BASE, 1, KVM_MAP_GPA_RANGE_ENCRYPTED);
	run.hypercall.nr = 11; /* some other hypercall */
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 0);
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_IO;
	assert_int_equal(upm_handle_exit(f->u, &run, 0, 0), 0);
	/* exit_reason is stale unless errno is EFAULT/EHWPOISON */
	run.exit_reason = KVM_EXIT_MEMORY_FAULT;
	run.memory_fault.gpa = BASE;
	run.memory_fault.size = K4;
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EINTR), 0);
	assert_int_equal(f->fake.ncalls, 0);
}

static void memory_fault(struct kvm_run *run, uint64_t gpa, uint64_t size, bool private_)
{
	memset(run, 0, sizeof(*run));
	run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	run->memory_fault.gpa = gpa;
	run->memory_fault.size = size;
	run->memory_fault.flags = private_ ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
}

static void test_memory_fault_converts_to_the_access_state(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;
	struct upm_stats st;

	memory_fault(&run, BASE + 7 * K4, K4, true);
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EFAULT), 1);
	assert_int_equal(upm_is_private(f->u, BASE + 7 * K4), 1);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + 7 * K4, K4, 1);

	memory_fault(&run, BASE + 7 * K4, K4, false);
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EFAULT), 1);
	assert_int_equal(upm_is_private(f->u, BASE + 7 * K4), 0);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.fault_exits, 2);
	assert_int_equal(st.spurious_faults, 0);

	memory_fault(&run, BASE - K4, K4, true);
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EFAULT), -ENOENT);
	memory_fault(&run, BASE, K4, true);
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EHWPOISON), -EHWPOISON);
}

static void test_repeated_spurious_fault_gives_up(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;
	int rc = 1, n = 0;

	memory_fault(&run, BASE, K4, false); /* already shared */
	while (rc == 1 && n < 100) {
		rc = upm_handle_exit(f->u, &run, -1, EFAULT);
		n++;
	}
	assert_int_equal(rc, -EFAULT);
	assert_true(n > 1 && n < 100);
	assert_int_equal(f->fake.ncalls, 0);
}

static void test_reject_policy_and_remove_advice(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;

	memory_fault(&run, BASE, K4, true);
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EFAULT), -EPERM);
	assert_int_equal(upm_is_private(f->u, BASE), 0);
	assert_int_equal(f->fake.ncalls, 0);

	assert_int_equal(upm_convert(f->u, BASE, K4, true, UPM_ORIGIN_VMM), 0);
	expect_call(f, 1, FAKE_MADVISE, 0, K4, MADV_REMOVE);
}

static void test_retry_policy_resumes_without_converting(void **state)
{
	struct fixture *f = *state;
	struct kvm_run run;
	struct upm_stats st;
	int rc = 1, n = 0;

	memory_fault(&run, BASE, K4, true); /* page is shared: would convert under CONVERT */
	assert_int_equal(upm_handle_exit(f->u, &run, -1, EFAULT), 1);
	assert_int_equal(upm_is_private(f->u, BASE), 0);
	assert_int_equal(f->fake.ncalls, 0);
	upm_get_stats(f->u, &st);
	assert_int_equal(st.fault_exits, 1);
	assert_int_equal(st.spurious_faults, 1);
	/* but not forever */
	while (rc == 1 && n < 100) {
		rc = upm_handle_exit(f->u, &run, -1, EFAULT);
		n++;
	}
	assert_int_equal(rc, -EFAULT);
	assert_true(n < 100);
}

static void test_shared_punch_policy_uses_the_shared_file(void **state)
{
	struct upm_config cfg;
	struct fake_kvm fake;
	struct upm_ops ops;
	struct upm *u;

	(void)state;
	upm_config_default(&cfg);
	cfg.shared_discard = UPM_SHARED_PUNCH;
	fake_kvm_init(&fake, &ops, fake_hva);
	u = upm_create(&ops, &cfg);
	assert_non_null(u);
	/* the policy needs the file: a slot without one is refused before any call */
	assert_int_equal(upm_add_slot(u, 1, BASE, SLOTSZ, fake_hva), -EINVAL);
	assert_int_equal(fake.ncalls, 0);
	assert_int_equal(upm_add_slot_file(u, 1, BASE, SLOTSZ, fake_hva, 77, 0x10000), 0);
	fake_kvm_clear(&fake);

	assert_int_equal(upm_convert(u, BASE + 2 * K4, 3 * K4, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(fake.ncalls, 2);
	assert_int_equal(fake.calls[0].kind, FAKE_SET_ATTR);
	assert_int_equal(fake.calls[1].kind, FAKE_PUNCH);
	assert_int_equal(fake.calls[1].a, 0x10000 + 2 * K4); /* file offset of the pages */
	assert_int_equal(fake.calls[1].len, 3 * K4);
	assert_int_equal(fake.calls[1].arg, 77);
	upm_destroy(u);
}

static void test_range_over_two_slots(void **state)
{
	struct fixture *f = *state;

	/* a second slot right after the first: a range over both is valid, one call per slot */
	assert_int_equal(upm_add_slot(f->u, 2, BASE + SLOTSZ, M2, f->hva), 0);
	fake_kvm_clear(&f->fake);
	assert_int_equal(upm_convert(f->u, BASE + SLOTSZ - K4, 2 * K4, true, UPM_ORIGIN_VMM), 0);
	assert_int_equal(f->fake.ncalls, 4);
	expect_call(f, 0, FAKE_SET_ATTR, BASE + SLOTSZ - K4, K4, 1);
	expect_call(f, 2, FAKE_SET_ATTR, BASE + SLOTSZ, K4, 1);
	assert_int_equal(upm_count_private(f->u, BASE + SLOTSZ - K4, 2 * K4), 2);
}

/* Random requests against a bool model; every valid request must end in the model's state. */
static void test_random_sequence_matches_model(void **state)
{
	struct fixture *f = *state;
	static bool model[SLOTSZ / K4];
	const uint64_t npages = SLOTSZ / K4;

	memset(model, 0, sizeof(model));
	srand(42);
	for (int i = 0; i < 3000; i++) {
		uint64_t first = (uint64_t)rand() % npages;
		uint64_t count = 1 + (uint64_t)rand() % (rand() % 4 ? 16 : 1024);
		bool to_private = rand() & 1;
		int rc = upm_convert(f->u, BASE + first * K4, count * K4, to_private,
				     UPM_ORIGIN_VMM);

		if (first + count > npages) {
			assert_int_equal(rc, -ENOENT);
			continue;
		}
		assert_int_equal(rc, 0);
		for (uint64_t p = first; p < first + count; p++)
			model[p] = to_private;
		if (i % 100 == 0)
			for (uint64_t p = 0; p < npages; p++)
				assert_int_equal(upm_is_private(f->u, BASE + p * K4), model[p]);
	}
	/* every attribute call covered only pages of the request, all 4K aligned */
	for (unsigned int c = 0; c < f->fake.ncalls; c++)
		assert_int_equal((f->fake.calls[c].a | f->fake.calls[c].len) & (K4 - 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slot_starts_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_slot_calls_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_4k_to_private_then_shared, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_already_in_state_makes_no_call, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_whole_2m_is_one_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contiguous_range_crossing_2m_is_one_call,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_in_one_2m_frame_are_merged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_runs_unmerged_without_batching, setup_nobatch,
						teardown),
		cmocka_unit_test_setup_teardown(test_runs_in_different_2m_frames_not_merged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_misaligned_and_wrapping_rejected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_out_of_slot_rejected_without_change, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failure_rolls_back_earlier_batches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_discard_failure_rolls_back_its_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keep_policy_discards_nothing, setup_keep,
						teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_converts_and_returns_zero, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_errors_go_to_the_guest, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_other_exits_are_not_ours, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_fault_converts_to_the_access_state,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_spurious_fault_gives_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reject_policy_and_remove_advice,
						setup_remove_reject, teardown),
		cmocka_unit_test_setup_teardown(test_retry_policy_resumes_without_converting,
						setup_retry, teardown),
		cmocka_unit_test(test_shared_punch_policy_uses_the_shared_file),
		cmocka_unit_test_setup_teardown(test_range_over_two_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_sequence_matches_model, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
