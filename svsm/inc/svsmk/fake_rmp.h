/* SPDX-License-Identifier: MIT */
/*
 * A software model of the RMP state the core protocol changes (validated bit, VMSA bit,
 * VMPL1-3 permissions, 2 MiB vs 4 KiB RMP entries) and of the host's AP creation, used
 * where there is no SNP hardware: host unit tests and the native in-SVSM loopback test.
 * Return codes follow APM vol. 3 PVALIDATE/RMPADJUST (sev/rmp-instr.h).
 */
#ifndef SVSMK_FAKE_RMP_H
#define SVSMK_FAKE_RMP_H

#include <stdint.h>
#include "svsmk/spinlock.h"
#include "svsmk/svsm_core.h"

struct fake_page {
	uint8_t valid;
	uint8_t vmsa;
	uint8_t perm[3]; /* VMPL1..3 */
};

struct fake_rmp {
	struct spinlock lock;
	uint64_t base, npages;
	struct fake_page *page; /* npages entries */
	uint8_t *rmp_2m;	/* npages / 512 entries: 1 = a 2 MiB RMP entry */
	uint64_t svsm_base, svsm_size;
	/* Fault injection. */
	uint64_t fail_gpa;
	uint32_t fail_eax;
	uint64_t busy_vmsa;
	int refuse_start;
	/* Counters. */
	uint64_t n_pvalidate, n_rmpadjust, n_started, n_stopped, n_psmash;
	void *mem_ctx; /* for the harness's memory accessors */
};

void fake_rmp_init(struct fake_rmp *f, uint64_t base, uint64_t npages, struct fake_page *pages,
		   uint8_t *rmp_2m, uint64_t svsm_base, uint64_t svsm_size);
/* Fill be's RMP, vCPU and memory-map callbacks (ctx = f); memory accessors are the caller's. */
void fake_rmp_backend(struct fake_rmp *f, struct core_backend *be);
struct fake_page *fake_rmp_page(struct fake_rmp *f, uint64_t gpa);

#endif /* SVSMK_FAKE_RMP_H */
