// SPDX-License-Identifier: MIT
/* Memory settings that matter for SNP guests: hugepages, THP, KSM (informational). */
#include "checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value of "Key:" in /proc/meminfo, or -1. */
static long long meminfo_value(const char *text, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, n) == 0 && p[n] == ':') {
			char *end;
			long long v = strtoll(p + n + 1, &end, 10);
			return end == p + n + 1 ? -1 : v;
		}
	}
	return -1;
}

static void mem_hugepages(struct provider *p, struct check_list *l)
{
	char *text;
	enum probe_status st = p->ops->read_file(p->ctx, "/proc/meminfo", &text, NULL);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "mem.hugepages", "memory", "Hugepages", st,
					"/proc/meminfo");
		return;
	}
	long long total = meminfo_value(text, "HugePages_Total");
	long long fr = meminfo_value(text, "HugePages_Free");
	long long size = meminfo_value(text, "Hugepagesize");
	free(text);
	if (total < 0 || fr < 0 || size < 0) {
		check_add(l, "mem.hugepages", "memory", "Hugepages", CHECK_UNKNOWN, NULL,
			  "/proc/meminfo lacks HugePages_Total/Free or Hugepagesize");
		return;
	}
	/* SNP private memory comes from guest_memfd, not hugetlbfs: hugepages only
	 * back the shared part, so none reserved is fine. */
	struct check_result *r =
		check_add(l, "mem.hugepages", "memory", "Hugepages", CHECK_PASS, NULL,
			  "%lld reserved (%lld free) of %lld kB", total, fr, size);
	json_object_object_add(check_data(r), "total", json_object_new_int64(total));
	json_object_object_add(check_data(r), "free", json_object_new_int64(fr));
	json_object_object_add(check_data(r), "size_kb", json_object_new_int64(size));
}

/* "always [madvise] never" -> "madvise". */
static bool bracketed(const char *text, char *out, size_t size)
{
	const char *a = strchr(text, '['), *b = a ? strchr(a, ']') : NULL;
	if (!a || !b || (size_t)(b - a - 1) >= size)
		return false;
	memcpy(out, a + 1, (size_t)(b - a - 1));
	out[b - a - 1] = '\0';
	return true;
}

static void mem_thp(struct provider *p, struct check_list *l)
{
	char *text, mode[32];
	enum probe_status st = p->ops->read_file(
		p->ctx, "/sys/kernel/mm/transparent_hugepage/enabled", &text, NULL);
	if (st == PROBE_ABSENT) {
		check_add(l, "mem.thp", "memory", "Transparent hugepages", CHECK_PASS, NULL,
			  "not built into this kernel");
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "mem.thp", "memory", "Transparent hugepages", st,
					"/sys/kernel/mm/transparent_hugepage/enabled");
		return;
	}
	bool ok = bracketed(text, mode, sizeof(mode));
	free(text);
	if (!ok) {
		check_add(l, "mem.thp", "memory", "Transparent hugepages", CHECK_UNKNOWN, NULL,
			  "unexpected transparent_hugepage/enabled contents");
		return;
	}
	struct check_result *r = check_add(l, "mem.thp", "memory", "Transparent hugepages",
					   CHECK_PASS, NULL, "%s", mode);
	json_object_object_add(check_data(r), "mode", json_object_new_string(mode));
}

static void mem_ksm(struct provider *p, struct check_list *l)
{
	char *text;
	enum probe_status st = p->ops->read_file(p->ctx, "/sys/kernel/mm/ksm/run", &text, NULL);
	if (st == PROBE_ABSENT) {
		check_add(l, "mem.ksm", "memory", "KSM", CHECK_PASS, NULL,
			  "not built into this kernel");
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "mem.ksm", "memory", "KSM", st,
					"/sys/kernel/mm/ksm/run");
		return;
	}
	int run = atoi(text);
	bool digit = text[0] >= '0' && text[0] <= '9';
	free(text);
	if (!digit) {
		check_add(l, "mem.ksm", "memory", "KSM", CHECK_UNKNOWN, NULL,
			  "unexpected /sys/kernel/mm/ksm/run contents");
	} else if (run == 1) {
		check_add(l, "mem.ksm", "memory", "KSM", CHECK_WARN,
			  "echo 0 > /sys/kernel/mm/ksm/run (optional)",
			  "KSM is running: it cannot merge SNP private memory (guest_memfd), "
			  "only costs CPU for those guests");
	} else {
		check_add(l, "mem.ksm", "memory", "KSM", CHECK_PASS, NULL, "not running");
	}
}

void checks_memory(struct provider *p, struct check_list *l)
{
	mem_hugepages(p, l);
	mem_thp(p, l);
	mem_ksm(p, l);
}
