// SPDX-License-Identifier: MIT
/*
 * RMP-check cost per access (issue 6 benchmark): times snp_rmp_check_access(),
 * the check the emulated platform runs on every TLB fill, over a 1 GiB guest
 * whose pages are all assigned and validated, at addresses spread over the
 * whole RMP so that entries come from memory rather than one cache line.
 * Prints figures; asserts nothing about time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "snp-rmp.h"

#define GUEST_BYTES (1ull << 30)
#define NPAGES	    (GUEST_BYTES >> SNP_RMP_PAGE_SHIFT)
#define NCHECKS	    (1u << 24)
#define ASID	    1

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Figures from a shared machine mean little without its load. */
static void print_load(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double l1;

	if (f && fscanf(f, "%lf", &l1) == 1) {
		printf("  (1-minute load average %.1f)\n", l1);
	}
	if (f) {
		fclose(f);
	}
}

static const char *access_name(enum snp_access a)
{
	switch (a) {
	case SNP_ACCESS_READ:
		return "read";
	case SNP_ACCESS_WRITE:
		return "write";
	case SNP_ACCESS_FETCH:
		return "fetch";
	case SNP_ACCESS_PAGE_WALK:
		return "page-walk";
	}
	return "?";
}

int main(void)
{
	struct snp_rmp_entry *entries = calloc(NPAGES, sizeof(*entries));
	uint64_t *addrs = malloc(NCHECKS * sizeof(*addrs));
	const struct snp_guest_ctx ctx = {.asid = ASID, .vmpl = 0, .user = false};
	struct snp_rmp rmp;
	uint64_t x = 0x9e3779b97f4a7c15ull;

	if (!entries || !addrs) {
		fprintf(stderr, "bench-rmp-check: out of memory\n");
		free(addrs);
		free(entries);
		return 1;
	}
	snp_rmp_init(&rmp, entries, NPAGES);
	for (uint64_t p = 0; p < NPAGES; p++) {
		entries[p] = (struct snp_rmp_entry){
			.gpa = p << SNP_RMP_PAGE_SHIFT,
			.asid = ASID,
			.assigned = true,
			.validated = true,
			.perms = {0x0f, 0, 0, 0},
		};
	}
	for (uint32_t i = 0; i < NCHECKS; i++) { /* xorshift64: spread, repeatable */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		addrs[i] = (x % NPAGES) << SNP_RMP_PAGE_SHIFT;
	}
	printf("snp-emu bench: RMP check cost per access (%u checks, 1 GiB guest, random pages)\n",
	       NCHECKS);
	print_load();
	for (enum snp_access a = SNP_ACCESS_READ; a <= SNP_ACCESS_PAGE_WALK; a++) {
		unsigned long ok = 0;
		double t0 = now_ns();

		for (uint32_t i = 0; i < NCHECKS; i++) {
			ok += snp_rmp_check_access(&rmp, addrs[i], addrs[i], true, a, &ctx) ==
			      SNP_RMP_OK;
		}
		printf("  %-9s %6.1f ns/check (%lu of %u allowed)\n", access_name(a),
		       (now_ns() - t0) / NCHECKS, ok, NCHECKS);
	}
	free(addrs);
	free(entries);
	return 0;
}
