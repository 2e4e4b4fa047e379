/* SPDX-License-Identifier: MIT */
/* Pure parsers for what the probes return (no I/O: unit-tested directly). */
#ifndef SNP_HOST_PARSE_H
#define SNP_HOST_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Result of looking for a physical range in /proc/iomem. */
enum iomem_verdict {
	IOMEM_COVERED,	   /* [start, end] lies inside top-level ranges all named name */
	IOMEM_NOT_COVERED, /* some part of it is something else or not listed */
	IOMEM_HIDDEN,	   /* addresses read as zero: the kernel hides them from non-root */
	IOMEM_GARBAGE,	   /* not in /proc/iomem's format */
};
enum iomem_verdict iomem_check_range(const char *text, uint64_t start, uint64_t end,
				     const char *name);

/* Value of CONFIG_x in a kernel .config: 'y', 'm', 'n' (not set or absent),
 * 's' for any other value, '?' when the text does not look like a config. */
char kconfig_value(const char *text, const char *option);

/* "6.12.57+deb13-amd64" -> 6, 12, 57 (missing parts are 0). */
bool parse_kernel_release(const char *s, unsigned *major, unsigned *minor, unsigned *patch);

/* kvm_amd parameters: "Y"/"1" -> 1, "N"/"0" -> 0, anything else -1. */
int parse_bool_param(const char *s);

/* "QEMU emulator version 10.0.2 (Debian ...)" -> 10, 0, 2. */
bool parse_qemu_version(const char *text, unsigned *major, unsigned *minor, unsigned *micro);

/* Whether `qemu -object help` lists type name (one type per line). */
bool qemu_lists_object(const char *help_text, const char *name);

/* "11.3.0" (virsh --version) -> 11, 3, 0. */
bool parse_dotted_version(const char *text, unsigned *major, unsigned *minor, unsigned *micro);

/* libvirt domain capabilities: whether launchSecurity lists sectype sev-snp and
 * whether <sev supported='yes'> is present. Returns false on malformed XML. */
bool domcaps_parse(const char *xml, size_t len, bool *sev, bool *sev_snp);

/* Compare dotted versions a and b: <0, 0, >0. */
int version_cmp(unsigned amaj, unsigned amin, unsigned bmaj, unsigned bmin);

#endif
