/* SPDX-License-Identifier: MIT */
/*
 * IGVM parser and validator. Rules come from the IGVM format specification
 * (microsoft/igvm igvm_defs: "Structure", "Variable Header" and each IGVM_VHS_*
 * structure's field documentation).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "area-map.h"
#include "internal.h"

/* Limits that turn absurd inputs into errors instead of huge allocations. */
#define MAX_VH_SIZE	  (64u << 20)  /* variable header region */
#define MAX_PARAM_AREA	  (1ull << 30) /* bytes in one parameter area */
#define MAX_TRACKED_PAGES (8u << 20)   /* pages imported (overlap tracking) */
#define GPA_LIMIT	  (1ull << 52) /* x86-64 architectural physical address width */

size_t cigvm_fixed_size(uint32_t format_version)
{
	return format_version >= IGVM_FORMAT_VERSION_2 ? sizeof(struct igvm_fixed_header_v2)
						       : sizeof(struct igvm_fixed_header);
}

uint32_t cigvm_header_crc(const uint8_t *fixed, size_t fixed_size, const uint8_t *vh,
			  size_t vh_size)
{
	uint8_t copy[sizeof(struct igvm_fixed_header_v2)];
	uLong crc = crc32(0L, Z_NULL, 0);

	memcpy(copy, fixed, fixed_size);
	memset(copy + offsetof(struct igvm_fixed_header, checksum), 0, sizeof(uint32_t));
	crc = crc32(crc, copy, (uInt)fixed_size);
	if (vh_size)
		crc = crc32(crc, vh, (uInt)vh_size);
	return (uint32_t)crc;
}

int cigvm_parse_fixed(struct cigvm_file *f, const uint8_t *fixed, size_t avail,
		      uint64_t actual_size, uint32_t *vh_offset, uint32_t *vh_size,
		      struct cigvm_error *err)
{
	struct igvm_fixed_header_v2 h;
	size_t fsize;

	if (avail < sizeof(struct igvm_fixed_header))
		return cigvm_fail(err, CIGVM_ERR_TRUNCATED, -1,
				  "file is %zu bytes, shorter than the %zu-byte fixed header",
				  avail, sizeof(struct igvm_fixed_header));
	memset(&h, 0, sizeof(h));
	memcpy(&h, fixed, avail < sizeof(h) ? avail : sizeof(h));
	if (h.magic != IGVM_MAGIC_VALUE)
		return cigvm_fail(err, CIGVM_ERR_MAGIC, -1,
				  "bad magic 0x%08x (expected 0x%08x, \"IGVM\")", h.magic,
				  IGVM_MAGIC_VALUE);
	if (h.format_version != IGVM_FORMAT_VERSION_1 && h.format_version != IGVM_FORMAT_VERSION_2)
		return cigvm_fail(err, CIGVM_ERR_VERSION, -1,
				  "format version %u not supported (1 and 2 are)",
				  h.format_version);
	fsize = cigvm_fixed_size(h.format_version);
	if (avail < fsize)
		return cigvm_fail(
			err, CIGVM_ERR_TRUNCATED, -1,
			"file is %zu bytes, shorter than the version %u fixed header (%zu)", avail,
			h.format_version, fsize);
	f->format_version = h.format_version;
	f->architecture = IGVM_ARCH_X64;
	f->page_size = IGVM_PAGE_SIZE_4K;
	if (h.format_version >= IGVM_FORMAT_VERSION_2) {
		if (h.architecture != IGVM_ARCH_X64 && h.architecture != IGVM_ARCH_AARCH64)
			return cigvm_fail(err, CIGVM_ERR_VERSION, -1, "unknown architecture %u",
					  h.architecture);
		if (!cigvm_is_pow2(h.page_size))
			return cigvm_fail(err, CIGVM_ERR_VERSION, -1,
					  "page size %u is not a power of two", h.page_size);
		if (h.page_size != IGVM_PAGE_SIZE_4K)
			return cigvm_fail(err, CIGVM_ERR_VERSION, -1,
					  "page size %u not supported (only 4096)", h.page_size);
		f->architecture = h.architecture;
		f->page_size = h.page_size;
	}
	f->checksum = h.checksum;
	f->total_size = h.total_file_size;
	if (h.total_file_size > actual_size)
		return cigvm_fail(err, CIGVM_ERR_TRUNCATED, -1,
				  "file is truncated: %llu bytes, header says %u",
				  (unsigned long long)actual_size, h.total_file_size);
	if (h.total_file_size < actual_size)
		return cigvm_fail(err, CIGVM_ERR_BOUNDS, -1,
				  "file is %llu bytes but the header's total_file_size is %u",
				  (unsigned long long)actual_size, h.total_file_size);
	if (h.variable_header_offset < fsize || (h.variable_header_offset & 7))
		return cigvm_fail(err, CIGVM_ERR_ALIGNMENT, -1,
				  "variable header offset 0x%x must be >= %zu and 8-byte aligned",
				  h.variable_header_offset, fsize);
	if (h.variable_header_size & 7)
		return cigvm_fail(err, CIGVM_ERR_ALIGNMENT, -1,
				  "variable header size 0x%x is not a multiple of 8",
				  h.variable_header_size);
	if (h.variable_header_size > MAX_VH_SIZE)
		return cigvm_fail(err, CIGVM_ERR_BOUNDS, -1,
				  "variable header size 0x%x exceeds the 64 MiB limit",
				  h.variable_header_size);
	if ((uint64_t)h.variable_header_offset + h.variable_header_size > h.total_file_size)
		return cigvm_fail(err, CIGVM_ERR_TRUNCATED, -1,
				  "variable headers 0x%x+0x%x run past the end of the file (0x%x)",
				  h.variable_header_offset, h.variable_header_size,
				  h.total_file_size);
	f->data_start = (uint64_t)h.variable_header_offset + h.variable_header_size;
	*vh_offset = h.variable_header_offset;
	*vh_size = h.variable_header_size;
	return CIGVM_OK;
}

/* ------------------------------------------------------------ validation */

struct page_rec {
	uint64_t page; /* gpa / 4096 */
	uint32_t mask;
	uint32_t header;
};

struct vctx {
	uint32_t platform_masks; /* union of declared compatibility masks */
	uint32_t snp_mask;
	int section; /* 0 platform, 1 init, 2 directive */
	struct page_rec *pages;
	size_t n_pages, cap_pages;
	struct cigvm_area_map areas;
	uint32_t *vp_masks; /* per VP index: platforms that already have a VP context */
};

enum { SEC_PLATFORM, SEC_INIT, SEC_DIRECTIVE, SEC_NONE };

static int section_of(uint32_t t)
{
	if (t >= IGVM_VHT_RANGE_PLATFORM_FIRST && t <= IGVM_VHT_RANGE_PLATFORM_LAST)
		return SEC_PLATFORM;
	if (t >= IGVM_VHT_RANGE_INIT_FIRST && t <= IGVM_VHT_RANGE_INIT_LAST)
		return SEC_INIT;
	if (t >= IGVM_VHT_RANGE_DIRECTIVE_FIRST && t <= IGVM_VHT_RANGE_DIRECTIVE_LAST)
		return SEC_DIRECTIVE;
	return SEC_NONE;
}

/* Body size of each type this library understands; 0 for unknown types. */
static size_t body_size(uint32_t t)
{
	switch (t) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return sizeof(struct igvm_vhs_supported_platform);
	case IGVM_VHT_GUEST_POLICY:
		return sizeof(struct igvm_vhs_guest_policy);
	case IGVM_VHT_RELOCATABLE_REGION:
		return sizeof(struct igvm_vhs_relocatable_region);
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
		return sizeof(struct igvm_vhs_page_table_relocation);
	case IGVM_VHT_PARAMETER_AREA:
		return sizeof(struct igvm_vhs_parameter_area);
	case IGVM_VHT_PAGE_DATA:
		return sizeof(struct igvm_vhs_page_data);
	case IGVM_VHT_PARAMETER_INSERT:
		return sizeof(struct igvm_vhs_parameter_insert);
	case IGVM_VHT_VP_CONTEXT:
		return sizeof(struct igvm_vhs_vp_context);
	case IGVM_VHT_REQUIRED_MEMORY:
		return sizeof(struct igvm_vhs_required_memory);
	case IGVM_VHT_ERROR_RANGE:
		return sizeof(struct igvm_vhs_error_range);
	case IGVM_VHT_SNP_ID_BLOCK:
		return sizeof(struct igvm_vhs_snp_id_block);
	default:
		return cigvm_type_is_parameter(t) ? sizeof(struct igvm_vhs_parameter) : 0;
	}
}

/* Smallest value a loader deposits for a parameter type. */
static uint32_t parameter_min_size(uint32_t t)
{
	switch (t) {
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return sizeof(uint32_t);
	case IGVM_VHT_MMIO_RANGES:
		return sizeof(struct igvm_vhs_mmio_ranges);
	case IGVM_VHT_MEMORY_MAP:
		return sizeof(struct igvm_vhs_memory_map_entry);
	default:
		return 1;
	}
}

#define HFAIL(st, ...) cigvm_fail(err, st, (int64_t)idx, __VA_ARGS__)

static int check_mask(struct vctx *v, uint32_t mask, size_t idx, const char *what,
		      struct cigvm_error *err)
{
	if (mask == 0)
		return HFAIL(CIGVM_ERR_MASK, "header %zu (%s): compatibility mask is 0", idx, what);
	if (mask & ~v->platform_masks)
		return HFAIL(
			CIGVM_ERR_MASK,
			"header %zu (%s): compatibility mask 0x%x names platforms not declared "
			"by a SUPPORTED_PLATFORM header (declared 0x%x)",
			idx, what, mask, v->platform_masks);
	return CIGVM_OK;
}

static int check_file_range(const struct cigvm_file *f, uint64_t off, uint64_t len, size_t idx,
			    const char *what, struct cigvm_error *err)
{
	if (off < f->data_start || off + len > f->total_size)
		return HFAIL(CIGVM_ERR_BOUNDS,
			     "header %zu (%s): file data 0x%llx+0x%llx is outside the file data "
			     "region 0x%llx..0x%llx",
			     idx, what, (unsigned long long)off, (unsigned long long)len,
			     (unsigned long long)f->data_start, (unsigned long long)f->total_size);
	return CIGVM_OK;
}

static int track_pages(struct vctx *v, uint64_t gpa, uint64_t bytes, uint32_t mask, size_t idx,
		       struct cigvm_error *err)
{
	uint64_t n = bytes / IGVM_PAGE_SIZE_4K;

	if (gpa >= GPA_LIMIT || bytes > GPA_LIMIT - gpa)
		return HFAIL(
			CIGVM_ERR_BOUNDS,
			"header %zu: range 0x%llx+0x%llx is beyond the 52-bit physical address "
			"space",
			idx, (unsigned long long)gpa, (unsigned long long)bytes);
	if (v->n_pages + n > MAX_TRACKED_PAGES)
		return HFAIL(CIGVM_ERR_BOUNDS, "header %zu: more than %u pages imported in total",
			     idx, MAX_TRACKED_PAGES);
	if (v->n_pages + n > v->cap_pages) {
		size_t cap = v->cap_pages ? v->cap_pages : 1024;
		struct page_rec *p;

		while (cap < v->n_pages + n)
			cap *= 2;
		p = realloc(v->pages, cap * sizeof(*p));
		if (!p)
			return HFAIL(CIGVM_ERR_NOMEM, "out of memory tracking pages");
		v->pages = p;
		v->cap_pages = cap;
	}
	for (uint64_t i = 0; i < n; i++) {
		struct page_rec *r = &v->pages[v->n_pages++];

		r->page = gpa / IGVM_PAGE_SIZE_4K + i;
		r->mask = mask;
		r->header = (uint32_t)idx;
	}
	return CIGVM_OK;
}

static int cmp_page(const void *a, const void *b)
{
	const struct page_rec *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->header < y->header ? -1 : (x->header > y->header);
}

static int check_overlaps(struct vctx *v, struct cigvm_error *err)
{
	if (v->n_pages < 2)
		return CIGVM_OK;
	qsort(v->pages, v->n_pages, sizeof(*v->pages), cmp_page);
	for (size_t i = 0; i + 1 < v->n_pages; i++) {
		for (size_t j = i + 1; j < v->n_pages && v->pages[j].page == v->pages[i].page;
		     j++) {
			if (v->pages[i].mask & v->pages[j].mask)
				return cigvm_fail(err, CIGVM_ERR_OVERLAP, v->pages[j].header,
						  "headers %u and %u both import guest page 0x%llx",
						  v->pages[i].header, v->pages[j].header,
						  (unsigned long long)v->pages[i].page *
							  IGVM_PAGE_SIZE_4K);
		}
	}
	return CIGVM_OK;
}

static struct cigvm_area *find_area(struct vctx *v, uint32_t index)
{
	return cigvm_area_find(&v->areas, index);
}

static int check_platform(struct vctx *v, const struct igvm_vhs_supported_platform *p, size_t idx,
			  struct cigvm_error *err)
{
	if (!cigvm_is_pow2(p->compatibility_mask))
		return HFAIL(CIGVM_ERR_MASK,
			     "header %zu (SUPPORTED_PLATFORM): compatibility mask 0x%x must have "
			     "exactly one bit set",
			     idx, p->compatibility_mask);
	if (p->compatibility_mask & v->platform_masks)
		return HFAIL(
			CIGVM_ERR_MASK,
			"header %zu (SUPPORTED_PLATFORM): compatibility mask 0x%x already used "
			"by another platform",
			idx, p->compatibility_mask);
	if (p->highest_vtl != 0 && p->highest_vtl != 2)
		return HFAIL(CIGVM_ERR_HEADER,
			     "header %zu (SUPPORTED_PLATFORM): highest_vtl %u must be 0 or 2", idx,
			     p->highest_vtl);
	if (p->platform_type > IGVM_PLATFORM_SEV_ES)
		return HFAIL(CIGVM_ERR_HEADER,
			     "header %zu (SUPPORTED_PLATFORM): unknown platform type %u", idx,
			     p->platform_type);
	if (p->platform_version != IGVM_PLATFORM_VERSION_1)
		return HFAIL(CIGVM_ERR_HEADER,
			     "header %zu (SUPPORTED_PLATFORM): platform version %u (expected 1)",
			     idx, p->platform_version);
	if ((p->platform_type == IGVM_PLATFORM_NATIVE ||
	     p->platform_type == IGVM_PLATFORM_VSM_ISOLATION) &&
	    p->shared_gpa_boundary != 0)
		return HFAIL(CIGVM_ERR_HEADER,
			     "header %zu (SUPPORTED_PLATFORM): shared_gpa_boundary must be 0 for "
			     "platform type %u",
			     idx, p->platform_type);
	v->platform_masks |= p->compatibility_mask;
	if (p->platform_type == IGVM_PLATFORM_SEV_SNP)
		v->snp_mask |= p->compatibility_mask;
	return CIGVM_OK;
}

/* SNP guest policy bit 17 is reserved and must be one (ABI 56860 Table 9 "Guest Policy
 * Structure"; IGVM SnpPolicy.reserved_must_be_one). */
#define SNP_POLICY_RSVD_MBO (1ull << 17)

static int check_one(struct cigvm_file *f, struct vctx *v, const struct cigvm_header *h, size_t idx,
		     struct cigvm_error *err)
{
	uint32_t t = cigvm_header_type(h);
	uint32_t ps = f->page_size;
	int rc;

	switch (t) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return check_platform(v, h->body, idx, err);
	case IGVM_VHT_GUEST_POLICY: {
		const struct igvm_vhs_guest_policy *p = h->body;

		if ((rc = check_mask(v, p->compatibility_mask, idx, "GUEST_POLICY", err)))
			return rc;
		if (p->reserved)
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (GUEST_POLICY): reserved field is not zero", idx);
		if ((p->compatibility_mask & v->snp_mask) && !(p->policy & SNP_POLICY_RSVD_MBO))
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (GUEST_POLICY): SNP policy 0x%llx lacks bit 17 "
				     "(reserved, must be one)",
				     idx, (unsigned long long)p->policy);
		return CIGVM_OK;
	}
	case IGVM_VHT_RELOCATABLE_REGION: {
		const struct igvm_vhs_relocatable_region *r = h->body;

		if ((rc = check_mask(v, r->compatibility_mask, idx, "RELOCATABLE_REGION", err)))
			return rc;
		if (r->relocation_alignment == 0 || r->relocation_alignment % ps ||
		    r->relocation_region_gpa % r->relocation_alignment ||
		    r->relocation_region_size % ps ||
		    r->minimum_relocation_gpa % r->relocation_alignment ||
		    r->maximum_relocation_gpa % r->relocation_alignment)
			return HFAIL(CIGVM_ERR_ALIGNMENT,
				     "header %zu (RELOCATABLE_REGION): addresses and sizes must be "
				     "aligned to the relocation alignment 0x%llx (a page multiple)",
				     idx, (unsigned long long)r->relocation_alignment);
		return CIGVM_OK;
	}
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION: {
		const struct igvm_vhs_page_table_relocation *r = h->body;

		if ((rc = check_mask(v, r->compatibility_mask, idx, "PAGE_TABLE_RELOCATION", err)))
			return rc;
		if (r->gpa % ps || r->size % ps || r->used_size % ps || r->used_size > r->size)
			return HFAIL(
				CIGVM_ERR_ALIGNMENT,
				"header %zu (PAGE_TABLE_RELOCATION): gpa/size/used_size must be "
				"page aligned with used_size <= size",
				idx);
		return r->reserved
			       ? HFAIL(CIGVM_ERR_HEADER,
				       "header %zu (PAGE_TABLE_RELOCATION): reserved not zero", idx)
			       : CIGVM_OK;
	}
	case IGVM_VHT_PARAMETER_AREA: {
		const struct igvm_vhs_parameter_area *a = h->body;

		if (a->number_of_bytes == 0 || a->number_of_bytes % ps)
			return HFAIL(CIGVM_ERR_ALIGNMENT,
				     "header %zu (PARAMETER_AREA): size 0x%llx must be a non-zero "
				     "multiple of the page size",
				     idx, (unsigned long long)a->number_of_bytes);
		if (a->number_of_bytes > MAX_PARAM_AREA)
			return HFAIL(CIGVM_ERR_BOUNDS,
				     "header %zu (PARAMETER_AREA): size 0x%llx exceeds 1 GiB", idx,
				     (unsigned long long)a->number_of_bytes);
		if (find_area(v, a->parameter_area_index))
			return HFAIL(CIGVM_ERR_PARAMETER,
				     "header %zu (PARAMETER_AREA): index %u declared twice", idx,
				     a->parameter_area_index);
		if (a->file_offset && (rc = check_file_range(f, a->file_offset, a->number_of_bytes,
							     idx, "PARAMETER_AREA", err)))
			return rc;
		if (!cigvm_area_add(&v->areas, a->parameter_area_index, a->number_of_bytes))
			return HFAIL(CIGVM_ERR_NOMEM, "out of memory");
		return CIGVM_OK;
	}
	case IGVM_VHT_PAGE_DATA: {
		const struct igvm_vhs_page_data *p = h->body;
		uint64_t size =
			(p->flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE) ? IGVM_PAGE_SIZE_2M : ps;

		if ((rc = check_mask(v, p->compatibility_mask, idx, "PAGE_DATA", err)))
			return rc;
		if (p->flags & IGVM_PAGE_DATA_FLAGS_RESERVED)
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (PAGE_DATA): reserved flag bits set (0x%x)", idx,
				     p->flags);
		if (p->data_type > IGVM_PAGE_DATA_TYPE_CPUID_XF)
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (PAGE_DATA): unknown data type %u", idx,
				     p->data_type);
		if (p->reserved)
			return HFAIL(CIGVM_ERR_HEADER, "header %zu (PAGE_DATA): reserved not zero",
				     idx);
		if (p->gpa % size)
			return HFAIL(CIGVM_ERR_ALIGNMENT,
				     "header %zu (PAGE_DATA): gpa 0x%llx is not aligned to 0x%llx",
				     idx, (unsigned long long)p->gpa, (unsigned long long)size);
		if (p->file_offset &&
		    (rc = check_file_range(f, p->file_offset, size, idx, "PAGE_DATA", err)))
			return rc;
		return track_pages(v, p->gpa, size, p->compatibility_mask, idx, err);
	}
	case IGVM_VHT_PARAMETER_INSERT: {
		const struct igvm_vhs_parameter_insert *p = h->body;
		struct cigvm_area *a;

		if ((rc = check_mask(v, p->compatibility_mask, idx, "PARAMETER_INSERT", err)))
			return rc;
		if (p->gpa % ps)
			return HFAIL(
				CIGVM_ERR_ALIGNMENT,
				"header %zu (PARAMETER_INSERT): gpa 0x%llx is not page aligned",
				idx, (unsigned long long)p->gpa);
		a = find_area(v, p->parameter_area_index);
		if (!a)
			return HFAIL(
				CIGVM_ERR_PARAMETER,
				"header %zu (PARAMETER_INSERT): parameter area %u not declared",
				idx, p->parameter_area_index);
		if (a->inserted)
			return HFAIL(CIGVM_ERR_PARAMETER,
				     "header %zu (PARAMETER_INSERT): parameter area %u already "
				     "inserted",
				     idx, p->parameter_area_index);
		a->inserted = 1;
		return track_pages(v, p->gpa, a->size, p->compatibility_mask, idx, err);
	}
	case IGVM_VHT_VP_CONTEXT: {
		const struct igvm_vhs_vp_context *c = h->body;

		if ((rc = check_mask(v, c->compatibility_mask, idx, "VP_CONTEXT", err)))
			return rc;
		if (c->reserved)
			return HFAIL(CIGVM_ERR_HEADER, "header %zu (VP_CONTEXT): reserved not zero",
				     idx);
		if (c->gpa % ps)
			return HFAIL(CIGVM_ERR_ALIGNMENT,
				     "header %zu (VP_CONTEXT): gpa 0x%llx is not page aligned", idx,
				     (unsigned long long)c->gpa);
		if (c->file_offset == 0)
			return HFAIL(CIGVM_ERR_HEADER, "header %zu (VP_CONTEXT): no context data",
				     idx);
		if ((rc = check_file_range(f, c->file_offset, IGVM_PAGE_SIZE_4K, idx, "VP_CONTEXT",
					   err)))
			return rc;
		if (!v->vp_masks && !(v->vp_masks = calloc(UINT16_MAX + 1u, sizeof(uint32_t))))
			return HFAIL(CIGVM_ERR_NOMEM, "out of memory");
		if (v->vp_masks[c->vp_index] & c->compatibility_mask)
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (VP_CONTEXT): second context for VP %u", idx,
				     c->vp_index);
		v->vp_masks[c->vp_index] |= c->compatibility_mask;
		return CIGVM_OK;
	}
	case IGVM_VHT_REQUIRED_MEMORY: {
		const struct igvm_vhs_required_memory *r = h->body;

		if ((rc = check_mask(v, r->compatibility_mask, idx, "REQUIRED_MEMORY", err)))
			return rc;
		if (r->gpa % ps || r->number_of_bytes % ps)
			return HFAIL(
				CIGVM_ERR_ALIGNMENT,
				"header %zu (REQUIRED_MEMORY): gpa 0x%llx and size 0x%x must be "
				"page aligned",
				idx, (unsigned long long)r->gpa, r->number_of_bytes);
		if (r->flags & ~IGVM_REQUIRED_MEMORY_FLAG_VTL2_PROTECTABLE || r->reserved)
			return HFAIL(CIGVM_ERR_HEADER,
				     "header %zu (REQUIRED_MEMORY): reserved bits not zero", idx);
		return CIGVM_OK;
	}
	case IGVM_VHT_ERROR_RANGE: {
		const struct igvm_vhs_error_range *r = h->body;

		if ((rc = check_mask(v, r->compatibility_mask, idx, "ERROR_RANGE", err)))
			return rc;
		if (r->gpa % ps || r->size_bytes % ps)
			return HFAIL(CIGVM_ERR_ALIGNMENT,
				     "header %zu (ERROR_RANGE): gpa and size must be page aligned",
				     idx);
		return CIGVM_OK;
	}
	case IGVM_VHT_SNP_ID_BLOCK: {
		const struct igvm_vhs_snp_id_block *b = h->body;

		if ((rc = check_mask(v, b->compatibility_mask, idx, "SNP_ID_BLOCK", err)))
			return rc;
		if (b->author_key_enabled > 1 || b->reserved[0] || b->reserved[1] || b->reserved[2])
			return HFAIL(
				CIGVM_ERR_HEADER,
				"header %zu (SNP_ID_BLOCK): author_key_enabled must be 0/1 and "
				"reserved bytes zero",
				idx);
		return CIGVM_OK;
	}
	default:
		break;
	}
	if (cigvm_type_is_parameter(t)) {
		const struct igvm_vhs_parameter *p = h->body;
		struct cigvm_area *a = find_area(v, p->parameter_area_index);
		uint32_t need = parameter_min_size(t);

		if (!a)
			return HFAIL(CIGVM_ERR_PARAMETER,
				     "header %zu (%s): parameter area %u not declared", idx,
				     cigvm_header_type_name(t), p->parameter_area_index);
		if (a->inserted)
			return HFAIL(CIGVM_ERR_PARAMETER,
				     "header %zu (%s): parameter area %u was already inserted", idx,
				     cigvm_header_type_name(t), p->parameter_area_index);
		if ((uint64_t)p->byte_offset + need > a->size)
			return HFAIL(
				CIGVM_ERR_BOUNDS,
				"header %zu (%s): byte offset 0x%x + %u exceeds parameter area "
				"%u (0x%llx bytes)",
				idx, cigvm_header_type_name(t), p->byte_offset, need,
				p->parameter_area_index, (unsigned long long)a->size);
	}
	return CIGVM_OK;
}

int cigvm_parse_variable(struct cigvm_file *f, const uint8_t *fixed, uint32_t vh_size,
			 unsigned flags, struct cigvm_error *err)
{
	struct vctx *v;
	size_t cap = 0;
	uint32_t off = 0;
	int rc = CIGVM_OK;

	if (!(flags & CIGVM_PARSE_NO_CHECKSUM)) {
		uint32_t crc = cigvm_header_crc(fixed, cigvm_fixed_size(f->format_version), f->vh,
						vh_size);

		if (crc != f->checksum)
			return cigvm_fail(err, CIGVM_ERR_CHECKSUM, -1,
					  "header checksum mismatch: file says 0x%08x, computed "
					  "0x%08x",
					  f->checksum, crc);
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	v->section = SEC_PLATFORM;
	while (off < vh_size) {
		struct igvm_vhs_variable_header vh;
		struct cigvm_header *h;
		size_t idx = f->n_headers;
		uint32_t t, padded;
		size_t want;
		int sec;

		if (vh_size - off < sizeof(vh)) {
			rc = HFAIL(CIGVM_ERR_TRUNCATED,
				   "header %zu at offset 0x%x: type/length cut short", idx, off);
			break;
		}
		memcpy(&vh, f->vh + off, sizeof(vh));
		if (vh.length > vh_size - off - sizeof(vh)) {
			rc = HFAIL(CIGVM_ERR_TRUNCATED,
				   "header %zu at offset 0x%x: length %u runs past the variable "
				   "header region",
				   idx, off, vh.length);
			break;
		}
		padded = (vh.length + 7u) & ~7u;
		if (padded > vh_size - off - sizeof(vh)) {
			rc = HFAIL(CIGVM_ERR_TRUNCATED, "header %zu: padding runs past the region",
				   idx);
			break;
		}
		for (uint32_t i = vh.length; i < padded; i++) {
			if (f->vh[off + sizeof(vh) + i]) {
				rc = HFAIL(CIGVM_ERR_HEADER,
					   "header %zu: alignment padding is not zero", idx);
				break;
			}
		}
		if (rc)
			break;
		if (f->n_headers == cap) {
			struct cigvm_header *n;

			cap = cap ? cap * 2 : 64;
			n = realloc(f->headers, cap * sizeof(*n));
			if (!n) {
				rc = HFAIL(CIGVM_ERR_NOMEM, "out of memory");
				break;
			}
			f->headers = n;
		}
		h = &f->headers[f->n_headers++];
		h->type = vh.type;
		h->length = vh.length;
		h->file_offset = (uint64_t)(f->data_start - vh_size) + off;
		h->body = f->vh + off + sizeof(vh);
		off += (uint32_t)sizeof(vh) + padded;

		t = cigvm_header_type(h);
		want = body_size(t);
		if (want == 0 || t == IGVM_VHT_RESERVED_DO_NOT_USE) {
			if (vh.type & IGVM_VHT_IGNORABLE_BIT)
				continue; /* unknown but ignorable: kept, not interpreted */
			rc = HFAIL(
				CIGVM_ERR_UNSUPPORTED,
				"header %zu: type 0x%x is not supported and not marked ignorable",
				idx, vh.type);
			break;
		}
		if (vh.length != want) {
			rc = HFAIL(CIGVM_ERR_HEADER, "header %zu (%s): length %u, expected %zu",
				   idx, cigvm_header_type_name(t), vh.length, want);
			break;
		}
		sec = section_of(t);
		if (sec < v->section) {
			rc = HFAIL(CIGVM_ERR_ORDER,
				   "header %zu (%s) appears after a later section's header "
				   "(platform, then initialization, then directive headers)",
				   idx, cigvm_header_type_name(t));
			break;
		}
		v->section = sec;
		rc = check_one(f, v, h, idx, err);
		if (rc)
			break;
	}
	if (!rc)
		rc = check_overlaps(v, err);
	free(v->pages);
	cigvm_area_map_free(&v->areas);
	free(v->vp_masks);
	free(v);
	return rc;
}
