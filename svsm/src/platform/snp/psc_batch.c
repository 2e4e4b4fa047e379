// SPDX-License-Identifier: MIT
/*
 * Page State Change requests (GHCB spec 56421, 4.1.6): as few entries as possible, 2 MiB
 * entries where the range is 2 MiB aligned, at most 253 entries per request.
 */
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

#define PAGES_2M 512ull

uint64_t psc_fill(struct snp_psc_desc *d, uint64_t gpa, uint64_t npages, unsigned int op)
{
	uint64_t done = 0;
	uint16_t n = 0;
	while (done < npages && n < SNP_PSC_MAX_ENTRIES) {
		uint64_t pa = gpa + done * 4096;
		bool big = IS_ALIGNED(pa, PAGES_2M * 4096) && npages - done >= PAGES_2M;
		d->entries[n++] =
			snp_psc_entry(pa >> 12, op, big ? SNP_PSC_PAGE_2M : SNP_PSC_PAGE_4K, 0);
		done += big ? PAGES_2M : 1;
	}
	d->hdr.cur_entry = 0;
	d->hdr.end_entry = (uint16_t)(n ? n - 1 : 0);
	d->hdr.reserved = 0;
	return done;
}

int psc_check_done(const struct snp_psc_desc *d)
{
	/* The hypervisor advances cur_entry past end_entry when everything was processed. */
	return d->hdr.cur_entry > d->hdr.end_entry ? 0 : -EIO;
}
