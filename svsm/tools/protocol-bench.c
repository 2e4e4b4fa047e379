// SPDX-License-Identifier: MIT
/*
 * `make bench` figures for the core protocol (host, fake RMP): SVSM calls and PVALIDATE /
 * RMPADJUST instructions to validate 1 GiB with 2 MiB pages, and the hypervisor exits that
 * costs on SNP (modelled: each call is one VMGEXIT to the host plus one Run VMPL back, the
 * instructions themselves do not exit). Prints figures, asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <svsm/protocol.h>
#include "svsmk/fake_rmp.h"
#include "svsmk/svsm_core.h"

#define RAM   (1ull << 30)
#define PAGES (RAM / 4096 + 1024)
#define LIST  0x1000ull /* two list pages and the CA live in a small buffer at GPA 0 */

static uint8_t small[0x4000];

static int rd(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	(void)ctx;
	if (gpa + n > sizeof(small))
		return -1;
	memcpy(buf, small + gpa, n);
	return 0;
}

static int wr(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	(void)ctx;
	if (gpa + n > sizeof(small))
		return -1;
	memcpy(small + gpa, buf, n);
	return 0;
}

static int zero(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	(void)gpa;
	(void)len; /* counted, not done: the bench measures calls, not memset */
	return 0;
}

int main(void)
{
	static struct fake_page pages[PAGES];
	static uint8_t chunks[PAGES / 512];
	struct fake_rmp f;
	struct core_backend be = {0};
	struct svsm_core core;
	fake_rmp_init(&f, 0, PAGES, pages, chunks, RAM + 0x1000000, 0x200000);
	for (size_t i = 0; i < PAGES / 512; i++)
		chunks[i] = 1; /* the host backs everything with 2 MiB RMP entries */
	fake_rmp_backend(&f, &be);
	be.read_guest = rd;
	be.write_guest = wr;
	be.zero_guest = zero;
	svsm_core_init(&core, &be, 1);
	int idx = svsm_core_add_startup_vcpu(&core, 0, 0x3000, 0x2000, 2);
	/* 1 GiB at 4 MiB..: 512 entries of 2 MiB, as many per call as one list page holds. */
	uint64_t base = 0x400000, done = 0, calls = 0;
	while (done < 512) {
		uint16_t n = (uint16_t)((512 - done) < SVSM_PVALIDATE_MAX_ENTRIES
						? 512 - done
						: SVSM_PVALIDATE_MAX_ENTRIES);
		struct svsm_pvalidate_hdr h = {n, 0, 0};
		memcpy(small + LIST, &h, sizeof(h));
		for (uint16_t i = 0; i < n; i++) {
			uint64_t e = svsm_pvalidate_entry((base >> 12) + (done + i) * 512, 1, 1, 0);
			memcpy(small + LIST + 8 + 8 * i, &e, 8);
		}
		small[0x2000] = 1; /* call pending */
		struct svsm_call_regs r = {svsm_rax(0, SVSM_CORE_PVALIDATE), LIST, 0, 0, 0};
		if (svsm_core_handle(&core, (unsigned int)idx, &r) != CORE_CALL_DONE || r.rax) {
			printf("svsm protocol bench: PVALIDATE failed: %#llx\n",
			       (unsigned long long)r.rax);
			return 1;
		}
		calls++;
		done += n;
	}
	printf("svsm protocol: PVALIDATE 1 GiB in 2 MiB pages: %llu SVSM calls, %llu PVALIDATE, "
	       "%llu RMPADJUST instructions, %llu hypervisor exits (modelled: 2 per call)\n",
	       (unsigned long long)calls, (unsigned long long)f.n_pvalidate,
	       (unsigned long long)f.n_rmpadjust, 2ULL * calls);
	printf("svsm protocol: hypervisor exits per SVSM call: 2 (modelled: guest VMGEXIT + Run "
	       "VMPL; not measured, no SNP platform yet)\n");
	return 0;
}
