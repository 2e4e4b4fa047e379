/* SPDX-License-Identifier: MIT */
/* Opening IGVM images (from memory or a file) and reading their file data. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static struct cigvm_file *file_new(void)
{
	struct cigvm_file *f = calloc(1, sizeof(*f));

	if (f)
		f->fd = -1;
	return f;
}

void cigvm_close(cigvm_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->headers);
	free(f->vh);
	free(f->image);
	free(f);
}

int cigvm_parse_buffer(const void *buf, size_t len, unsigned flags, cigvm_file **out,
		       struct cigvm_error *err)
{
	struct cigvm_file *f;
	uint32_t vh_off, vh_size;
	int rc;

	if (!out || (!buf && len))
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	*out = NULL;
	f = file_new();
	if (!f)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	rc = cigvm_parse_fixed(f, buf, len < 32 ? len : 32, len, &vh_off, &vh_size, err);
	if (rc)
		goto fail;
	f->image = malloc(len ? len : 1);
	f->vh = malloc(vh_size ? vh_size : 1);
	if (!f->image || !f->vh) {
		rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		goto fail;
	}
	if (len)
		memcpy(f->image, buf, len);
	memcpy(f->vh, f->image + vh_off, vh_size);
	rc = cigvm_parse_variable(f, f->image, vh_size, flags, err);
	if (rc)
		goto fail;
	*out = f;
	return CIGVM_OK;
fail:
	cigvm_close(f);
	return rc;
}

static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -EIO : -errno;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int cigvm_open(const char *path, unsigned flags, cigvm_file **out, struct cigvm_error *err)
{
	struct cigvm_file *f;
	uint8_t fixed[32] = {0};
	uint32_t vh_off, vh_size;
	struct stat st;
	size_t avail;
	int rc;

	if (!path || !out)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	*out = NULL;
	f = file_new();
	if (!f)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st) != 0) {
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: not a regular file", path);
		goto fail;
	}
	avail = st.st_size < 32 ? (size_t)st.st_size : 32;
	if (pread_all(f->fd, fixed, avail, 0)) {
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: read failed: %s", path,
				strerror(errno));
		goto fail;
	}
	rc = cigvm_parse_fixed(f, fixed, avail, (uint64_t)st.st_size, &vh_off, &vh_size, err);
	if (rc)
		goto fail;
	f->vh = malloc(vh_size ? vh_size : 1);
	if (!f->vh) {
		rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		goto fail;
	}
	if (pread_all(f->fd, f->vh, vh_size, vh_off)) {
		rc = cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: read failed", path);
		goto fail;
	}
	rc = cigvm_parse_variable(f, fixed, vh_size, flags, err);
	if (rc)
		goto fail;
	*out = f;
	return CIGVM_OK;
fail:
	cigvm_close(f);
	return rc;
}

uint32_t cigvm_format_version(const cigvm_file *f)
{
	return f->format_version;
}

uint32_t cigvm_architecture(const cigvm_file *f)
{
	return f->architecture;
}

uint32_t cigvm_page_size(const cigvm_file *f)
{
	return f->page_size;
}

uint64_t cigvm_total_size(const cigvm_file *f)
{
	return f->total_size;
}

uint32_t cigvm_checksum(const cigvm_file *f)
{
	return f->checksum;
}

size_t cigvm_header_count(const cigvm_file *f)
{
	return f->n_headers;
}

const struct cigvm_header *cigvm_header_at(const cigvm_file *f, size_t index)
{
	return index < f->n_headers ? &f->headers[index] : NULL;
}

int cigvm_read_data(const cigvm_file *f, uint64_t file_offset, void *buf, size_t len,
		    struct cigvm_error *err)
{
	if (file_offset > f->total_size || len > f->total_size - file_offset)
		return cigvm_fail(err, CIGVM_ERR_BOUNDS, -1,
				  "read 0x%llx+0x%zx is past the end of the file (0x%llx)",
				  (unsigned long long)file_offset, len,
				  (unsigned long long)f->total_size);
	if (f->image) {
		memcpy(buf, f->image + file_offset, len);
		return CIGVM_OK;
	}
	if (pread_all(f->fd, buf, len, file_offset))
		return cigvm_fail(err, CIGVM_ERR_IO, -1, "read at 0x%llx failed: %s",
				  (unsigned long long)file_offset, strerror(errno));
	return CIGVM_OK;
}

uint64_t cigvm_page_data_size(const cigvm_file *f, const struct igvm_vhs_page_data *pd)
{
	return (pd->flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE) ? IGVM_PAGE_SIZE_2M : f->page_size;
}

int cigvm_page_data_read(const cigvm_file *f, const struct igvm_vhs_page_data *pd, void *buf,
			 size_t buf_len, struct cigvm_error *err)
{
	uint64_t size = cigvm_page_data_size(f, pd);

	if (buf_len < size)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "buffer smaller than 0x%llx",
				  (unsigned long long)size);
	if (pd->file_offset == 0) {
		memset(buf, 0, size);
		return CIGVM_OK;
	}
	return cigvm_read_data(f, pd->file_offset, buf, size, err);
}

int cigvm_vp_context_read(const cigvm_file *f, const struct igvm_vhs_vp_context *vp, void *buf,
			  struct cigvm_error *err)
{
	return cigvm_read_data(f, vp->file_offset, buf, IGVM_PAGE_SIZE_4K, err);
}

uint32_t cigvm_platform_mask(const cigvm_file *f, uint8_t platform_type)
{
	for (size_t i = 0; i < f->n_headers; i++) {
		const struct igvm_vhs_supported_platform *p =
			cigvm_header_supported_platform(&f->headers[i]);

		if (p && p->platform_type == platform_type)
			return p->compatibility_mask;
	}
	return 0;
}
