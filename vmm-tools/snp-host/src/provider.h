/* SPDX-License-Identifier: MIT */
/*
 * snp-host probe provider: every look at the host (CPUID, MSRs, files, /dev/sev,
 * /dev/kvm, external commands) goes through this interface, so that the checks run
 * unchanged against the live machine or against a fixture tree in the tests.
 */
#ifndef SNP_HOST_PROVIDER_H
#define SNP_HOST_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Outcome of one probe. */
enum probe_status {
	PROBE_OK = 0,
	PROBE_ABSENT, /* the thing probed does not exist (file, device, leaf, command) */
	PROBE_DENIED, /* it exists but this user may not read it (needs root) */
	PROBE_ERROR,  /* it exists but the probe failed (I/O error, bad data) */
};

const char *probe_status_name(enum probe_status st);

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

/* SNP platform status as the SEV driver returns it (decoded, host byte order). */
struct snp_status_info {
	uint8_t api_major;
	uint8_t api_minor;
	uint8_t state;
	bool rmp_initialized;
	uint32_t build_id;
	bool mask_chip_id;
	bool mask_chip_key;
	bool vlek_en;
	uint32_t guest_count;
	uint64_t current_tcb;
	uint64_t reported_tcb;
};

/* Output of an external command run through the provider. */
struct cmd_result {
	int exit_status; /* exit code, or 128 + signal */
	char *output;	 /* stdout and stderr together, NUL-terminated; caller frees */
};

struct provider_ops {
	/* Read a whole file (path as on the live host, e.g. "/proc/iomem").
	 * *data is NUL-terminated and must be freed. */
	enum probe_status (*read_file)(void *ctx, const char *path, char **data, size_t *len);
	/* Whether a path exists (device node, directory, file). */
	enum probe_status (*exists)(void *ctx, const char *path);
	/* Count the entries of a directory whose name starts with prefix ("" for all). */
	enum probe_status (*count_dir)(void *ctx, const char *path, const char *prefix,
				       unsigned *count);
	enum probe_status (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
				   struct cpuid_regs *out);
	enum probe_status (*rdmsr)(void *ctx, unsigned cpu, uint32_t msr, uint64_t *value);
	/* SNP_PLATFORM_STATUS through /dev/sev; *fw_error gets the firmware status code. */
	enum probe_status (*snp_platform_status)(void *ctx, struct snp_status_info *out,
						 uint32_t *fw_error);
	/* KVM_CHECK_EXTENSION on /dev/kvm. */
	enum probe_status (*kvm_check_extension)(void *ctx, long cap, long *value);
	/* Run a command; id names the probe (fixtures are keyed by it). PROBE_ABSENT
	 * means the program is not installed. */
	enum probe_status (*run)(void *ctx, const char *id, const char *const argv[],
				 const char *input, struct cmd_result *res);
	/* Write a file (only used when applying a --fix plan with --yes). */
	enum probe_status (*write_file)(void *ctx, const char *path, const char *content);
	/* Effective user id of the checking process. */
	unsigned (*euid)(void *ctx);
	void (*destroy)(void *ctx);
};

struct provider {
	const struct provider_ops *ops;
	void *ctx;
};

/* The live host. */
int provider_live_open(struct provider *p);
/* A fixture tree rooted at dir (see docs/snp-host.md for its layout). */
int provider_fixture_open(struct provider *p, const char *dir);
void provider_close(struct provider *p);

#endif
