// SPDX-License-Identifier: MIT
#include "fix_plan.h"

#include <stdlib.h>
#include <string.h>

#define MODPROBE_CONF "/etc/modprobe.d/snp-host.conf"

static const char kvm_amd_conf[] = "# written by snp-host --fix: SEV, SEV-ES and SEV-SNP guests\n"
				   "options kvm_amd sev=1 sev_es=1 sev_snp=1\n";

static void add(struct fix_plan *plan, struct fix_step s)
{
	if (plan->count >= FIX_MAX_STEPS)
		return;
	plan->steps[plan->count++] = s;
	if (s.kind == STEP_MANUAL)
		plan->manual++;
}

/* The first failing (or unknown) check asking for kind, or NULL. */
static const struct check_result *wants(const struct check_list *l, enum fix_kind kind)
{
	for (size_t i = 0; i < l->count; i++) {
		const struct check_result *r = &l->items[i];
		if (r->fix_kind == kind && r->status != CHECK_PASS && r->status != CHECK_SKIP)
			return r;
	}
	return NULL;
}

/* A CPU that cannot do SNP at all (wrong vendor or family, or a VM whose hypervisor
 * hides SEV): no software or BIOS step helps. */
static const struct check_result *hardware_blocker(const struct check_list *l)
{
	static const char *const ids[] = {"cpu.vendor", "cpu.family", "cpu.sev"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct check_result *r = check_find(l, ids[i]);
		if (r && r->status == CHECK_FAIL && r->fix_kind == FIX_NONE)
			return r;
	}
	return NULL;
}

void fix_plan_build(const struct check_list *l, struct fix_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	const struct check_result *r = hardware_blocker(l);
	if (r) {
		add(plan, (struct fix_step){
				  .kind = STEP_MANUAL,
				  .text = r->fix ? r->fix : "use an AMD EPYC (Zen 3 or later) host",
				  .because = r->id});
		return;
	}
	/* Module steps cannot help before the BIOS is fixed and the host rebooted:
	 * plan the BIOS change alone, and --fix again afterwards. */
	if ((r = wants(l, FIX_BIOS)) != NULL) {
		add(plan, (struct fix_step){
				  .kind = STEP_MANUAL,
				  .text = "in the BIOS setup enable SMEE, SEV-SNP, SNP memory "
					  "coverage (RMP table) and the IOMMU, and give SEV-ES/SNP "
					  "an ASID range; reboot, then run snp-host --fix again",
				  .because = r->id});
		return;
	}
	if ((r = wants(l, FIX_LOAD_MSR)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_COMMAND,
					    .text = "load the msr driver so MSRs can be checked",
					    .id = "fix-modprobe-msr",
					    .argv = {"modprobe", "msr", NULL},
					    .because = r->id});
	}
	if ((r = wants(l, FIX_LOAD_CCP)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_COMMAND,
					    .text = "load the PSP driver for /dev/sev",
					    .id = "fix-modprobe-ccp",
					    .argv = {"modprobe", "ccp", NULL},
					    .because = r->id});
	}
	if ((r = wants(l, FIX_KVM_AMD_OPTS)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_WRITE_FILE,
					    .text = "enable SEV, SEV-ES and SEV-SNP in kvm_amd",
					    .path = MODPROBE_CONF,
					    .content = kvm_amd_conf,
					    .because = r->id});
		add(plan, (struct fix_step){.kind = STEP_COMMAND,
					    .text = "unload kvm_amd (fails while VMs run)",
					    .id = "fix-unload-kvm-amd",
					    .argv = {"modprobe", "-r", "kvm_amd", NULL},
					    .because = r->id});
		add(plan, (struct fix_step){.kind = STEP_COMMAND,
					    .text = "load kvm_amd with the new options",
					    .id = "fix-load-kvm-amd",
					    .argv = {"modprobe", "kvm_amd", NULL},
					    .because = r->id});
	}
	if ((r = wants(l, FIX_IOMMU_CMDLINE)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_MANUAL, .text = r->fix, .because = r->id});
	}
	if ((r = wants(l, FIX_FIRMWARE)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_MANUAL, .text = r->fix, .because = r->id});
	}
	if ((r = wants(l, FIX_OUR_KERNEL)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_MANUAL,
					    .text = "build and install our host kernel "
						    "(kvm-patches/, see docs), then reboot into it",
					    .because = r->id});
	}
	if ((r = wants(l, FIX_OUR_QEMU)) != NULL) {
		add(plan, (struct fix_step){.kind = STEP_MANUAL,
					    .text = "build and install our QEMU (qemu-patches/, "
						    "see docs)",
					    .because = r->id});
	}
}

void fix_plan_print(FILE *out, const struct fix_plan *plan)
{
	if (plan->count == 0) {
		fprintf(out, "\nFix plan: nothing to do.\n");
		return;
	}
	fprintf(out, "\nFix plan:\n");
	for (size_t i = 0; i < plan->count; i++) {
		const struct fix_step *s = &plan->steps[i];
		fprintf(out, "  %zu. [%s] %s (for %s)\n", i + 1,
			s->kind == STEP_MANUAL ? "manual" : "auto", s->text, s->because);
		if (s->kind == STEP_WRITE_FILE) {
			fprintf(out, "       write %s:\n", s->path);
			for (const char *p = s->content; *p;) {
				const char *eol = strchr(p, '\n');
				size_t n = eol ? (size_t)(eol - p) : strlen(p);
				fprintf(out, "         %.*s\n", (int)n, p);
				p = eol ? eol + 1 : p + n;
			}
		} else if (s->kind == STEP_COMMAND) {
			fprintf(out, "       run:");
			for (size_t k = 0; s->argv[k]; k++)
				fprintf(out, " %s", s->argv[k]);
			fprintf(out, "\n");
		}
	}
}

int fix_plan_apply(FILE *out, struct provider *p, const struct fix_plan *plan)
{
	for (size_t i = 0; i < plan->count; i++) {
		const struct fix_step *s = &plan->steps[i];
		if (s->kind == STEP_WRITE_FILE) {
			enum probe_status st = p->ops->write_file(p->ctx, s->path, s->content);
			if (st != PROBE_OK) {
				fprintf(out, "step %zu FAILED: cannot write %s: %s\n", i + 1,
					s->path, probe_status_name(st));
				return -1;
			}
			fprintf(out, "step %zu done: wrote %s\n", i + 1, s->path);
		} else if (s->kind == STEP_COMMAND) {
			struct cmd_result res;
			enum probe_status st = p->ops->run(p->ctx, s->id, s->argv, NULL, &res);
			if (st != PROBE_OK) {
				fprintf(out, "step %zu FAILED: cannot run %s: %s\n", i + 1,
					s->argv[0], probe_status_name(st));
				return -1;
			}
			int rc = res.exit_status;
			if (rc != 0) {
				fprintf(out, "step %zu FAILED: %s exited %d: %s\n", i + 1,
					s->argv[0], rc, res.output ? res.output : "");
				free(res.output);
				return -1;
			}
			free(res.output);
			fprintf(out, "step %zu done: %s\n", i + 1, s->text);
		}
	}
	if (plan->manual)
		fprintf(out, "%zu manual step(s) remain; see the plan above.\n", plan->manual);
	return 0;
}
