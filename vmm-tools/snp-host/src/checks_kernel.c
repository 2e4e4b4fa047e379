// SPDX-License-Identifier: MIT
/* Kernel checks: version, config, kvm_amd, /dev/sev and the SNP firmware, /dev/kvm. */
#include "checks.h"
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sev/snp-firmware.h>
#include <sev/snp-platform-status.h>
#include <kvm/planes.h>

/* Our kvm-patches apply to Debian's linux-source-6.12 (docs/build.md, field notes);
 * SNP host support is upstream in 6.12. */
#define KERNEL_BASE_MAJOR 6u
#define KERNEL_BASE_MINOR 12u

/*
 * Lowest SNP firmware API the kernel accepts: drivers/crypto/ccp/sev-dev.c
 * (SNP_MIN_API_MAJOR/MINOR = 1.51) refuses SNP_INIT below it. An SVSM needs no
 * firmware command beyond that set (SNP_LAUNCH_UPDATE with VMPL permissions and
 * VMSA pages), so the same floor applies to SNP with an SVSM.
 */
#define SNP_FW_MIN_MAJOR 1u
#define SNP_FW_MIN_MINOR 51u

static void kernel_version(struct provider *p, struct check_list *l, char *release, size_t size)
{
	char *text;
	release[0] = '\0';
	enum probe_status st = p->ops->read_file(p->ctx, "/proc/sys/kernel/osrelease", &text, NULL);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "kernel.version", "kernel", "Kernel version", st,
					"/proc/sys/kernel/osrelease");
		return;
	}
	text[strcspn(text, "\n")] = '\0';
	snprintf(release, size, "%s", text);
	free(text);
	unsigned maj, min, patch;
	struct check_result *r;
	if (!parse_kernel_release(release, &maj, &min, &patch)) {
		r = check_add(l, "kernel.version", "kernel", "Kernel version", CHECK_UNKNOWN, NULL,
			      "unrecognised release \"%.40s\"", release);
	} else if (version_cmp(maj, min, KERNEL_BASE_MAJOR, KERNEL_BASE_MINOR) < 0) {
		r = check_add(l, "kernel.version", "kernel", "Kernel version", CHECK_WARN, NULL,
			      "%s: older than %u.%u, the base of our KVM patches", release,
			      KERNEL_BASE_MAJOR, KERNEL_BASE_MINOR);
		check_set_fix(r, FIX_OUR_KERNEL, "install the kernel built from kvm-patches/");
	} else {
		r = check_add(l, "kernel.version", "kernel", "Kernel version", CHECK_PASS, NULL,
			      "%s", release);
	}
	json_object_object_add(check_data(r), "release", json_object_new_string(release));
}

static void kernel_config(struct provider *p, struct check_list *l, const char *release)
{
	static const struct {
		const char *name;
		bool module_ok;
	} need[] = {
		{"CONFIG_KVM_AMD", true},
		{"CONFIG_KVM_AMD_SEV", false},
		{"CONFIG_AMD_MEM_ENCRYPT", false},
		{"CONFIG_CRYPTO_DEV_CCP_DD", true},
		{"CONFIG_CRYPTO_DEV_SP_PSP", false},
		{"CONFIG_AMD_IOMMU", false},
	};
	char path[300];
	char *text = NULL;
	const char *where = path;
	snprintf(path, sizeof(path), "/boot/config-%s", release);
	enum probe_status st =
		release[0] ? p->ops->read_file(p->ctx, path, &text, NULL) : PROBE_ABSENT;
	if (st == PROBE_ABSENT) {
		where = "/proc/config.gz";
		st = p->ops->read_file(p->ctx, where, &text, NULL);
	}
	if (st == PROBE_ABSENT) {
		check_add(l, "kernel.config", "kernel", "Kernel config", CHECK_UNKNOWN, NULL,
			  "no /boot/config-%s nor /proc/config.gz",
			  release[0] ? release : "<release>");
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "kernel.config", "kernel", "Kernel config", st, where);
		return;
	}
	char missing[256] = "";
	bool garbage = false;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		char v = kconfig_value(text, need[i].name);
		if (v == '?') {
			garbage = true;
			break;
		}
		if (v == 'y' || (v == 'm' && need[i].module_ok))
			continue;
		size_t used = strlen(missing);
		snprintf(missing + used, sizeof(missing) - used, " %s=%c", need[i].name,
			 v == 's' ? '?' : v);
	}
	free(text);
	struct check_result *r;
	if (garbage) {
		check_add(l, "kernel.config", "kernel", "Kernel config", CHECK_UNKNOWN, NULL,
			  "%s is not a kernel config", where);
	} else if (missing[0]) {
		r = check_add(l, "kernel.config", "kernel", "Kernel config", CHECK_FAIL, NULL,
			      "%s lacks:%s", where, missing);
		check_set_fix(r, FIX_OUR_KERNEL, "install the kernel built from kvm-patches/");
	} else {
		check_add(l, "kernel.config", "kernel", "Kernel config", CHECK_PASS, NULL,
			  "KVM_AMD_SEV, AMD_MEM_ENCRYPT, CRYPTO_DEV_SP_PSP, AMD_IOMMU set (%s)",
			  where);
	}
}

/* Read a kvm_amd parameter: 1, 0, -1 unreadable/garbage, -2 absent. */
static int kvm_amd_param(struct provider *p, const char *name)
{
	char path[96], *text;
	snprintf(path, sizeof(path), "/sys/module/kvm_amd/parameters/%s", name);
	enum probe_status st = p->ops->read_file(p->ctx, path, &text, NULL);
	if (st == PROBE_ABSENT)
		return -2;
	if (st != PROBE_OK)
		return -1;
	int v = parse_bool_param(text);
	free(text);
	return v;
}

static void kernel_kvm_amd(struct provider *p, struct check_list *l)
{
	struct check_result *r;
	if (p->ops->exists(p->ctx, "/sys/module/kvm_amd") != PROBE_OK) {
		r = check_add(l, "kernel.kvm_amd", "kernel", "kvm_amd SEV parameters", CHECK_FAIL,
			      NULL, "kvm_amd is not loaded");
		check_set_fix(r, FIX_KVM_AMD_OPTS, "modprobe kvm_amd sev=1 sev_es=1 sev_snp=1");
		return;
	}
	int sev = kvm_amd_param(p, "sev"), es = kvm_amd_param(p, "sev_es");
	int snp = kvm_amd_param(p, "sev_snp");
	if (snp == -2) {
		r = check_add(l, "kernel.kvm_amd", "kernel", "kvm_amd SEV parameters", CHECK_FAIL,
			      NULL,
			      "kvm_amd has no sev_snp parameter: no SNP host support "
			      "in this kernel");
		check_set_fix(r, FIX_OUR_KERNEL, "install the kernel built from kvm-patches/");
	} else if (sev < 0 || es < 0 || snp < 0) {
		r = check_add(l, "kernel.kvm_amd", "kernel", "kvm_amd SEV parameters",
			      CHECK_UNKNOWN, NULL,
			      "unreadable or unexpected values in "
			      "/sys/module/kvm_amd/parameters/{sev,sev_es,sev_snp}");
	} else if (sev && es && snp) {
		r = check_add(l, "kernel.kvm_amd", "kernel", "kvm_amd SEV parameters", CHECK_PASS,
			      NULL, "sev=Y sev_es=Y sev_snp=Y");
	} else {
		r = check_add(l, "kernel.kvm_amd", "kernel", "kvm_amd SEV parameters", CHECK_FAIL,
			      NULL,
			      "sev=%c sev_es=%c sev_snp=%c (off by option, or the platform "
			      "failed SNP initialisation)",
			      sev ? 'Y' : 'N', es ? 'Y' : 'N', snp ? 'Y' : 'N');
		check_set_fix(r, FIX_KVM_AMD_OPTS,
			      "options kvm_amd sev=1 sev_es=1 sev_snp=1, then reload kvm_amd");
	}
	json_object *d = check_data(r);
	json_object_object_add(d, "sev", json_object_new_int(sev));
	json_object_object_add(d, "sev_es", json_object_new_int(es));
	json_object_object_add(d, "sev_snp", json_object_new_int(snp));
}

static void add_tcb(json_object *d, const char *key, uint64_t tcb, bool turin)
{
	json_object *o = json_object_new_object();
	char hex[24];
	snprintf(hex, sizeof(hex), "%#018llx", (unsigned long long)tcb);
	json_object_object_add(o, "raw", json_object_new_string(hex));
	if (turin) {
		json_object_object_add(o, "fmc",
				       json_object_new_int(snp_tcb_byte(tcb, SNP_TCB_V2_FMC_BYTE)));
	}
	json_object_object_add(
		o, "bootloader",
		json_object_new_int(snp_tcb_byte(tcb, turin ? SNP_TCB_V2_BOOT_LOADER_BYTE
							    : SNP_TCB_V1_BOOT_LOADER_BYTE)));
	json_object_object_add(o, "tee",
			       json_object_new_int(snp_tcb_byte(tcb, turin ? SNP_TCB_V2_TEE_BYTE
									   : SNP_TCB_V1_TEE_BYTE)));
	json_object_object_add(o, "snp",
			       json_object_new_int(snp_tcb_byte(tcb, turin ? SNP_TCB_V2_SNP_BYTE
									   : SNP_TCB_V1_SNP_BYTE)));
	/* MICROCODE is byte 7 in both layouts. */
	json_object_object_add(o, "microcode",
			       json_object_new_int(snp_tcb_byte(tcb, SNP_TCB_V1_MICROCODE_BYTE)));
	json_object_object_add(d, key, o);
}

static void kernel_sev_device(struct provider *p, struct host_facts *f, struct check_list *l)
{
	struct check_result *r;
	if (p->ops->exists(p->ctx, "/dev/sev") != PROBE_OK) {
		r = check_add(l, "kernel.dev_sev", "kernel", "/dev/sev", CHECK_FAIL, NULL,
			      "/dev/sev missing: the PSP driver (ccp) is not loaded or found no "
			      "SEV firmware");
		check_set_fix(r, FIX_LOAD_CCP, "modprobe ccp");
		check_add(l, "kernel.snp_status", "kernel", "SNP platform status", CHECK_SKIP, NULL,
			  "no /dev/sev");
		check_add(l, "kernel.fw_min", "kernel", "SNP firmware version", CHECK_SKIP, NULL,
			  "no /dev/sev");
		return;
	}
	check_add(l, "kernel.dev_sev", "kernel", "/dev/sev", CHECK_PASS, NULL, "present");

	uint32_t fw_error = 0;
	enum probe_status st = p->ops->snp_platform_status(p->ctx, &f->snp, &fw_error);
	if (st != PROBE_OK) {
		if (st == PROBE_ERROR && fw_error) {
			check_add(l, "kernel.snp_status", "kernel", "SNP platform status",
				  CHECK_FAIL, NULL,
				  "SNP_PLATFORM_STATUS failed with firmware error %#x", fw_error);
		} else if (st == PROBE_ABSENT) {
			/* EINVAL/ENOTTY: the PSP driver has no SNP commands or SNP is not up;
			 * either way no SNP guest can start. */
			check_add(l, "kernel.snp_status", "kernel", "SNP platform status",
				  CHECK_FAIL,
				  "load kvm_amd with sev_snp=1 on an SNP-capable kernel (ours: "
				  "kvm-patches/)",
				  "/dev/sev rejects SNP_PLATFORM_STATUS: no SNP support in the PSP "
				  "driver, or SNP not initialised");
		} else {
			check_add_probe_failure(l, "kernel.snp_status", "kernel",
						"SNP platform status", st,
						"/dev/sev (SNP_PLATFORM_STATUS)");
		}
		check_add(l, "kernel.fw_min", "kernel", "SNP firmware version",
			  check_status_of(l, "kernel.snp_status") == CHECK_FAIL ? CHECK_SKIP
										: CHECK_UNKNOWN,
			  NULL, "no platform status");
		return;
	}
	f->snp_status_ok = true;
	const struct snp_status_info *s = &f->snp;
	if (s->state == SNP_PLATFORM_STATE_INIT) {
		r = check_add(l, "kernel.snp_status", "kernel", "SNP platform status", CHECK_PASS,
			      NULL, "API %u.%u build %u, initialised, %u guest(s)", s->api_major,
			      s->api_minor, s->build_id, s->guest_count);
	} else {
		r = check_add(l, "kernel.snp_status", "kernel", "SNP platform status", CHECK_FAIL,
			      NULL,
			      "API %u.%u build %u, state %u: SNP firmware not initialised "
			      "(the kernel did not run SNP_INIT)",
			      s->api_major, s->api_minor, s->build_id, s->state);
		check_set_fix(r, FIX_KVM_AMD_OPTS,
			      "options kvm_amd sev=1 sev_es=1 sev_snp=1, then reload kvm_amd");
	}
	json_object *d = check_data(r);
	char api[16];
	snprintf(api, sizeof(api), "%u.%u", s->api_major, s->api_minor);
	json_object_object_add(d, "api_version", json_object_new_string(api));
	json_object_object_add(d, "build", json_object_new_int64(s->build_id));
	json_object_object_add(d, "state", json_object_new_int(s->state));
	json_object_object_add(d, "rmp_initialized", json_object_new_boolean(s->rmp_initialized));
	json_object_object_add(d, "guest_count", json_object_new_int64(s->guest_count));
	json_object_object_add(d, "mask_chip_id", json_object_new_boolean(s->mask_chip_id));
	json_object_object_add(d, "mask_chip_key", json_object_new_boolean(s->mask_chip_key));
	json_object_object_add(d, "vlek_en", json_object_new_boolean(s->vlek_en));
	/* TCB_VERSION byte layout depends on the CPU family (56860 section 2.2). */
	bool turin = f->family >= 0x1a;
	add_tcb(d, "current_tcb", s->current_tcb, turin);
	add_tcb(d, "reported_tcb", s->reported_tcb, turin);

	if (version_cmp(s->api_major, s->api_minor, SNP_FW_MIN_MAJOR, SNP_FW_MIN_MINOR) >= 0) {
		check_add(l, "kernel.fw_min", "kernel", "SNP firmware version", CHECK_PASS, NULL,
			  "API %u.%u >= %u.%u (Linux's SNP minimum; enough for an SVSM)",
			  s->api_major, s->api_minor, SNP_FW_MIN_MAJOR, SNP_FW_MIN_MINOR);
	} else {
		r = check_add(l, "kernel.fw_min", "kernel", "SNP firmware version", CHECK_FAIL,
			      NULL, "API %u.%u < %u.%u: Linux refuses SNP_INIT", s->api_major,
			      s->api_minor, SNP_FW_MIN_MAJOR, SNP_FW_MIN_MINOR);
		check_set_fix(r, FIX_FIRMWARE,
			      "update the SEV firmware (BIOS update or amd_sev_fam19h firmware "
			      "file)");
	}
}

static void kernel_kvm(struct provider *p, const struct check_options *o, struct check_list *l)
{
	struct check_result *r;
	if (p->ops->exists(p->ctx, "/dev/kvm") != PROBE_OK) {
		r = check_add(l, "kernel.dev_kvm", "kernel", "/dev/kvm", CHECK_FAIL, NULL,
			      "/dev/kvm missing");
		check_set_fix(r, FIX_KVM_AMD_OPTS, "modprobe kvm_amd");
		check_add(l, "kernel.kvm_vmpl", "kernel", "VMPL-aware KVM (our patches)",
			  CHECK_SKIP, NULL, "no /dev/kvm");
		return;
	}
	check_add(l, "kernel.dev_kvm", "kernel", "/dev/kvm", CHECK_PASS, NULL, "present");
	if (o->kvm_vmpl_cap <= 0) {
		check_add(l, "kernel.kvm_vmpl", "kernel", "VMPL-aware KVM (our patches)",
			  CHECK_UNKNOWN, NULL,
			  "cannot tell: the KVM capability number for VMPL support is not "
			  "defined yet (kvm-patches)");
		return;
	}
	long v = 0;
	enum probe_status st = p->ops->kvm_check_extension(p->ctx, o->kvm_vmpl_cap, &v);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "kernel.kvm_vmpl", "kernel",
					"VMPL-aware KVM (our patches)", st,
					"/dev/kvm (KVM_CHECK_EXTENSION)");
		return;
	}
	if (v >= KVMP_PLANES_MULTI_VMPL_MIN) {
		r = check_add(l, "kernel.kvm_vmpl", "kernel", "VMPL-aware KVM (our patches)",
			      CHECK_PASS, NULL, "KVM capability %ld = %ld planes (VMPLs)",
			      o->kvm_vmpl_cap, v);
	} else if (v == 1) {
		/* Our KVM with the planes API, but only plane 0: no multi-VMPL VM type. */
		r = check_add(l, "kernel.kvm_vmpl", "kernel", "VMPL-aware KVM (our patches)",
			      CHECK_FAIL, NULL,
			      "KVM capability %ld = 1: our KVM, but multi-VMPL guests are off "
			      "(SEV-SNP not enabled in kvm_amd, or kvm_amd snp_planes=0)",
			      o->kvm_vmpl_cap);
		check_set_fix(r, FIX_KVM_AMD_OPTS,
			      "load kvm_amd with sev_snp=1 (and snp_planes=1)");
	} else {
		r = check_add(l, "kernel.kvm_vmpl", "kernel", "VMPL-aware KVM (our patches)",
			      CHECK_FAIL, NULL,
			      "KVM capability %ld not offered: stock KVM runs no VMPL>0 vCPUs",
			      o->kvm_vmpl_cap);
		check_set_fix(r, FIX_OUR_KERNEL, "install the kernel built from kvm-patches/");
	}
	json_object_object_add(check_data(r), "capability", json_object_new_int64(o->kvm_vmpl_cap));
	json_object_object_add(check_data(r), "value", json_object_new_int64(v));
}

void checks_kernel(struct provider *p, struct host_facts *f, const struct check_options *o,
		   struct check_list *l)
{
	char release[128];
	kernel_version(p, l, release, sizeof(release));
	kernel_config(p, l, release);
	kernel_kvm_amd(p, l);
	kernel_sev_device(p, f, l);
	kernel_kvm(p, o, l);
}
