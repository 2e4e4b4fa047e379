// SPDX-License-Identifier: MIT
/*
 * libupm's own cost per conversion, with no-op kernel ops (no /dev/kvm): figures for
 * `make bench`, never asserted. The nested upm-convtest bench measures the real thing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "upm/upm.h"

#define SLOT_SIZE (64ULL << 20)
#define BASE	  0x40000000ULL

static uint64_t calls;

static int op_gmem(void *ctx, uint64_t size)
{
	(void)ctx;
	(void)size;
	return 1000; /* never used as a real fd: upm_destroy is not called */
}
static int op_region(void *ctx, uint32_t slot, uint64_t gpa, uint64_t size, void *hva, int fd,
		     uint64_t off)
{
	(void)ctx, (void)slot, (void)gpa, (void)size, (void)hva, (void)fd, (void)off;
	return 0;
}
static int op_attr(void *ctx, uint64_t gpa, uint64_t size, bool p)
{
	(void)ctx, (void)gpa, (void)size, (void)p;
	calls++;
	return 0;
}
static int op_punch(void *ctx, int fd, uint64_t off, uint64_t size)
{
	(void)ctx, (void)fd, (void)off, (void)size;
	calls++;
	return 0;
}
static int op_madvise(void *ctx, void *hva, uint64_t size, int advice)
{
	(void)ctx, (void)hva, (void)size, (void)advice;
	calls++;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run(struct upm *u, const char *what, uint64_t step, uint64_t n)
{
	uint64_t c0 = calls;
	double t0 = now();

	for (uint64_t i = 0; i < n; i++) {
		uint64_t gpa = BASE + (i * step) % SLOT_SIZE;

		if (upm_convert(u, gpa, step, (i / (SLOT_SIZE / step)) % 2 == 0, UPM_ORIGIN_VMM)) {
			fprintf(stderr, "bench: %s\n", upm_last_error(u));
			exit(1);
		}
	}
	double dt = now() - t0;
	printf("# libupm (no-op kernel ops) %s: %llu conversions in %.3f s = %.0f conversions/s, "
	       "%.2f kernel calls per range\n",
	       what, (unsigned long long)n, dt, (double)n / dt, (double)(calls - c0) / (double)n);
}

int main(void)
{
	static uint8_t hva[4096] __attribute__((aligned(4096)));
	struct upm_ops ops = {
		.create_gmem = op_gmem,
		.set_region = op_region,
		.set_attributes = op_attr,
		.punch_hole = op_punch,
		.discard_shared = op_madvise,
	};
	struct upm *u = upm_create(&ops, NULL);

	if (!u || upm_add_slot(u, 1, BASE, SLOT_SIZE, hva)) {
		fprintf(stderr, "bench: set-up failed\n");
		return 1;
	}
	run(u, "4K", 0x1000, 2000000);
	run(u, "2M", 0x200000, 200000);
	run(u, "64M", SLOT_SIZE, 2000);
	return 0;
}
