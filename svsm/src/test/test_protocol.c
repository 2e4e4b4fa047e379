// SPDX-License-Identifier: MIT
/*
 * Native loopback of the SVSM core protocol: the real dispatcher and handlers, a fake RMP
 * (svsmk/fake_rmp.h), and real guest RAM at 128 MiB reached through copy_{from,to}_guest.
 * Same table and scenarios as the host unit test, plus calls from every CPU at once.
 */
#include "protocol_harness.h"
#include "svsmk/guest_access.h"
#include "svsmk/printf.h"
#include "svsmk/smp.h"
#include "svsmk/test.h"

#define LOOPBACK_BASE 0x8000000ull /* 128 MiB: RAM under run-native.sh (-m 256M), not ours */

static int native_read(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	(void)ctx;
	return copy_from_guest(buf, gpa, n);
}

static int native_write(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	(void)ctx;
	return copy_to_guest(gpa, buf, n);
}

static int native_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	static const uint8_t zeros[512];
	for (uint64_t off = 0; off < len; off += sizeof(zeros)) {
		int rc = copy_to_guest(gpa + off, zeros, sizeof(zeros));
		if (rc)
			return rc;
	}
	return 0;
}

static const struct pc_mem_ops native_mem = {native_read, native_write, native_zero};
static struct pc_env env; /* global: other CPUs use it (private stacks are invisible) */

SVSM_TEST(protocol_hostile_requests)
{
	unsigned int bad = 0;
	for (unsigned int i = 0; i < protocol_case_count; i++) {
		const struct protocol_case *pc = &protocol_cases[i];
		KT_ASSERT_EQ(pc_env_reset(&env, LOOPBACK_BASE, &native_mem), 0);
		int next = -1, unchanged = 0;
		uint32_t res = pc_run_case(&env, pc, &next, &unchanged);
		if (res != pc->expect || (pc->expect_next >= 0 && next != pc->expect_next) ||
		    (pc->expect_next <= 0 && !unchanged)) {
			ktest_fail(__FILE__, __LINE__, "%s: %s: got %#x next %d unchanged %d",
				   pc->call, pc->what, res, next, unchanged);
			bad++;
		}
	}
	KT_ASSERT_EQ(bad, 0);
}

#define SCENARIO(name, fn)                                                       \
	SVSM_TEST(name)                                                          \
	{                                                                        \
		KT_ASSERT_EQ(pc_env_reset(&env, LOOPBACK_BASE, &native_mem), 0); \
		KT_ASSERT_EQ(fn(&env), 0);                                       \
	}

SCENARIO(protocol_pvalidate_4k_2m, pc_scenario_pvalidate)
SCENARIO(protocol_create_delete_vcpu, pc_scenario_vcpu)
SCENARIO(protocol_deposit_withdraw, pc_scenario_memory)
SCENARIO(protocol_query_vtom_remap, pc_scenario_misc)

static int worker_idx[MAX_CPUS], worker_rc[MAX_CPUS];

static void protocol_worker(void *arg)
{
	(void)arg;
	uint32_t me = smp_this_index();
	if (me >= 4)
		return; /* four guest vCPUs are enough */
	worker_rc[me] = pc_worker(&env, worker_idx[me], 50);
}

SVSM_TEST(protocol_calls_from_all_cpus)
{
	KT_ASSERT(nr_cpus >= 4);
	KT_ASSERT_EQ(pc_env_reset(&env, LOOPBACK_BASE, &native_mem), 0);
	worker_idx[0] = env.boot;
	for (uint32_t i = 1; i < nr_cpus && i < 4; i++) {
		worker_idx[i] =
			pc_create_vcpu(&env, i, 0x80000 + 0x1000ull * i, 0x70000 + 0x2000ull * i);
		KT_ASSERT(worker_idx[i] > 0);
	}
	smp_call_all(protocol_worker, NULL);
	for (uint32_t i = 0; i < 4; i++)
		KT_ASSERT_EQ(worker_rc[i], 0);
	KT_ASSERT(env.rmp.n_pvalidate >= 4 * 50 * 16);
}
