// SPDX-License-Identifier: MIT
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Files we read are small (/proc/iomem, kernel config); refuse anything huge. */
#define FILEIO_MAX (16u << 20)

enum probe_status probe_from_errno(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case ENODEV:
	case ENXIO:
		return PROBE_ABSENT;
	case EACCES:
	case EPERM:
		return PROBE_DENIED;
	default:
		return PROBE_ERROR;
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static enum probe_status read_gz(const char *path, char **data, size_t *len)
{
	gzFile gz = gzopen(path, "rb");
	if (!gz)
		return probe_from_errno(errno ? errno : EIO);
	size_t cap = 1 << 16, used = 0;
	char *buf = malloc(cap);
	if (!buf) {
		gzclose(gz);
		return PROBE_ERROR;
	}
	enum probe_status st = PROBE_OK;
	for (;;) {
		if (cap - used < 4096) {
			if (cap >= FILEIO_MAX) {
				st = PROBE_ERROR;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				st = PROBE_ERROR;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		int n = gzread(gz, buf + used, (unsigned)(cap - used - 1));
		if (n < 0) {
			st = PROBE_ERROR;
			break;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	gzclose(gz);
	if (st != PROBE_OK) {
		free(buf);
		return st;
	}
	buf[used] = '\0';
	*data = buf;
	if (len)
		*len = used;
	return PROBE_OK;
}

enum probe_status fileio_read(const char *path, char **data, size_t *len)
{
	if (ends_with(path, ".gz")) {
		struct stat sb;
		if (stat(path, &sb) != 0)
			return probe_from_errno(errno);
		return read_gz(path, data, len);
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return probe_from_errno(errno);
	/* /proc and /sys files report size 0: read in chunks until EOF. */
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return PROBE_ERROR;
	}
	enum probe_status st = PROBE_OK;
	for (;;) {
		if (cap - used < 2) {
			if (cap >= FILEIO_MAX) {
				st = PROBE_ERROR;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				st = PROBE_ERROR;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t n = fread(buf + used, 1, cap - used - 1, f);
		used += n;
		if (n == 0) {
			if (ferror(f))
				st = probe_from_errno(errno ? errno : EIO);
			break;
		}
	}
	fclose(f);
	if (st != PROBE_OK) {
		free(buf);
		return st;
	}
	buf[used] = '\0';
	*data = buf;
	if (len)
		*len = used;
	return PROBE_OK;
}

enum probe_status fileio_exists(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) == 0)
		return PROBE_OK;
	return probe_from_errno(errno);
}

enum probe_status fileio_count_dir(const char *path, const char *prefix, unsigned *count)
{
	DIR *d = opendir(path);
	if (!d)
		return probe_from_errno(errno);
	unsigned n = 0;
	size_t plen = strlen(prefix);
	const struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (strncmp(de->d_name, prefix, plen) == 0)
			n++;
	}
	closedir(d);
	*count = n;
	return PROBE_OK;
}

enum probe_status fileio_write(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return probe_from_errno(errno);
	size_t n = strlen(content);
	bool ok = fwrite(content, 1, n, f) == n;
	if (fclose(f) != 0)
		ok = false;
	return ok ? PROBE_OK : PROBE_ERROR;
}
