/* SPDX-License-Identifier: MIT */
/* igvmtool: build, dump, measure and sign IGVM files (see docs/igvm.md). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: igvmtool <command> [options]\n"
		     "\n"
		     "commands:\n"
		     "  build    pack an SVSM image, optional OVMF and payload into an IGVM file\n"
		     "  dump     print every header of an IGVM file (table or --json)\n"
		     "  measure  SNP launch digest of an IGVM file or a QEMU+OVMF launch\n"
		     "  sign     produce an SNP ID block and ID auth structure\n"
		     "\n"
		     "Run 'igvmtool <command> --help' for the options of a command.\n");
}

int tool_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "igvmtool %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int tool_cigvm_error(const char *cmd, const struct cigvm_error *err)
{
	return tool_error(cmd, "%s: %s", cigvm_status_name(err->status), err->message);
}

uint8_t *tool_read_file(const char *cmd, const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		tool_error(cmd, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		tool_error(cmd, "%s: out of memory", path);
		return NULL;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			tool_error(cmd, "%s: read failed", path);
			free(buf);
			close(fd);
			return NULL;
		}
		done += (size_t)n;
	}
	close(fd);
	*len = done;
	return buf;
}

int tool_write_file(const char *cmd, const char *path, const void *data, size_t len)
{
	char tmp[4096];
	size_t done = 0;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path) >= (int)sizeof(tmp))
		return tool_error(cmd, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return tool_error(cmd, "%s: %s", tmp, strerror(errno));
	while (done < len) {
		ssize_t n = write(fd, (const uint8_t *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(tmp);
			return tool_error(cmd, "writing %s: %s", path, strerror(errno));
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return tool_error(cmd, "writing %s: %s", path, strerror(errno));
	}
	return 0;
}

bool tool_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

void tool_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool tool_unhex(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void tool_print_json(struct json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						       JSON_C_TO_STRING_NOSLASHESCAPE));
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{"build", cmd_build},
		{"dump", cmd_dump},
		{"measure", cmd_measure},
		{"sign", cmd_sign},
	};

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "igvmtool: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
