/* SPDX-License-Identifier: MIT */
/* Check results: one line per check, with status, reason, fix and structured data. */
#ifndef SNP_HOST_CHECK_H
#define SNP_HOST_CHECK_H

#include <stdbool.h>
#include <json-c/json.h>

#include "provider.h"

enum check_status {
	CHECK_PASS = 0,
	CHECK_WARN,    /* works, but something is worth knowing or fixing */
	CHECK_FAIL,    /* definitely not there */
	CHECK_UNKNOWN, /* could not be checked (needs root, unreadable, garbage) */
	CHECK_SKIP,    /* not applicable because a prerequisite failed */
};

const char *check_status_name(enum check_status st);

/* What a --fix plan can do about a failed check. */
enum fix_kind {
	FIX_NONE = 0,
	FIX_LOAD_MSR,	   /* modprobe msr so that MSR checks can run */
	FIX_LOAD_CCP,	   /* modprobe ccp for /dev/sev */
	FIX_KVM_AMD_OPTS,  /* modprobe.d options for kvm_amd + reload */
	FIX_IOMMU_CMDLINE, /* kernel command line (manual) */
	FIX_BIOS,	   /* firmware setup (manual) */
	FIX_OUR_KERNEL,	   /* install the kernel built from kvm-patches (manual) */
	FIX_OUR_QEMU,	   /* install the QEMU built from qemu-patches (manual) */
	FIX_FIRMWARE,	   /* update SEV firmware (manual) */
};

struct check_result {
	const char *id;	      /* stable, e.g. "cpu.sev" */
	const char *category; /* cpu, firmware, kernel, userspace, memory */
	const char *title;
	enum check_status status;
	char *detail;	 /* one-line reason */
	char *fix;	 /* one-line fix, NULL when none */
	bool needs_root; /* could not be checked without root */
	enum fix_kind fix_kind;
	json_object *data; /* structured facts for --json (owned) */
};

struct check_list {
	struct check_result *items;
	size_t count, cap;
};

void check_list_free(struct check_list *l);
/* Add a result; detail/fix are printf formats (fix may be NULL). */
struct check_result *check_add(struct check_list *l, const char *id, const char *category,
			       const char *title, enum check_status st, const char *fix,
			       const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void check_set_fix(struct check_result *r, enum fix_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const struct check_result *check_find(const struct check_list *l, const char *id);
/* The status of check id, or CHECK_SKIP when it was not run. */
enum check_status check_status_of(const struct check_list *l, const char *id);
json_object *check_data(struct check_result *r);

/* Describe a failed probe as an UNKNOWN result (sets needs_root when denied). */
struct check_result *check_add_probe_failure(struct check_list *l, const char *id,
					     const char *category, const char *title,
					     enum probe_status st, const char *what);

#endif
