// SPDX-License-Identifier: MIT
/* Userspace checks: QEMU (version, SNP, IGVM, SNP under TCG) and libvirt. */
#include "checks.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* First line of out that starts with "<basename of prog>: " (QEMU's error lines),
 * else the last non-empty line; copied into buf. */
static void error_line(const char *prog, const char *out, char *buf, size_t size)
{
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	char tag[128];
	snprintf(tag, sizeof(tag), "%s: ", base);
	const char *hit = NULL, *last = NULL;
	for (const char *p = out; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 0)
			last = p;
		if (!hit && strncmp(p, tag, strlen(tag)) == 0)
			hit = p + strlen(tag);
		p = eol ? eol + 1 : p + len;
	}
	const char *src = hit ? hit : last ? last : "";
	size_t n = strcspn(src, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, src, n);
	buf[n] = '\0';
}

static void qemu_checks(struct provider *p, const struct check_options *o, struct check_list *l)
{
	const char *const ver_argv[] = {o->qemu, "--version", NULL};
	struct cmd_result res;
	struct check_result *r;
	enum probe_status st = p->ops->run(p->ctx, "qemu-version", ver_argv, NULL, &res);
	if (st == PROBE_ABSENT || (st == PROBE_OK && res.exit_status != 0)) {
		if (st == PROBE_OK)
			free(res.output);
		r = check_add(l, "user.qemu", "userspace", "QEMU", CHECK_FAIL, NULL,
			      "%s not found or not runnable", o->qemu);
		check_set_fix(r, FIX_OUR_QEMU, "install the QEMU built from qemu-patches/");
		check_add(l, "user.qemu_snp", "userspace", "QEMU SEV-SNP guests", CHECK_SKIP, NULL,
			  "no QEMU");
		check_add(l, "user.qemu_igvm", "userspace", "QEMU IGVM (igvm-cfg)", CHECK_SKIP,
			  NULL, "no QEMU");
		check_add(l, "user.qemu_tcg_snp", "userspace", "QEMU emulated SNP (TCG)",
			  CHECK_SKIP, NULL, "no QEMU");
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "user.qemu", "userspace", "QEMU", st, o->qemu);
		return;
	}
	unsigned maj, min, mic;
	if (parse_qemu_version(res.output, &maj, &min, &mic)) {
		r = check_add(l, "user.qemu", "userspace", "QEMU", CHECK_PASS, NULL,
			      "%s version %u.%u.%u", o->qemu, maj, min, mic);
		char v[32];
		snprintf(v, sizeof(v), "%u.%u.%u", maj, min, mic);
		json_object_object_add(check_data(r), "version", json_object_new_string(v));
	} else {
		check_add(l, "user.qemu", "userspace", "QEMU", CHECK_UNKNOWN, NULL,
			  "%s --version printed no QEMU version", o->qemu);
	}
	free(res.output);

	const char *const obj_argv[] = {o->qemu, "-object", "help", NULL};
	st = p->ops->run(p->ctx, "qemu-objects", obj_argv, NULL, &res);
	if (st != PROBE_OK || res.exit_status != 0) {
		if (st == PROBE_OK)
			free(res.output);
		check_add(l, "user.qemu_snp", "userspace", "QEMU SEV-SNP guests", CHECK_UNKNOWN,
			  NULL, "%s -object help failed", o->qemu);
		return;
	}
	bool snp = qemu_lists_object(res.output, "sev-snp-guest");
	bool igvm = qemu_lists_object(res.output, "igvm-cfg");
	bool any_type = qemu_lists_object(res.output, "memory-backend-ram");
	free(res.output);
	if (!any_type) {
		check_add(l, "user.qemu_snp", "userspace", "QEMU SEV-SNP guests", CHECK_UNKNOWN,
			  NULL, "%s -object help printed no object list", o->qemu);
		return;
	}
	if (snp) {
		check_add(l, "user.qemu_snp", "userspace", "QEMU SEV-SNP guests", CHECK_PASS, NULL,
			  "object type sev-snp-guest available");
	} else {
		r = check_add(l, "user.qemu_snp", "userspace", "QEMU SEV-SNP guests", CHECK_FAIL,
			      NULL, "no sev-snp-guest object type in %s", o->qemu);
		check_set_fix(r, FIX_OUR_QEMU, "install the QEMU built from qemu-patches/");
	}
	if (igvm) {
		check_add(l, "user.qemu_igvm", "userspace", "QEMU IGVM (igvm-cfg)", CHECK_PASS,
			  NULL, "object type igvm-cfg available");
	} else {
		r = check_add(l, "user.qemu_igvm", "userspace", "QEMU IGVM (igvm-cfg)", CHECK_FAIL,
			      NULL, "no igvm-cfg object type: cannot launch an SVSM from IGVM");
		check_set_fix(r, FIX_OUR_QEMU, "install the QEMU built from qemu-patches/");
	}
	if (!snp) {
		check_add(l, "user.qemu_tcg_snp", "userspace", "QEMU emulated SNP (TCG)",
			  CHECK_SKIP, NULL, "no sev-snp-guest");
		return;
	}
	/* Start an SNP machine under TCG, paused, and quit from the monitor. Stock QEMU
	 * refuses ("... sev-snp-guest: KVM required"); ours emulates the platform. */
	const char *const tcg_argv[] = {o->qemu,
					"-accel",
					"tcg",
					"-machine",
					"q35,confidential-guest-support=snp0",
					"-object",
					"sev-snp-guest,id=snp0,cbitpos=51,reduced-phys-bits=1",
					"-nodefaults",
					"-display",
					"none",
					"-S",
					"-monitor",
					"stdio",
					NULL};
	st = p->ops->run(p->ctx, "qemu-tcg-snp", tcg_argv, "quit\n", &res);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "user.qemu_tcg_snp", "userspace",
					"QEMU emulated SNP (TCG)", st, o->qemu);
		return;
	}
	if (res.exit_status == 0) {
		check_add(l, "user.qemu_tcg_snp", "userspace", "QEMU emulated SNP (TCG)",
			  CHECK_PASS, NULL, "starts an sev-snp-guest machine under TCG");
	} else {
		char why[160];
		error_line(o->qemu, res.output, why, sizeof(why));
		r = check_add(l, "user.qemu_tcg_snp", "userspace", "QEMU emulated SNP (TCG)",
			      CHECK_FAIL, NULL, "no SNP under TCG: %s", why);
		check_set_fix(r, FIX_OUR_QEMU, "install the QEMU built from qemu-patches/");
	}
	free(res.output);
}

static void libvirt_checks(struct provider *p, const struct check_options *o, struct check_list *l)
{
	const char *const ver_argv[] = {o->virsh, "--version", NULL};
	struct cmd_result res;
	struct check_result *r;
	enum probe_status st = p->ops->run(p->ctx, "virsh-version", ver_argv, NULL, &res);
	if (st == PROBE_ABSENT) {
		check_add(l, "user.libvirt", "userspace", "libvirt", CHECK_WARN,
			  "install libvirt-clients and libvirt-daemon-system (optional)",
			  "virsh not installed: libvirt-managed guests unavailable (QEMU "
			  "can still be used directly)");
		check_add(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", CHECK_SKIP, NULL,
			  "no libvirt");
		return;
	}
	if (st != PROBE_OK || res.exit_status != 0) {
		if (st == PROBE_OK)
			free(res.output);
		check_add(l, "user.libvirt", "userspace", "libvirt", CHECK_UNKNOWN, NULL,
			  "%s --version failed", o->virsh);
		return;
	}
	unsigned maj, min, mic;
	if (parse_dotted_version(res.output, &maj, &min, &mic)) {
		r = check_add(l, "user.libvirt", "userspace", "libvirt", CHECK_PASS, NULL,
			      "libvirt %u.%u.%u", maj, min, mic);
		char v[32];
		snprintf(v, sizeof(v), "%u.%u.%u", maj, min, mic);
		json_object_object_add(check_data(r), "version", json_object_new_string(v));
	} else {
		check_add(l, "user.libvirt", "userspace", "libvirt", CHECK_UNKNOWN, NULL,
			  "%s --version printed no version", o->virsh);
	}
	free(res.output);

	const char *const caps_argv[] = {o->virsh,	    "-c",	  o->libvirt_uri,
					 "domcapabilities", "--virttype", "kvm",
					 "--arch",	    "x86_64",	  NULL};
	st = p->ops->run(p->ctx, "virsh-domcaps", caps_argv, NULL, &res);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", st,
					"domain capabilities");
		return;
	}
	if (res.exit_status != 0) {
		char why[160];
		error_line(o->virsh, res.output, why, sizeof(why));
		check_add(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", CHECK_WARN,
			  "start libvirtd (systemctl start libvirtd)",
			  "cannot get domain capabilities from %s: %s", o->libvirt_uri, why);
		free(res.output);
		return;
	}
	bool sev, snp;
	bool ok = domcaps_parse(res.output, strlen(res.output), &sev, &snp);
	free(res.output);
	if (!ok) {
		check_add(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", CHECK_UNKNOWN,
			  NULL, "domain capabilities are not valid XML");
	} else if (snp) {
		check_add(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", CHECK_PASS, NULL,
			  "domain capabilities list launchSecurity sev-snp");
	} else {
		check_add(l, "user.libvirt_snp", "userspace", "libvirt SEV-SNP", CHECK_WARN,
			  "use libvirt >= the version with launchSecurity type='sev-snp', on an "
			  "SNP-ready kernel",
			  "domain capabilities do not list launchSecurity sev-snp%s",
			  sev ? " (plain SEV only)" : "");
	}
}

void checks_userspace(struct provider *p, const struct check_options *o, struct check_list *l)
{
	qemu_checks(p, o, l);
	libvirt_checks(p, o, l);
}
