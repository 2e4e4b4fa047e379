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

#include "area-map.h"
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

/* Read-ahead window over the file data: consecutive pages cost one pread per 1 MiB. */
#define WINDOW (1u << 20)

struct window {
	uint8_t *buf;
	uint64_t off;
	size_t len;
};

static const uint8_t *window_get(const cigvm_file *f, struct window *w, uint64_t off, size_t len,
				 struct cigvm_error *err)
{
	size_t n;

	if (f->image)
		return off <= f->total_size && len <= f->total_size - off ? f->image + off : NULL;
	if (off >= w->off && off - w->off <= w->len && len <= w->len - (off - w->off))
		return w->buf + (off - w->off);
	if (off > f->total_size || len > f->total_size - off || len > WINDOW) {
		cigvm_fail(err, CIGVM_ERR_BOUNDS, -1, "read 0x%llx+0x%zx outside the file",
			   (unsigned long long)off, len);
		return NULL;
	}
	n = f->total_size - off < WINDOW ? (size_t)(f->total_size - off) : WINDOW;
	if (cigvm_read_data(f, off, w->buf, n, err))
		return NULL;
	w->off = off;
	w->len = n;
	return w->buf;
}

struct mctx {
	const cigvm_file *f;
	struct cigvm_ld ld;
	struct cigvm_hasher h;
	struct window w;
	uint8_t *page; /* 2 MiB scratch */
};

static int measure_vmsa(struct mctx *m, const struct igvm_vhs_vp_context *vp,
			struct cigvm_error *err)
{
	const uint8_t *p = window_get(m->f, &m->w, vp->file_offset, IGVM_PAGE_SIZE_4K, err);

	if (!p)
		return err ? err->status : CIGVM_ERR_IO;
	return cigvm_ld_update_with(&m->ld, &m->h, vp->gpa, SNP_PAGE_TYPE_VMSA, p, err);
}

static int measure_page_data(struct mctx *m, const struct igvm_vhs_page_data *pd, bool native_zero,
			     struct cigvm_error *err)
{
	uint64_t size = cigvm_page_data_size(m->f, pd);
	const uint8_t *data = NULL;
	uint8_t type;
	int rc = CIGVM_OK;

	if (pd->flags & IGVM_PAGE_DATA_FLAG_SHARED)
		return CIGVM_OK; /* host visible: not part of the launch measurement */
	if (pd->flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
		type = SNP_PAGE_TYPE_UNMEASURED;
	else if (pd->data_type == IGVM_PAGE_DATA_TYPE_SECRETS)
		type = SNP_PAGE_TYPE_SECRETS;
	else if (pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_DATA ||
		 pd->data_type == IGVM_PAGE_DATA_TYPE_CPUID_XF)
		type = SNP_PAGE_TYPE_CPUID;
	else if (pd->file_offset == 0 && native_zero)
		type = SNP_PAGE_TYPE_ZERO;
	else
		type = SNP_PAGE_TYPE_NORMAL;
	if (type == SNP_PAGE_TYPE_NORMAL) {
		if (pd->file_offset == 0) {
			memset(m->page, 0, size);
			data = m->page;
		} else {
			data = window_get(m->f, &m->w, pd->file_offset, size, err);
			if (!data)
				return err ? err->status : CIGVM_ERR_IO;
		}
	}
	for (uint64_t off = 0; off < size && !rc; off += IGVM_PAGE_SIZE_4K)
		rc = cigvm_ld_update_with(&m->ld, &m->h, pd->gpa + off, type,
					  data ? data + off : NULL, err);
	return rc;
}

int cigvm_measure_igvm(const cigvm_file *f, const struct cigvm_measure_opts *opts,
		       uint8_t digest[CIGVM_DIGEST_SIZE], struct cigvm_error *err)
{
	struct cigvm_measure_opts o = {0};
	struct mctx m = {.f = f};
	struct vp_ref *vps = NULL;
	struct cigvm_area_map areas = {0};
	size_t n_vps = 0;
	int rc;

	if (!f || !digest)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	if (opts)
		o = *opts;
	if (o.vcpus && o.vmsa_in_order)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "vcpus and vmsa_in_order cannot be combined");
	if (o.vcpus > 4096)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "at most 4096 vCPUs");
	if (!o.compatibility_mask) {
		o.compatibility_mask = cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP);
		if (!o.compatibility_mask)
			return cigvm_fail(err, CIGVM_ERR_MASK, -1,
					  "the file declares no SEV-SNP platform");
	}
	rc = cigvm_hasher_init(&m.h, err);
	if (rc)
		return rc;
	m.page = malloc(IGVM_PAGE_SIZE_2M);
	m.w.buf = malloc(WINDOW);
	vps = calloc(f->n_headers ? f->n_headers : 1, sizeof(*vps));
	if (!m.page || !m.w.buf || !vps) {
		rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		goto out;
	}
	cigvm_ld_init(&m.ld);
	m.ld.cb = o.cb;
	m.ld.cb_ctx = o.cb_ctx;
	for (size_t i = 0; i < f->n_headers && !rc; i++) {
		const struct cigvm_header *h = &f->headers[i];
		const struct igvm_vhs_page_data *pd = cigvm_header_page_data(h);
		const struct igvm_vhs_parameter_insert *pi = cigvm_header_parameter_insert(h);
		const struct igvm_vhs_parameter_area *pa = cigvm_header_parameter_area(h);
		const struct igvm_vhs_vp_context *vp = cigvm_header_vp_context(h);

		if (pa && !cigvm_area_find(&areas, pa->parameter_area_index) &&
		    !cigvm_area_add(&areas, pa->parameter_area_index, pa->number_of_bytes)) {
			rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		} else if (pd && (pd->compatibility_mask & o.compatibility_mask)) {
			rc = measure_page_data(&m, pd, o.native_zero, err);
		} else if (pi && (pi->compatibility_mask & o.compatibility_mask)) {
			const struct cigvm_area *a =
				cigvm_area_find(&areas, pi->parameter_area_index);
			uint64_t size = a ? a->size : 0;

			for (uint64_t off = 0; off < size && !rc; off += IGVM_PAGE_SIZE_4K)
				rc = cigvm_ld_update_with(&m.ld, &m.h, pi->gpa + off,
							  SNP_PAGE_TYPE_UNMEASURED, NULL, err);
		} else if (vp && (vp->compatibility_mask & o.compatibility_mask)) {
			if (o.vmsa_in_order) {
				rc = measure_vmsa(&m, vp, err);
			} else {
				vps[n_vps].vp_index = vp->vp_index;
				vps[n_vps++].header = i;
			}
		}
	}
	if (!rc && n_vps)
		qsort(vps, n_vps, sizeof(*vps), cmp_vp);
	if (!rc && o.vcpus == 0) {
		for (size_t i = 0; i < n_vps && !rc; i++)
			rc = measure_vmsa(&m, cigvm_header_vp_context(&f->headers[vps[i].header]),
					  err);
	} else if (!rc) {
		size_t next = 0;

		if (n_vps && vps[n_vps - 1].vp_index >= o.vcpus)
			rc = cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
					"the file has a VP context for VP %u but only %u vCPUs",
					vps[n_vps - 1].vp_index, o.vcpus);
		for (unsigned cpu = 0; cpu < o.vcpus && !rc; cpu++) {
			if (next < n_vps && vps[next].vp_index == cpu) {
				rc = measure_vmsa(
					&m, cigvm_header_vp_context(&f->headers[vps[next].header]),
					err);
				next++;
				continue;
			}
			cigvm_qemu_reset_vmsa(m.page, CIGVM_BSP_RESET_EIP, o.vcpu_sig,
					      o.sev_features);
			rc = cigvm_ld_update_with(&m.ld, &m.h, SNP_PAGE_INFO_KVM_VMSA_GPA,
						  SNP_PAGE_TYPE_VMSA, m.page, err);
		}
	}
	if (!rc)
		memcpy(digest, m.ld.digest, CIGVM_DIGEST_SIZE);
out:
	cigvm_area_map_free(&areas);
	cigvm_hasher_fini(&m.h);
	free(m.page);
	free(m.w.buf);
	free(vps);
	return rc;
}
