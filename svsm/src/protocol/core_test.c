// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the core protocol: every hostile case of the shared table (result,
 * list progress, and no RMP/core state change), the positive scenarios, and 4 threads
 * calling at once. Guest RAM is a heap buffer at a fake guest-physical base.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "svsmk/compiler.h"
#include "../test/protocol_harness.h"

#define BASE 0x8000000ull
static uint8_t *ram;

static int host_read(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	(void)ctx;
	if (gpa < BASE || gpa - BASE > PC_RAM_SIZE || n > PC_RAM_SIZE - (gpa - BASE))
		return -EFAULT;
	memcpy(buf, ram + (gpa - BASE), n);
	return 0;
}

static int host_write(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	(void)ctx;
	if (gpa < BASE || gpa - BASE > PC_RAM_SIZE || n > PC_RAM_SIZE - (gpa - BASE))
		return -EFAULT;
	memcpy(ram + (gpa - BASE), buf, n);
	return 0;
}

static int host_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	if (gpa < BASE || gpa - BASE > PC_RAM_SIZE || len > PC_RAM_SIZE - (gpa - BASE))
		return -EFAULT;
	memset(ram + (gpa - BASE), 0, len);
	return 0;
}

static const struct pc_mem_ops host_mem = {host_read, host_write, host_zero};
static struct pc_env env;

static int setup(void **state)
{
	(void)state;
	return pc_env_reset(&env, BASE, &host_mem);
}

static void test_hostile_table(void **state)
{
	(void)state;
	int failures = 0;
	for (unsigned int i = 0; i < protocol_case_count; i++) {
		const struct protocol_case *pc = &protocol_cases[i];
		assert_int_equal(pc_env_reset(&env, BASE, &host_mem), 0);
		int next = -1, unchanged = 0;
		uint32_t res = pc_run_case(&env, pc, &next, &unchanged);
		int ok = res == pc->expect && (pc->expect_next < 0 || next == pc->expect_next) &&
			 (pc->expect_next > 0 || unchanged);
		if (!ok) {
			printf("# %s: %s: got %#x next %d unchanged %d, want %#x next %d\n",
			       pc->call, pc->what, res, next, unchanged, pc->expect,
			       pc->expect_next);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
	assert_true(protocol_case_count >= 40);
}

static void test_pvalidate(void **state)
{
	(void)state;
	assert_int_equal(pc_scenario_pvalidate(&env), 0);
}

static void test_vcpu(void **state)
{
	(void)state;
	assert_int_equal(pc_scenario_vcpu(&env), 0);
}

static void test_memory(void **state)
{
	(void)state;
	assert_int_equal(pc_scenario_memory(&env), 0);
}

static void test_misc(void **state)
{
	(void)state;
	assert_int_equal(pc_scenario_misc(&env), 0);
}

struct worker_arg {
	int idx, rc;
};

static void *worker(void *p)
{
	struct worker_arg *a = p;
	a->rc = pc_worker(&env, a->idx, 200);
	return NULL;
}

static void test_four_vcpus_at_once(void **state)
{
	(void)state;
	struct worker_arg a[4] = {{env.boot, 0}};
	for (int i = 1; i < 4; i++) {
		a[i].idx = pc_create_vcpu(&env, (uint32_t)i, 0x80000 + 0x1000ull * i,
					  0x70000 + 0x2000ull * i);
		assert_true(a[i].idx > 0);
	}
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &a[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].rc, 0);
	}
	/* 200 rounds of 16 pages each, per worker, every one through the fake RMP. */
	assert_true(env.rmp.n_pvalidate >= 4 * 200 * 16);
}

int main(void)
{
	ram = calloc(1, PC_RAM_SIZE);
	if (!ram)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_table),
		cmocka_unit_test_setup(test_pvalidate, setup),
		cmocka_unit_test_setup(test_vcpu, setup),
		cmocka_unit_test_setup(test_memory, setup),
		cmocka_unit_test_setup(test_misc, setup),
		cmocka_unit_test_setup(test_four_vcpus_at_once, setup),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(ram);
	return rc;
}
