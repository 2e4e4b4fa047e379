// SPDX-License-Identifier: MIT
/*
 * Fixture provider: a directory that mirrors the host's files (DIR/proc/iomem,
 * DIR/sys/module/kvm_amd/parameters/sev_snp, DIR/dev/sev, ...) plus DIR/snp-host/
 * holding what cannot be a plain file: CPUID and MSR dumps, the SNP platform
 * status, KVM capabilities, canned command outputs and the effective uid.
 * The layout is documented in docs/snp-host.md.
 */
#include "provider.h"
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXTURE_PATH_MAX 4096

struct fixture {
	char root[FIXTURE_PATH_MAX];
};

static int fixture_path(const struct fixture *fx, const char *path, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", fx->root, path[0] == '/' ? path + 1 : path);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* Read DIR/snp-host/NAME. */
static enum probe_status read_meta(const struct fixture *fx, const char *name, char **data)
{
	char path[FIXTURE_PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/snp-host/%s", fx->root, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return PROBE_ERROR;
	return fileio_read(path, data, NULL);
}

/* A metadata value may be a failure word instead of data. */
static bool failure_word(const char *s, enum probe_status *st)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (strncmp(s, "denied", 6) == 0)
		*st = PROBE_DENIED;
	else if (strncmp(s, "absent", 6) == 0)
		*st = PROBE_ABSENT;
	else if (strncmp(s, "error", 5) == 0)
		*st = PROBE_ERROR;
	else
		return false;
	return true;
}

static enum probe_status fx_read_file(void *ctx, const char *path, char **data, size_t *len)
{
	char p[FIXTURE_PATH_MAX];
	if (fixture_path(ctx, path, p, sizeof(p)))
		return PROBE_ERROR;
	return fileio_read(p, data, len);
}

static enum probe_status fx_exists(void *ctx, const char *path)
{
	char p[FIXTURE_PATH_MAX];
	if (fixture_path(ctx, path, p, sizeof(p)))
		return PROBE_ERROR;
	return fileio_exists(p);
}

static enum probe_status fx_count_dir(void *ctx, const char *path, const char *prefix,
				      unsigned *count)
{
	char p[FIXTURE_PATH_MAX];
	if (fixture_path(ctx, path, p, sizeof(p)))
		return PROBE_ERROR;
	return fileio_count_dir(p, prefix, count);
}

/* snp-host/cpuid: "LEAF SUBLEAF EAX EBX ECX EDX" per line, hex; '#' comments. */
static enum probe_status fx_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
				  struct cpuid_regs *out)
{
	char *data;
	enum probe_status st = read_meta(ctx, "cpuid", &data);
	if (st != PROBE_OK)
		return st;
	st = PROBE_ABSENT;
	for (char *save = NULL, *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned l, s, a, b, c, d;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%x %x %x %x %x %x", &l, &s, &a, &b, &c, &d) != 6) {
			st = PROBE_ERROR;
			break;
		}
		if (l == leaf && s == subleaf) {
			*out = (struct cpuid_regs){a, b, c, d};
			st = PROBE_OK;
			break;
		}
	}
	free(data);
	return st;
}

/* snp-host/msr: the whole file may be a failure word (no msr driver, not root);
 * otherwise "MSR VALUE" lines, hex, the same on every CPU. */
static enum probe_status fx_rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *value)
{
	(void)cpu;
	char *data;
	enum probe_status st = read_meta(ctx, "msr", &data);
	if (st != PROBE_OK)
		return st;
	if (failure_word(data, &st)) {
		free(data);
		return st;
	}
	st = PROBE_ERROR; /* the real device fails reads of unknown MSRs with EIO */
	for (char *save = NULL, *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned m;
		unsigned long long v;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%x %llx", &m, &v) != 2)
			break;
		if (m == msr) {
			*value = v;
			st = PROBE_OK;
			break;
		}
	}
	free(data);
	return st;
}

static bool parse_u64_field(const char *text, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(p + klen + 1, &end, 0);
			if (errno || end == p + klen + 1 || (*end != '\n' && *end != '\0'))
				return false;
			*out = v;
			return true;
		}
	}
	return false;
}

/* DIR/dev/sev must exist; snp-host/sev-status is "key=value" lines or a failure
 * word, optionally "fw_error=N" to make the command fail in firmware. */
static enum probe_status fx_snp_platform_status(void *ctx, struct snp_status_info *out,
						uint32_t *fw_error)
{
	enum probe_status st = fx_exists(ctx, "/dev/sev");
	if (st != PROBE_OK)
		return st;
	char *data;
	st = read_meta(ctx, "sev-status", &data);
	if (st != PROBE_OK)
		return st == PROBE_ABSENT ? PROBE_ERROR : st;
	if (failure_word(data, &st)) {
		free(data);
		return st;
	}
	uint64_t v[11];
	static const char *const keys[] = {"api_major",		 "api_minor",	"state",
					   "is_rmp_initialized", "build_id",	"mask_chip_id",
					   "mask_chip_key",	 "vlek_en",	"guest_count",
					   "current_tcb",	 "reported_tcb"};
	uint64_t err = 0;
	*fw_error = 0;
	if (parse_u64_field(data, "fw_error", &err) && err != 0) {
		*fw_error = (uint32_t)err;
		free(data);
		return PROBE_ERROR;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!parse_u64_field(data, keys[i], &v[i])) {
			free(data);
			return PROBE_ERROR;
		}
	}
	free(data);
	*out = (struct snp_status_info){
		.api_major = (uint8_t)v[0],
		.api_minor = (uint8_t)v[1],
		.state = (uint8_t)v[2],
		.rmp_initialized = v[3] != 0,
		.build_id = (uint32_t)v[4],
		.mask_chip_id = v[5] != 0,
		.mask_chip_key = v[6] != 0,
		.vlek_en = v[7] != 0,
		.guest_count = (uint32_t)v[8],
		.current_tcb = v[9],
		.reported_tcb = v[10],
	};
	return PROBE_OK;
}

/* DIR/dev/kvm must exist; snp-host/kvm-caps holds "CAP VALUE" lines (decimal);
 * a capability not listed reports 0 like KVM does for unknown ones. */
static enum probe_status fx_kvm_check_extension(void *ctx, long cap, long *value)
{
	enum probe_status st = fx_exists(ctx, "/dev/kvm");
	if (st != PROBE_OK)
		return st;
	char *data;
	st = read_meta(ctx, "kvm-caps", &data);
	if (st == PROBE_ABSENT) {
		*value = 0;
		return PROBE_OK;
	}
	if (st != PROBE_OK)
		return st;
	if (failure_word(data, &st)) {
		free(data);
		return st;
	}
	*value = 0;
	for (char *save = NULL, *line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		long c, v;
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%ld %ld", &c, &v) != 2) {
			st = PROBE_ERROR;
			break;
		}
		if (c == cap)
			*value = v;
	}
	free(data);
	return st;
}

/* Probes: snp-host/commands/ID holds the output, ID.exit the exit code (default 0);
 * no file means the program is not installed. Fix commands (id "fix-...") are
 * appended to snp-host/applied.log instead, so tests can see what was applied. */
static enum probe_status fx_run(void *ctx, const char *id, const char *const argv[],
				const char *input, struct cmd_result *res)
{
	struct fixture *fx = ctx;
	char path[FIXTURE_PATH_MAX];
	(void)input;
	memset(res, 0, sizeof(*res));
	if (strncmp(id, "fix-", 4) == 0) {
		if (fixture_path(fx, "snp-host/applied.log", path, sizeof(path)))
			return PROBE_ERROR;
		FILE *f = fopen(path, "a");
		if (!f)
			return probe_from_errno(errno);
		for (size_t i = 0; argv[i]; i++)
			fprintf(f, "%s%s", i ? " " : "", argv[i]);
		fputc('\n', f);
		fclose(f);
		res->output = strdup("");
		return res->output ? PROBE_OK : PROBE_ERROR;
	}
	char name[256];
	int n = snprintf(name, sizeof(name), "commands/%s", id);
	if (n < 0 || (size_t)n >= sizeof(name))
		return PROBE_ERROR;
	char *out;
	enum probe_status st = read_meta(fx, name, &out);
	if (st != PROBE_OK)
		return st;
	res->output = out;
	n = snprintf(name, sizeof(name), "commands/%s.exit", id);
	char *code;
	if (n > 0 && (size_t)n < sizeof(name) && read_meta(fx, name, &code) == PROBE_OK) {
		res->exit_status = atoi(code);
		free(code);
	}
	return PROBE_OK;
}

static enum probe_status fx_write_file(void *ctx, const char *path, const char *content)
{
	char p[FIXTURE_PATH_MAX];
	if (fixture_path(ctx, path, p, sizeof(p)))
		return PROBE_ERROR;
	return fileio_write(p, content);
}

/* snp-host/euid: the uid the fixture pretends to run as (default root). */
static unsigned fx_euid(void *ctx)
{
	char *data;
	if (read_meta(ctx, "euid", &data) != PROBE_OK)
		return 0;
	unsigned v = (unsigned)strtoul(data, NULL, 10);
	free(data);
	return v;
}

static void fx_destroy(void *ctx)
{
	free(ctx);
}

static const struct provider_ops fixture_ops = {
	.read_file = fx_read_file,
	.exists = fx_exists,
	.count_dir = fx_count_dir,
	.cpuid = fx_cpuid,
	.rdmsr = fx_rdmsr,
	.snp_platform_status = fx_snp_platform_status,
	.kvm_check_extension = fx_kvm_check_extension,
	.run = fx_run,
	.write_file = fx_write_file,
	.euid = fx_euid,
	.destroy = fx_destroy,
};

int provider_fixture_open(struct provider *p, const char *dir)
{
	if (fileio_exists(dir) != PROBE_OK)
		return -1;
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	if ((size_t)snprintf(fx->root, sizeof(fx->root), "%s", dir) >= sizeof(fx->root)) {
		free(fx);
		return -1;
	}
	p->ops = &fixture_ops;
	p->ctx = fx;
	return 0;
}
