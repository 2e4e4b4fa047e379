/* SPDX-License-Identifier: MIT */
/*
 * IGVM writer: collects headers and their file data, lays the file out as
 * fixed header | variable headers (8-byte aligned TLVs) | file data, computes the
 * checksum, and re-parses the result so that only valid files are ever written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define NO_PATCH UINT32_MAX

struct bhdr {
	uint32_t type;
	uint32_t length;
	uint8_t body[sizeof(struct igvm_vhs_snp_id_block)];
	uint8_t *data; /* file data referenced by body[patch] (a u32 file offset) */
	size_t data_len;
	uint32_t patch;
};

struct cigvm_builder {
	uint32_t format_version;
	struct bhdr *h;
	size_t n, cap;
};

cigvm_builder *cigvm_builder_new(uint32_t format_version)
{
	struct cigvm_builder *b;

	if (format_version != IGVM_FORMAT_VERSION_1 && format_version != IGVM_FORMAT_VERSION_2)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (b)
		b->format_version = format_version;
	return b;
}

void cigvm_builder_free(cigvm_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->h[i].data);
	free(b->h);
	free(b);
}

/* Append a header; `data` (copied) is referenced by the u32 at body offset `patch`. */
static int add(cigvm_builder *b, uint32_t type, const void *body, uint32_t len, const void *data,
	       size_t data_len, uint32_t patch, struct cigvm_error *err)
{
	struct bhdr *h;

	if (!b || len > sizeof(h->body) || (len && !body))
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid header (type 0x%x)",
				  type);
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct bhdr *n = realloc(b->h, cap * sizeof(*n));

		if (!n)
			return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		b->h = n;
		b->cap = cap;
	}
	h = &b->h[b->n];
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->length = len;
	if (len)
		memcpy(h->body, body, len);
	h->patch = NO_PATCH;
	if (data && data_len) {
		h->data = malloc(data_len);
		if (!h->data)
			return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		memcpy(h->data, data, data_len);
		h->data_len = data_len;
		h->patch = patch;
	}
	b->n++;
	return CIGVM_OK;
}

int cigvm_builder_add_raw(cigvm_builder *b, uint32_t type, const void *body, uint32_t len,
			  struct cigvm_error *err)
{
	return add(b, type, body, len, NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_platform(cigvm_builder *b, uint32_t compatibility_mask, uint8_t platform_type,
			       uint8_t highest_vtl, uint64_t shared_gpa_boundary,
			       struct cigvm_error *err)
{
	struct igvm_vhs_supported_platform p = {
		.compatibility_mask = compatibility_mask,
		.highest_vtl = highest_vtl,
		.platform_type = platform_type,
		.platform_version = IGVM_PLATFORM_VERSION_1,
		.shared_gpa_boundary = shared_gpa_boundary,
	};

	return add(b, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_guest_policy(cigvm_builder *b, uint32_t compatibility_mask, uint64_t policy,
				   struct cigvm_error *err)
{
	struct igvm_vhs_guest_policy p = {.policy = policy,
					  .compatibility_mask = compatibility_mask};

	return add(b, IGVM_VHT_GUEST_POLICY, &p, sizeof(p), NULL, 0, NO_PATCH, err);
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

int cigvm_builder_add_pages(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
			    uint32_t flags, uint16_t data_type, const void *data, size_t len,
			    struct cigvm_error *err)
{
	const uint8_t *src = data;
	size_t npages = (len + IGVM_PAGE_SIZE_4K - 1) / IGVM_PAGE_SIZE_4K;

	if (gpa % IGVM_PAGE_SIZE_4K)
		return cigvm_fail(err, CIGVM_ERR_ALIGNMENT, -1, "gpa 0x%llx is not page aligned",
				  (unsigned long long)gpa);
	if (flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "2 MiB pages are not produced by this writer");
	if (npages == 0)
		npages = 1;
	for (size_t i = 0; i < npages; i++) {
		struct igvm_vhs_page_data pd = {
			.gpa = gpa + (uint64_t)i * IGVM_PAGE_SIZE_4K,
			.compatibility_mask = compatibility_mask,
			.flags = flags,
			.data_type = data_type,
		};
		uint8_t page[IGVM_PAGE_SIZE_4K];
		int rc;

		memset(page, 0, sizeof(page));
		if (src && i * IGVM_PAGE_SIZE_4K < len) {
			size_t n = len - i * IGVM_PAGE_SIZE_4K;

			memcpy(page, src + i * IGVM_PAGE_SIZE_4K,
			       n < IGVM_PAGE_SIZE_4K ? n : IGVM_PAGE_SIZE_4K);
		}
		if (!src || all_zero(page, sizeof(page)))
			rc = add(b, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), NULL, 0, NO_PATCH, err);
		else
			rc = add(b, IGVM_VHT_PAGE_DATA, &pd, sizeof(pd), page, sizeof(page),
				 offsetof(struct igvm_vhs_page_data, file_offset), err);
		if (rc)
			return rc;
	}
	return CIGVM_OK;
}

int cigvm_builder_add_parameter_area(cigvm_builder *b, uint32_t index, uint64_t size,
				     const void *initial, size_t initial_len,
				     struct cigvm_error *err)
{
	struct igvm_vhs_parameter_area a = {.number_of_bytes = size, .parameter_area_index = index};
	uint8_t *buf;
	int rc;

	if (!initial || !initial_len)
		return add(b, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a), NULL, 0, NO_PATCH, err);
	if (initial_len > size || size > (1ull << 30))
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "parameter area %u: initial contents larger than the area",
				  index);
	buf = calloc(1, size);
	if (!buf)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	memcpy(buf, initial, initial_len);
	rc = add(b, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a), buf, size,
		 offsetof(struct igvm_vhs_parameter_area, file_offset), err);
	free(buf);
	return rc;
}

int cigvm_builder_add_parameter(cigvm_builder *b, uint32_t type, uint32_t index,
				uint32_t byte_offset, struct cigvm_error *err)
{
	struct igvm_vhs_parameter p = {.parameter_area_index = index, .byte_offset = byte_offset};

	if (!cigvm_type_is_parameter(type))
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "type 0x%x is not a parameter header", type);
	return add(b, type, &p, sizeof(p), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_parameter_insert(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				       uint32_t index, struct cigvm_error *err)
{
	struct igvm_vhs_parameter_insert p = {.gpa = gpa,
					      .compatibility_mask = compatibility_mask,
					      .parameter_area_index = index};

	return add(b, IGVM_VHT_PARAMETER_INSERT, &p, sizeof(p), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_vp_context(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				 uint16_t vp_index, const void *vmsa, size_t len,
				 struct cigvm_error *err)
{
	struct igvm_vhs_vp_context c = {
		.gpa = gpa, .compatibility_mask = compatibility_mask, .vp_index = vp_index};
	uint8_t page[IGVM_PAGE_SIZE_4K];

	if (!vmsa || len == 0 || len > sizeof(page))
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1,
				  "VP context must be 1..4096 bytes");
	memset(page, 0, sizeof(page));
	memcpy(page, vmsa, len);
	return add(b, IGVM_VHT_VP_CONTEXT, &c, sizeof(c), page, sizeof(page),
		   offsetof(struct igvm_vhs_vp_context, file_offset), err);
}

int cigvm_builder_add_required_memory(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				      uint32_t size, uint32_t flags, struct cigvm_error *err)
{
	struct igvm_vhs_required_memory r = {.gpa = gpa,
					     .compatibility_mask = compatibility_mask,
					     .number_of_bytes = size,
					     .flags = flags};

	return add(b, IGVM_VHT_REQUIRED_MEMORY, &r, sizeof(r), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_error_range(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				  uint32_t size, struct cigvm_error *err)
{
	struct igvm_vhs_error_range r = {
		.gpa = gpa, .compatibility_mask = compatibility_mask, .size_bytes = size};

	return add(b, IGVM_VHT_ERROR_RANGE, &r, sizeof(r), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_add_snp_id_block(cigvm_builder *b, const struct igvm_vhs_snp_id_block *blk,
				   struct cigvm_error *err)
{
	return add(b, IGVM_VHT_SNP_ID_BLOCK, blk, sizeof(*blk), NULL, 0, NO_PATCH, err);
}

int cigvm_builder_write_buffer(cigvm_builder *b, void **out, size_t *out_len,
			       struct cigvm_error *err)
{
	size_t fsize, vh_size = 0;
	uint64_t total, off;
	uint8_t *buf;
	cigvm_file *check = NULL;
	struct igvm_fixed_header_v2 fh;
	int rc;

	if (!b || !out || !out_len)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	fsize = cigvm_fixed_size(b->format_version);
	for (size_t i = 0; i < b->n; i++)
		vh_size += sizeof(struct igvm_vhs_variable_header) + ((b->h[i].length + 7u) & ~7u);
	total = fsize + vh_size;
	for (size_t i = 0; i < b->n; i++)
		total += b->h[i].data_len;
	if (total > UINT32_MAX)
		return cigvm_fail(err, CIGVM_ERR_BOUNDS, -1,
				  "image would be %llu bytes; IGVM files are limited to 4 GiB",
				  (unsigned long long)total);
	buf = calloc(1, total);
	if (!buf)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory (%llu bytes)",
				  (unsigned long long)total);
	/* File data first (so that offsets are known), then the headers. */
	off = fsize + vh_size;
	{
		size_t pos = fsize;

		for (size_t i = 0; i < b->n; i++) {
			struct bhdr *h = &b->h[i];
			struct igvm_vhs_variable_header vh = {.type = h->type, .length = h->length};

			if (h->data_len) {
				uint32_t fo = (uint32_t)off;

				memcpy(buf + off, h->data, h->data_len);
				memcpy(h->body + h->patch, &fo, sizeof(fo));
				off += h->data_len;
			}
			memcpy(buf + pos, &vh, sizeof(vh));
			memcpy(buf + pos + sizeof(vh), h->body, h->length);
			pos += sizeof(vh) + ((h->length + 7u) & ~7u);
		}
	}
	memset(&fh, 0, sizeof(fh));
	fh.magic = IGVM_MAGIC_VALUE;
	fh.format_version = b->format_version;
	fh.variable_header_offset = (uint32_t)fsize;
	fh.variable_header_size = (uint32_t)vh_size;
	fh.total_file_size = (uint32_t)total;
	fh.architecture = IGVM_ARCH_X64;
	fh.page_size = IGVM_PAGE_SIZE_4K;
	memcpy(buf, &fh, fsize);
	fh.checksum = cigvm_header_crc(buf, fsize, buf + fsize, vh_size);
	memcpy(buf, &fh, fsize);
	rc = cigvm_parse_buffer(buf, total, 0, &check, err);
	cigvm_close(check);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*out_len = total;
	return CIGVM_OK;
}

int cigvm_builder_write_file(cigvm_builder *b, const char *path, struct cigvm_error *err)
{
	void *buf = NULL;
	size_t len = 0, done = 0;
	char *tmp;
	int fd, rc;

	if (!path)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "no output path");
	rc = cigvm_builder_write_buffer(b, &buf, &len, err);
	if (rc)
		return rc;
	tmp = malloc(strlen(path) + 16);
	if (!tmp) {
		free(buf);
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	}
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	while (done < len) {
		ssize_t n = write(fd, (uint8_t *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "writing %s: %s", path,
					strerror(errno));
			break;
		}
		done += (size_t)n;
	}
	if (!rc && fchmod(fd, 0644) != 0)
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "chmod %s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && !rc)
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "closing %s: %s", tmp, strerror(errno));
	if (!rc && rename(tmp, path) != 0)
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "rename to %s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
out:
	free(tmp);
	free(buf);
	return rc;
}

int cigvm_builder_from_file(const cigvm_file *f, const struct igvm_vhs_snp_id_block *id_block,
			    cigvm_builder **out, struct cigvm_error *err)
{
	cigvm_builder *b;
	uint8_t *data = NULL;
	int rc = CIGVM_OK;

	if (!f || !out)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	b = cigvm_builder_new(f->format_version);
	if (!b)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	for (size_t i = 0; i < f->n_headers && !rc; i++) {
		const struct cigvm_header *h = &f->headers[i];
		uint64_t fo = 0, len = 0;
		uint32_t patch = NO_PATCH;
		const struct igvm_vhs_page_data *pd = cigvm_header_page_data(h);
		const struct igvm_vhs_parameter_area *pa = cigvm_header_parameter_area(h);
		const struct igvm_vhs_vp_context *vp = cigvm_header_vp_context(h);

		if (id_block && cigvm_header_snp_id_block(h))
			continue;
		if (pd && pd->file_offset) {
			fo = pd->file_offset;
			len = cigvm_page_data_size(f, pd);
			patch = offsetof(struct igvm_vhs_page_data, file_offset);
		} else if (pa && pa->file_offset) {
			fo = pa->file_offset;
			len = pa->number_of_bytes;
			patch = offsetof(struct igvm_vhs_parameter_area, file_offset);
		} else if (vp) {
			fo = vp->file_offset;
			len = IGVM_PAGE_SIZE_4K;
			patch = offsetof(struct igvm_vhs_vp_context, file_offset);
		}
		if (h->length > sizeof(b->h[0].body)) {
			rc = cigvm_fail(err, CIGVM_ERR_UNSUPPORTED, (int64_t)i,
					"header %zu: ignorable header of %u bytes cannot be copied",
					i, h->length);
			break;
		}
		if (len) {
			data = malloc(len);
			if (!data) {
				rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
				break;
			}
			rc = cigvm_read_data(f, fo, data, len, err);
			if (!rc)
				rc = add(b, h->type, h->body, h->length, data, len, patch, err);
			free(data);
			data = NULL;
		} else {
			rc = add(b, h->type, h->body, h->length, NULL, 0, NO_PATCH, err);
		}
	}
	if (!rc && id_block)
		rc = cigvm_builder_add_snp_id_block(b, id_block, err);
	if (rc) {
		cigvm_builder_free(b);
		return rc;
	}
	*out = b;
	return CIGVM_OK;
}
