// SPDX-License-Identifier: MIT
#include "readiness.h"

#include <stdio.h>
#include <string.h>

/* Checks each level needs to PASS (or WARN). */
static const char *const snp_needs[] = {
	"cpu.vendor",	  "cpu.family",	    "cpu.sev",		 "cpu.asids",
	"fw.syscfg",	  "fw.rmp",	    "fw.rmp_iomem",	 "fw.iommu",
	"kernel.kvm_amd", "kernel.dev_sev", "kernel.snp_status", "kernel.fw_min",
	"kernel.dev_kvm", "user.qemu",	    "user.qemu_snp",	 NULL,
};
static const char *const svsm_extra[] = {"cpu.vmpl", "kernel.kvm_vmpl", "user.qemu_igvm", NULL};
static const char *const emulated_needs[] = {"user.qemu", "user.qemu_igvm", "user.qemu_tcg_snp",
					     NULL};

const char *level_state_name(enum level_state s)
{
	switch (s) {
	case LEVEL_YES:
		return "yes";
	case LEVEL_NO:
		return "no";
	case LEVEL_UNKNOWN:
		return "unknown";
	}
	return "?";
}

/* NO beats UNKNOWN beats YES; the blocker is the first NO, else the first UNKNOWN. */
static void eval(const struct check_list *l, const char *const *a, const char *const *b,
		 struct level_eval *out)
{
	const char *first_no = NULL, *first_unknown = NULL;
	const char *const *lists[2] = {a, b};
	for (int k = 0; k < 2; k++) {
		for (const char *const *id = lists[k]; id && *id; id++) {
			/* A check that did not run (an earlier probe failed) is unknown. */
			const struct check_result *r = check_find(l, *id);
			enum check_status st = r ? r->status : CHECK_UNKNOWN;
			if ((st == CHECK_FAIL || st == CHECK_SKIP) && !first_no)
				first_no = *id;
			if (st == CHECK_UNKNOWN && !first_unknown)
				first_unknown = *id;
		}
	}
	if (first_no) {
		out->state = LEVEL_NO;
		out->blocker = first_no;
	} else if (first_unknown) {
		out->state = LEVEL_UNKNOWN;
		out->blocker = first_unknown;
	} else {
		out->state = LEVEL_YES;
		out->blocker = NULL;
	}
}

/* For a blocker that was skipped, name the failure that caused the skip instead. */
static const struct check_result *root_cause(const struct check_list *l, const char *id)
{
	const struct check_result *r = check_find(l, id);
	if (r && r->status != CHECK_SKIP)
		return r;
	for (size_t i = 0; i < l->count; i++) {
		if (l->items[i].status == CHECK_FAIL)
			return &l->items[i];
	}
	return r;
}

void readiness_eval(const struct check_list *l, struct readiness *out)
{
	memset(out, 0, sizeof(*out));
	eval(l, snp_needs, NULL, &out->snp);
	eval(l, snp_needs, svsm_extra, &out->svsm);
	eval(l, emulated_needs, NULL, &out->emulated);

	if (out->svsm.state == LEVEL_YES) {
		snprintf(out->summary, sizeof(out->summary),
			 "ready: SEV-SNP guests with an SVSM can run on this host");
		return;
	}
	const struct level_eval *e = out->snp.state == LEVEL_YES ? &out->svsm : &out->snp;
	const struct check_result *r = root_cause(l, e->blocker);
	const char *what = out->snp.state == LEVEL_YES ? "SNP with an SVSM" : "SEV-SNP guests";
	const char *detail = r && r->detail ? r->detail : "?";
	const char *cid = r ? r->id : "?";
	const char *emu = out->emulated.state == LEVEL_YES ? "; emulated SNP (TCG) only" : "";
	if (e->state == LEVEL_NO && out->snp.state == LEVEL_NO) {
		snprintf(out->summary, sizeof(out->summary), "not an SNP host: %s (%s)%s", detail,
			 cid, emu);
	} else if (e->state == LEVEL_NO) {
		snprintf(out->summary, sizeof(out->summary),
			 "plain SEV-SNP guests only; no %s: %s (%s)", what, detail, cid);
	} else {
		snprintf(out->summary, sizeof(out->summary),
			 "could not check whether %s can run: %s (%s)%s", what, detail, cid,
			 out->snp.state == LEVEL_YES ? "; plain SEV-SNP guests can run" : emu);
	}
}

int readiness_exit_status(const struct readiness *r, enum target t)
{
	const struct level_eval *e = t == TARGET_SVSM  ? &r->svsm
				     : t == TARGET_SNP ? &r->snp
						       : &r->emulated;
	switch (e->state) {
	case LEVEL_YES:
		return 0;
	case LEVEL_NO:
		return 1;
	case LEVEL_UNKNOWN:
		return 2;
	}
	return 2;
}
