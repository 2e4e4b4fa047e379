/* SPDX-License-Identifier: MIT */
/* Small file helpers used by the providers (errno mapped to probe_status). */
#ifndef SNP_HOST_FILEIO_H
#define SNP_HOST_FILEIO_H

#include "provider.h"

enum probe_status probe_from_errno(int err);
/* Read a whole file; a ".gz" file is decompressed (for /proc/config.gz). */
enum probe_status fileio_read(const char *path, char **data, size_t *len);
enum probe_status fileio_exists(const char *path);
enum probe_status fileio_count_dir(const char *path, const char *prefix, unsigned *count);
enum probe_status fileio_write(const char *path, const char *content);

#endif
