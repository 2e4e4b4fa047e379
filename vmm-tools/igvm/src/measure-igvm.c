/* SPDX-License-Identifier: MIT */
/*
 * Launch digest of an IGVM file as a QEMU/KVM SEV-SNP loader produces it:
 *   - PAGE_DATA in file order, one 4 KiB PAGE_INFO per page: NORMAL data pages hashed,
 *     file_offset-0 pages as NORMAL pages of zeroes (QEMU passes them to
 *     SNP_LAUNCH_UPDATE as normal pages; native_zero selects PAGE_TYPE_ZERO instead),
 *     UNMEASURED flag -> UNMEASURED, SECRETS -> SECRETS, CPUID_DATA/CPUID_XF -> CPUID;
 *   - PARAMETER_INSERT: every page of the area as UNMEASURED;
 *   - VP_CONTEXT (the VMSA page): KVM adds VMSAs at SNP_LAUNCH_FINISH, after all pages,
 *     in vCPU order, so they are measured last (vmsa_in_order keeps file order).
 * Only headers whose compatibility mask intersects the selected mask count.
 */
#include <stdlib.h>
#include <string.h>

#include <sev/snp-firmware.h>

#include "internal.h"

struct vp_ref {
	uint16_t vp_index;
	size_t header;
};

static int cmp_vp(const void *a, const void *b)
{
	const struct vp_ref *x = a, *y = b;

	if (x->vp_index != y->vp_index)
		return x->vp_index < y->vp_index ? -1 : 1;
	return (x->header > y->header) - (x->header < y->header);
}

static int measure_vmsa(const cigvm_file *f, struct cigvm_ld *ld,
			const struct igvm_vhs_vp_context *vp, uint8_t *page,
			struct cigvm_error *err)
{
	int rc = cigvm_vp_context_read(f, vp, page, err);

	return rc ? rc : cigvm_ld_update(ld, vp->gpa, SNP_PAGE_TYPE_VMSA, page, err);
}

int cigvm_measure_igvm(const cigvm_file *f, const struct cigvm_measure_opts *opts,
		       uint8_t digest[CIGVM_DIGEST_SIZE], struct cigvm_error *err)
{
	struct cigvm_measure_opts o = {0};
	struct cigvm_ld ld;
	struct vp_ref *vps = NULL;
	size_t n_vps = 0;
	uint8_t *page;
	int rc = CIGVM_OK;

	if (!f || !digest)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	if (opts)
		o = *opts;
	if (!o.compatibility_mask) {
		o.compatibility_mask = cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP);
		if (!o.compatibility_mask)
			return cigvm_fail(err, CIGVM_ERR_MASK, -1,
					  "the file declares no SEV-SNP platform");
	}
	page = malloc(IGVM_PAGE_SIZE_2M);
	vps = calloc(f->n_headers ? f->n_headers : 1, sizeof(*vps));
	if (!page || !vps) {
		free(page);
		free(vps);
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	}
	cigvm_ld_init(&ld);
	ld.cb = o.cb;
	ld.cb_ctx = o.cb_ctx;
	for (size_t i = 0; i < f->n_headers && !rc; i++) {
		const struct cigvm_header *h = &f->headers[i];
		const struct igvm_vhs_page_data *pd = cigvm_header_page_data(h);
		const struct igvm_vhs_parameter_insert *pi = cigvm_header_parameter_insert(h);
		const struct igvm_vhs_vp_context *vp = cigvm_header_vp_context(h);

		if (pd && (pd->compatibility_mask & o.compatibility_mask)) {
			uint64_t size = cigvm_page_data_size(f, pd);
			uint8_t type;

			if (pd->flags & IGVM_PAGE_DATA_FLAG_SHARED)
				continue; /* host visible: not part of the launch measurement */
			if (pd->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
				type = SNP_PAGE_TYPE_UNMEASURED;
			else if (pd->data_type == IGVM_PAGE_DATA_TYPE_SECRETS)
				type = SNP_PAGE_TYPE_SECRETS;
			else if (pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_DATA ||
				 pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_XF)
				type = SNP_PAGE_TYPE_CPUID;
			else if (pd->file_offset == 0 && o.native_zero)
				type = SNP_PAGE_TYPE_ZERO;
			else
				type = SNP_PAGE_TYPE_NORMAL;
			if (type == SNP_PAGE_TYPE_NORMAL)
				rc = cigvm_page_data_read(f, pd, page, IGVM_PAGE_SIZE_2M, err);
			for (uint64_t off = 0; off < size && !rc; off += IGVM_PAGE_SIZE_4K)
				rc = cigvm_ld_update(&ld, pd->gpa + off, type, page + off, err);
		} else if (pi && (pi->compatibility_mask & o.compatibility_mask)) {
			uint64_t size = 0;

			for (size_t j = 0; j < i; j++) {
				const struct igvm_vhs_parameter_area *a =
					cigvm_header_parameter_area(&f->headers[j]);

				if (a && a->parameter_area_index == pi->parameter_area_index)
					size = a->number_of_bytes;
			}
			for (uint64_t off = 0; off < size && !rc; off += IGVM_PAGE_SIZE_4K)
				rc = cigvm_ld_update(&ld, pi->gpa + off, SNP_PAGE_TYPE_UNMEASURED,
						     NULL, err);
		} else if (vp && (vp->compatibility_mask & o.compatibility_mask)) {
			if (o.vmsa_in_order)
				rc = measure_vmsa(f, &ld, vp, page, err);
			else {
				vps[n_vps].vp_index = vp->vp_index;
				vps[n_vps++].header = i;
			}
		}
	}
	if (!rc && n_vps) {
		qsort(vps, n_vps, sizeof(*vps), cmp_vp);
		for (size_t i = 0; i < n_vps && !rc; i++)
			rc = measure_vmsa(f, &ld,
					  cigvm_header_vp_context(&f->headers[vps[i].header]), page,
					  err);
	}
	if (!rc)
		memcpy(digest, ld.digest, CIGVM_DIGEST_SIZE);
	free(page);
	free(vps);
	return rc;
}
