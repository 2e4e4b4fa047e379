// SPDX-License-Identifier: MIT
/* Firmware/BIOS state: SYSCFG, the RMP table reservation, and the IOMMU. */
#include "checks.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include <x86/msr-amd.h>

/* The BSP is enough: the kernel programs SYSCFG identically on every CPU. */
#define MSR_CPU 0u

static void fw_syscfg(struct provider *p, struct check_list *l)
{
	uint64_t v;
	enum probe_status st = p->ops->rdmsr(p->ctx, MSR_CPU, MSR_AMD_SYSCFG, &v);
	struct check_result *r;
	if (st == PROBE_ABSENT) {
		r = check_add(l, "fw.syscfg", "firmware", "SYSCFG MSR", CHECK_UNKNOWN,
			      "modprobe msr",
			      "cannot read MSRs: /dev/cpu/0/msr missing "
			      "(msr driver not loaded)");
		r->fix_kind = FIX_LOAD_MSR;
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "fw.syscfg", "firmware", "SYSCFG MSR", st,
					"MSR C001_0010h (SYSCFG)");
		return;
	}
	bool smee = v & SYSCFG_MEM_ENCRYPTION_MOD_EN, snp = v & SYSCFG_SNP_EN;
	bool vmpl = v & SYSCFG_VMPL_EN;
	if (smee && snp && vmpl) {
		r = check_add(l, "fw.syscfg", "firmware", "SYSCFG MSR", CHECK_PASS, NULL,
			      "%#llx: memory encryption, SNP and VMPLs enabled",
			      (unsigned long long)v);
	} else if (!smee) {
		r = check_add(l, "fw.syscfg", "firmware", "SYSCFG MSR", CHECK_FAIL,
			      "enable SMEE (memory encryption) and SEV-SNP in the BIOS",
			      "%#llx: memory encryption (SMEE, bit 23) disabled by the BIOS",
			      (unsigned long long)v);
		r->fix_kind = FIX_BIOS;
	} else {
		/* SNPEn and VMPLEn are set by the kernel once it has set up the RMP. */
		r = check_add(l, "fw.syscfg", "firmware", "SYSCFG MSR", CHECK_FAIL,
			      "enable SEV-SNP and SNP memory coverage in the BIOS, boot an "
			      "SNP-capable kernel",
			      "%#llx: SNP %s, VMPL %s (the kernel did not enable SNP)",
			      (unsigned long long)v, snp ? "enabled" : "disabled",
			      vmpl ? "enabled" : "disabled");
		r->fix_kind = FIX_BIOS;
	}
	json_object *d = check_data(r);
	json_object_object_add(d, "value", json_object_new_int64((int64_t)v));
	json_object_object_add(d, "mem_encrypt", json_object_new_boolean(smee));
	json_object_object_add(d, "snp_en", json_object_new_boolean(snp));
	json_object_object_add(d, "vmpl_en", json_object_new_boolean(vmpl));
}

static void fw_rmp(struct provider *p, struct host_facts *f, struct check_list *l)
{
	uint64_t base, end;
	enum probe_status st = p->ops->rdmsr(p->ctx, MSR_CPU, MSR_AMD_RMP_BASE, &base);
	if (st == PROBE_OK)
		st = p->ops->rdmsr(p->ctx, MSR_CPU, MSR_AMD_RMP_END, &end);
	if (st != PROBE_OK) {
		struct check_result *r = check_add_probe_failure(
			l, "fw.rmp", "firmware", "RMP table reserved", st, "RMP_BASE/RMP_END MSRs");
		if (st == PROBE_ABSENT) {
			check_set_fix(r, FIX_LOAD_MSR, "modprobe msr");
			free(r->detail);
			r->detail = strdup("cannot read MSRs: /dev/cpu/0/msr missing (msr driver "
					   "not loaded)");
		}
		return;
	}
	uint64_t b = base & MSR_AMD_RMP_ADDR_MASK, e = end & MSR_AMD_RMP_ADDR_MASK;
	struct check_result *r;
	if (b == 0 || e == 0) {
		r = check_add(l, "fw.rmp", "firmware", "RMP table reserved", CHECK_FAIL,
			      "enable SEV-SNP and SNP memory coverage in the BIOS",
			      "RMP_BASE=%#llx RMP_END=%#llx: the BIOS reserved no RMP table",
			      (unsigned long long)base, (unsigned long long)end);
		r->fix_kind = FIX_BIOS;
	} else if (b > e) {
		r = check_add(l, "fw.rmp", "firmware", "RMP table reserved", CHECK_FAIL,
			      "update the BIOS", "RMP_BASE=%#llx > RMP_END=%#llx: invalid",
			      (unsigned long long)base, (unsigned long long)end);
		r->fix_kind = FIX_BIOS;
	} else {
		f->rmp_known = true;
		f->rmp_base = b;
		f->rmp_end = end;
		r = check_add(l, "fw.rmp", "firmware", "RMP table reserved", CHECK_PASS, NULL,
			      "RMP table %#llx-%#llx (%llu MiB)", (unsigned long long)b,
			      (unsigned long long)end, (unsigned long long)((end - b + 1) >> 20));
	}
	json_object_object_add(check_data(r), "rmp_base", json_object_new_int64((int64_t)base));
	json_object_object_add(check_data(r), "rmp_end", json_object_new_int64((int64_t)end));
}

/* The BIOS reserves the RMP in the e820 map; Linux lists it in /proc/iomem as a
 * top-level "Reserved" range (arch/x86/virt/svm/sev.c keeps it out of System RAM).
 * There is no SNP-specific name. */
static void fw_rmp_iomem(struct provider *p, const struct host_facts *f, struct check_list *l)
{
	if (!f->rmp_known) {
		/* Unknown RMP (MSRs unreadable) leaves this unknown too; a missing RMP
		 * makes it not applicable. */
		const struct check_result *rmp = check_find(l, "fw.rmp");
		bool unknown = rmp && rmp->status == CHECK_UNKNOWN;
		bool root = rmp && rmp->needs_root;
		struct check_result *r = check_add(
			l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM",
			unknown ? CHECK_UNKNOWN : CHECK_SKIP, NULL, "RMP location unknown");
		r->needs_root = root;
		return;
	}
	char *text;
	enum probe_status st = p->ops->read_file(p->ctx, "/proc/iomem", &text, NULL);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM",
					st, "/proc/iomem");
		return;
	}
	enum iomem_verdict v = iomem_check_range(text, f->rmp_base, f->rmp_end, "Reserved");
	free(text);
	struct check_result *r;
	switch (v) {
	case IOMEM_COVERED:
		check_add(l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM", CHECK_PASS,
			  NULL, "/proc/iomem: RMP range is Reserved");
		break;
	case IOMEM_NOT_COVERED:
		r = check_add(l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM",
			      CHECK_FAIL, "update the BIOS; check the e820 map",
			      "/proc/iomem: RMP range %#llx-%#llx is not all Reserved",
			      (unsigned long long)f->rmp_base, (unsigned long long)f->rmp_end);
		r->fix_kind = FIX_BIOS;
		break;
	case IOMEM_HIDDEN:
		r = check_add(l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM",
			      CHECK_UNKNOWN, "run snp-host as root",
			      "/proc/iomem shows addresses only to root");
		r->needs_root = true;
		break;
	case IOMEM_GARBAGE:
		check_add(l, "fw.rmp_iomem", "firmware", "RMP kept out of System RAM",
			  CHECK_UNKNOWN, NULL, "/proc/iomem is not in the expected format");
		break;
	}
}

/* Whether the kernel command line has token (whole word). */
static bool cmdline_has(const char *cmdline, const char *token)
{
	size_t n = strlen(token);
	for (const char *p = cmdline; (p = strstr(p, token)) != NULL; p += n) {
		bool start = p == cmdline || p[-1] == ' ';
		bool end = p[n] == '\0' || p[n] == ' ' || p[n] == '\n';
		if (start && end)
			return true;
	}
	return false;
}

/* SNP needs the IOMMU on and not in passthrough: drivers/iommu/amd/init.c refuses
 * ("SNP: IOMMU disabled or configured in passthrough mode, SNP cannot be supported"). */
static void fw_iommu(struct provider *p, struct check_list *l)
{
	char *cmdline = NULL;
	enum probe_status st = p->ops->read_file(p->ctx, "/proc/cmdline", &cmdline, NULL);
	static const char *const bad[] = {"iommu=pt", "iommu=off", "amd_iommu=off",
					  "iommu.passthrough=1"};
	struct check_result *r;
	if (st == PROBE_OK) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (cmdline_has(cmdline, bad[i])) {
				r = check_add(l, "fw.iommu", "firmware", "IOMMU enabled",
					      CHECK_FAIL, NULL,
					      "kernel command line has %s: SNP needs the IOMMU "
					      "on and not in passthrough",
					      bad[i]);
				check_set_fix(r, FIX_IOMMU_CMDLINE,
					      "remove %s from the kernel command line", bad[i]);
				free(cmdline);
				return;
			}
		}
	}
	free(cmdline);
	unsigned n = 0;
	/* AMD IOMMUs register in sysfs as ivhd0, ivhd1, ... */
	st = p->ops->count_dir(p->ctx, "/sys/class/iommu", "ivhd", &n);
	if (st == PROBE_ABSENT || (st == PROBE_OK && n == 0)) {
		r = check_add(l, "fw.iommu", "firmware", "IOMMU enabled", CHECK_FAIL,
			      "enable the IOMMU in the BIOS",
			      "no AMD IOMMU in /sys/class/iommu: SNP needs the IOMMU");
		r->fix_kind = FIX_BIOS;
		return;
	}
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "fw.iommu", "firmware", "IOMMU enabled", st,
					"/sys/class/iommu");
		return;
	}
	r = check_add(l, "fw.iommu", "firmware", "IOMMU enabled", CHECK_PASS, NULL,
		      "%u AMD IOMMU unit(s), not in passthrough", n);
	json_object_object_add(check_data(r), "units", json_object_new_int((int)n));
}

void checks_firmware(struct provider *p, struct host_facts *f, struct check_list *l)
{
	if (!f->is_amd || !f->sev_leaf || !f->snp_cpu) {
		/* Not applicable when the CPU definitely lacks SNP; unknown when CPUID
		 * could not be read. */
		bool known = check_status_of(l, "cpu.vendor") == CHECK_FAIL ||
			     check_status_of(l, "cpu.sev") == CHECK_FAIL;
		enum check_status st = known ? CHECK_SKIP : CHECK_UNKNOWN;
		const char *why = !f->cpuid_ok	 ? "CPU unknown"
				  : !f->is_amd	 ? "not an AMD CPU"
				  : !f->sev_leaf ? "CPU SEV support unknown"
						 : "the CPU reports no SEV-SNP";
		check_add(l, "fw.syscfg", "firmware", "SYSCFG MSR", st, NULL, "%s", why);
		check_add(l, "fw.rmp", "firmware", "RMP table reserved", st, NULL, "%s", why);
		fw_iommu(p, l);
		return;
	}
	fw_syscfg(p, l);
	fw_rmp(p, f, l);
	fw_rmp_iomem(p, f, l);
	fw_iommu(p, l);
}
