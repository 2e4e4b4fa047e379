// SPDX-License-Identifier: MIT
/* CPU checks: vendor, family, and the SEV capability leaf 8000_001Fh. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

#include <x86/cpuid.h>
#include <x86/cpuid-sev.h>

/*
 * SEV-SNP first shipped with Zen 3 (AMD EPYC 7003 "Milan"), family 19h
 * (AMD PPR for Family 19h Model 01h, pub. 55898). Earlier families have no SNP;
 * later ones (1Ah, Zen 5) keep it. Policy threshold, not an ABI constant.
 */
#define SNP_MIN_CPU_FAMILY 0x19u
/* An SVSM runs at VMPL0 and the guest OS at a higher VMPL: at least two. */
#define SNP_SVSM_MIN_VMPLS 2u

static const char amd_vendor[] = "AuthenticAMD";

static void cpu_vendor_and_family(struct provider *p, struct host_facts *f, struct check_list *l)
{
	struct cpuid_regs r0, r1;
	enum probe_status st = p->ops->cpuid(p->ctx, CPUID_FN_VENDOR, 0, &r0);
	if (st == PROBE_OK)
		st = p->ops->cpuid(p->ctx, CPUID_FN_FEATURES, 0, &r1);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "cpu.vendor", "cpu", "CPU vendor", st, "CPUID");
		return;
	}
	f->cpuid_ok = true;
	char vendor[13];
	memcpy(vendor, &r0.ebx, 4);
	memcpy(vendor + 4, &r0.edx, 4);
	memcpy(vendor + 8, &r0.ecx, 4);
	vendor[12] = '\0';
	for (int i = 0; i < 12; i++) {
		if (vendor[i] < 0x20 || vendor[i] > 0x7e)
			vendor[i] = '?';
	}
	f->is_amd = strcmp(vendor, amd_vendor) == 0;
	f->hypervisor = (r1.ecx & CPUID_1_ECX_HYPERVISOR) != 0;
	unsigned base_family = (r1.eax & CPUID_1_EAX_FAMILY_MASK) >> CPUID_1_EAX_FAMILY_SHIFT;
	unsigned ext_family =
		(r1.eax & CPUID_1_EAX_EXT_FAMILY_MASK) >> CPUID_1_EAX_EXT_FAMILY_SHIFT;
	unsigned base_model = (r1.eax & CPUID_1_EAX_MODEL_MASK) >> CPUID_1_EAX_MODEL_SHIFT;
	unsigned ext_model = (r1.eax & CPUID_1_EAX_EXT_MODEL_MASK) >> CPUID_1_EAX_EXT_MODEL_SHIFT;
	/* APM vol 3 appendix E.3.2: the extended fields count only when the base family is Fh. */
	f->family =
		base_family == CPUID_1_EAX_FAMILY_EXTENDED ? base_family + ext_family : base_family;
	f->model = base_family == CPUID_1_EAX_FAMILY_EXTENDED ? (ext_model << 4) | base_model
							      : base_model;
	f->stepping = (r1.eax & CPUID_1_EAX_STEPPING_MASK) >> CPUID_1_EAX_STEPPING_SHIFT;

	struct check_result *r;
	if (f->is_amd) {
		r = check_add(l, "cpu.vendor", "cpu", "CPU vendor", CHECK_PASS, NULL, "%s", vendor);
	} else {
		r = check_add(l, "cpu.vendor", "cpu", "CPU vendor", CHECK_FAIL,
			      "SEV-SNP needs an AMD EPYC (Zen 3 or later) host",
			      "%s: SEV-SNP is an AMD technology", vendor);
	}
	json_object_object_add(check_data(r), "vendor", json_object_new_string(vendor));

	if (f->hypervisor) {
		check_add(l, "cpu.hypervisor", "cpu", "Bare metal", CHECK_WARN,
			  "run snp-host on the physical host",
			  "this is a virtual machine (CPUID 1 ECX[31] hypervisor bit set): "
			  "SEV-SNP host support needs bare metal");
	} else {
		check_add(l, "cpu.hypervisor", "cpu", "Bare metal", CHECK_PASS, NULL,
			  "no hypervisor bit: running on bare metal");
	}

	if (!f->is_amd) {
		r = check_add(l, "cpu.family", "cpu", "CPU family (Zen 3+)", CHECK_SKIP, NULL,
			      "family %xh model %xh: not an AMD CPU", f->family, f->model);
	} else if (f->family >= SNP_MIN_CPU_FAMILY) {
		r = check_add(l, "cpu.family", "cpu", "CPU family (Zen 3+)", CHECK_PASS, NULL,
			      "family %xh model %xh stepping %u (Zen 3 or later)", f->family,
			      f->model, f->stepping);
	} else {
		r = check_add(l, "cpu.family", "cpu", "CPU family (Zen 3+)", CHECK_FAIL,
			      "SEV-SNP needs Zen 3 (family 19h) or later",
			      "family %xh model %xh: older than Zen 3 (family 19h)", f->family,
			      f->model);
	}
	json_object *d = check_data(r);
	json_object_object_add(d, "family", json_object_new_int((int)f->family));
	json_object_object_add(d, "model", json_object_new_int((int)f->model));
	json_object_object_add(d, "stepping", json_object_new_int((int)f->stepping));
}

static void cpu_sev_leaf(struct provider *p, struct host_facts *f, struct check_list *l)
{
	struct cpuid_regs max, r;
	enum probe_status st = p->ops->cpuid(p->ctx, CPUID_FN_EXT_MAX, 0, &max);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "cpu.sev", "cpu", "CPU SEV/SNP features", st,
					"CPUID 80000000h");
		return;
	}
	if (max.eax < CPUID_FN_SEV) {
		check_add(l, "cpu.sev", "cpu", "CPU SEV/SNP features", CHECK_FAIL,
			  "SEV-SNP needs an AMD EPYC (Zen 3 or later) host",
			  "no CPUID leaf 8000001Fh (highest extended leaf %08xh): no SEV at all",
			  max.eax);
		return;
	}
	st = p->ops->cpuid(p->ctx, CPUID_FN_SEV, 0, &r);
	if (st != PROBE_OK) {
		check_add_probe_failure(l, "cpu.sev", "cpu", "CPU SEV/SNP features", st,
					"CPUID 8000001Fh");
		return;
	}
	f->sev_leaf = true;
	f->sev_eax = r.eax;
	f->sev_ebx = r.ebx;
	f->sev_ecx = r.ecx;
	f->sev_edx = r.edx;
	bool sme = r.eax & CPUID_SEV_EAX_SME, sev = r.eax & CPUID_SEV_EAX_SEV;
	bool es = r.eax & CPUID_SEV_EAX_SEV_ES, snp = r.eax & CPUID_SEV_EAX_SNP;
	f->snp_cpu = snp;
	struct check_result *c;
	if (sev && es && snp) {
		c = check_add(l, "cpu.sev", "cpu", "CPU SEV/SNP features", CHECK_PASS, NULL,
			      "CPUID 8000001Fh: SME SEV SEV-ES SEV-SNP");
	} else {
		char missing[64];
		snprintf(missing, sizeof(missing), "%s%s%s", sev ? "" : " SEV", es ? "" : " SEV-ES",
			 snp ? "" : " SEV-SNP");
		c = check_add(l, "cpu.sev", "cpu", "CPU SEV/SNP features", CHECK_FAIL,
			      f->hypervisor ? "run on an SNP-capable physical host"
					    : "enable SEV/SNP in the BIOS, or use a Zen 3+ EPYC",
			      "CPUID 8000001Fh EAX=%08xh lacks%s%s", r.eax, missing,
			      f->hypervisor ? " (the hypervisor does not expose it)" : "");
		c->fix_kind = f->hypervisor ? FIX_NONE : FIX_BIOS;
	}
	json_object *d = check_data(c);
	json_object_object_add(d, "eax", json_object_new_int64(r.eax));
	json_object_object_add(d, "sme", json_object_new_boolean(sme));
	json_object_object_add(d, "sev", json_object_new_boolean(sev));
	json_object_object_add(d, "sev_es", json_object_new_boolean(es));
	json_object_object_add(d, "sev_snp", json_object_new_boolean(snp));

	unsigned cbit = cpuid_sev_cbit(r.ebx);
	unsigned reduce = cpuid_sev_phys_reduction(r.ebx);
	if (sev) {
		c = check_add(l, "cpu.cbit", "cpu", "C-bit position", CHECK_PASS, NULL,
			      "C-bit %u, physical address reduction %u bits", cbit, reduce);
	} else {
		c = check_add(l, "cpu.cbit", "cpu", "C-bit position", CHECK_SKIP, NULL,
			      "no SEV: no C-bit");
	}
	json_object_object_add(check_data(c), "cbitpos", json_object_new_int((int)cbit));
	json_object_object_add(check_data(c), "reduced_phys_bits",
			       json_object_new_int((int)reduce));

	bool vmpl = r.eax & CPUID_SEV_EAX_VMPL;
	unsigned nvmpl = cpuid_sev_num_vmpls(r.ebx);
	if (!snp) {
		c = check_add(l, "cpu.vmpl", "cpu", "VM privilege levels", CHECK_SKIP, NULL,
			      "no SEV-SNP: no VMPLs");
	} else if (vmpl && nvmpl >= SNP_SVSM_MIN_VMPLS) {
		c = check_add(l, "cpu.vmpl", "cpu", "VM privilege levels", CHECK_PASS, NULL,
			      "VMPL supported, %u levels (SVSM at VMPL0, guest above)", nvmpl);
	} else {
		c = check_add(l, "cpu.vmpl", "cpu", "VM privilege levels", CHECK_FAIL,
			      "an SVSM needs VMPLs: use a CPU that reports them",
			      "VMPL %s, %u levels: an SVSM needs at least %u",
			      vmpl ? "supported" : "not supported", nvmpl, SNP_SVSM_MIN_VMPLS);
	}
	json_object_object_add(check_data(c), "vmpl", json_object_new_boolean(vmpl));
	json_object_object_add(check_data(c), "num_vmpl", json_object_new_int((int)nvmpl));

	/* ECX: guests that can be encrypted at once; EDX: the lowest ASID for SEV
	 * without ES, so SEV-ES and SNP guests get ASIDs 1 .. EDX-1. */
	if (!sev) {
		c = check_add(l, "cpu.asids", "cpu", "Encrypted guest ASIDs", CHECK_SKIP, NULL,
			      "no SEV: no ASIDs");
	} else if (r.edx > 1 && r.ecx >= r.edx - 1) {
		c = check_add(l, "cpu.asids", "cpu", "Encrypted guest ASIDs", CHECK_PASS, NULL,
			      "%u ASIDs, %u for SEV-ES/SNP guests", r.ecx, r.edx - 1);
	} else {
		c = check_add(l, "cpu.asids", "cpu", "Encrypted guest ASIDs", CHECK_FAIL,
			      "raise the SEV-ES ASID space limit in the BIOS",
			      "%u ASIDs, none for SEV-ES/SNP guests (minimum SEV ASID %u)", r.ecx,
			      r.edx);
		c->fix_kind = FIX_BIOS;
	}
	json_object_object_add(check_data(c), "max_guests", json_object_new_int64(r.ecx));
	json_object_object_add(check_data(c), "min_sev_asid", json_object_new_int64(r.edx));
}

void checks_cpu(struct provider *p, struct host_facts *f, struct check_list *l)
{
	cpu_vendor_and_family(p, f, l);
	if (!f->cpuid_ok)
		return;
	if (!f->is_amd) {
		check_add(l, "cpu.sev", "cpu", "CPU SEV/SNP features", CHECK_SKIP, NULL,
			  "not an AMD CPU");
		return;
	}
	cpu_sev_leaf(p, f, l);
}
