/* SPDX-License-Identifier: MIT */
/*
 * Domain lifecycle through libvirt's C API: capabilities check, define, start,
 * status, console/serial log, destroy, undefine. Every function returns 0 on
 * success and -1 with a message for a person in v->err.
 */
#ifndef SVSM_VIRT_LIFECYCLE_H
#define SVSM_VIRT_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#define SVSM_VIRT_DEFAULT_URI "qemu:///session"

struct svsm_virt {
	virConnectPtr conn;
	char err[2048];
};

int svsm_virt_connect(struct svsm_virt *v, const char *uri);
void svsm_virt_close(struct svsm_virt *v);

struct svsm_snp_caps {
	bool snp;	   /* launchSecurity sectype sev-snp offered */
	bool have_cbitpos; /* <sev><cbitpos> present */
	unsigned int cbitpos, reduced_phys_bits;
};
/* Parse a <domainCapabilities> document (pure; unit-tested). */
int svsm_parse_domcaps(const char *xml, struct svsm_snp_caps *caps);
/* Ask libvirt for the domain capabilities of emulator/machine/virttype. */
int svsm_virt_snp_caps(struct svsm_virt *v, const char *emulator, const char *machine,
		       const char *virttype, struct svsm_snp_caps *caps);

/* Define from XML; refuses a name that exists already. */
int svsm_virt_define(struct svsm_virt *v, const char *name, const char *xml);
/* paused: the vCPUs wait until resumed (console --resume), so that a pty
 * console, which keeps no backlog, sees the guest's first output. */
int svsm_virt_start(struct svsm_virt *v, const char *name, bool paused);
int svsm_virt_destroy(struct svsm_virt *v, const char *name);
/* Refuses a running domain unless force (then destroys it first). */
int svsm_virt_undefine(struct svsm_virt *v, const char *name, bool force);
/* state: "running", "shut off", ...; reason: libvirt's reason for it. */
int svsm_virt_status(struct svsm_virt *v, const char *name, char *state, size_t slen, char *reason,
		     size_t rlen, bool *active);
/* Copy the guest's serial output to stdout: the log file of a file serial,
 * or the console stream of a pty serial. With wait_for, stop with success as
 * soon as that text appears; give up after timeout_s (0: print what is there).
 * resume: once the console is attached, resume a domain started paused. */
int svsm_virt_console(struct svsm_virt *v, const char *name, const char *wait_for, int timeout_s,
		      bool resume);

#endif
