/* SPDX-License-Identifier: MIT */
/* libupm instance layout, shared by the library's own files only. */
#ifndef UPM_INTERNAL_H
#define UPM_INTERNAL_H

#include <pthread.h>

#include "page-bitmap.h"
#include "upm/upm.h"

struct upm_slot {
	bool used;
	uint32_t id;
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	int gmem_fd;
	int shared_fd; /* -1: anonymous shared mapping */
	uint64_t shared_offset;
	struct page_bitmap private_pages; /* 1 = private */
};

struct upm {
	struct upm_ops ops;
	struct upm_config cfg;
	pthread_mutex_t lock;
	struct upm_slot slots[UPM_MAX_SLOTS];
	struct upm_stats stats;
	/* Guard against a fault that keeps coming back for an already-converted range
	 * (api.rst 7.34 asks userspace to do so). */
	uint64_t last_fault_gpa;
	uint64_t last_fault_flags;
	unsigned int fault_repeats;
	char error[256];
};

/* Records a message for upm_last_error() and returns err (a -errno). */
int upm_fail(struct upm *u, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* upm_convert() with the lock already held. */
int upm_convert_locked(struct upm *u, uint64_t gpa, uint64_t size, bool to_private,
		       enum upm_origin origin);
/* Private pages in a range, lock held; -errno if the range is invalid. */
int64_t upm_count_private_locked(struct upm *u, uint64_t gpa, uint64_t size);

#endif /* UPM_INTERNAL_H */
