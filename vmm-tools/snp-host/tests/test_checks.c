// SPDX-License-Identifier: MIT
/* Unit tests for the checks, readiness, fix plan and command runner, using an
 * in-memory provider. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks.h"
#include "fix_plan.h"
#include "readiness.h"
#include "runcmd.h"

#include <x86/cpuid-sev.h>
#include <x86/msr-amd.h>
#include <kvm/planes.h>

#define MAX_ENTRIES 32

struct mock {
	struct {
		const char *path, *text;
	} files[MAX_ENTRIES];
	struct {
		uint32_t leaf;
		struct cpuid_regs r;
	} cpuid[8];
	struct {
		uint32_t msr;
		uint64_t v;
	} msrs[4];
	enum probe_status msr_status;
	enum probe_status sev_status;
	uint32_t sev_fw_error;
	struct snp_status_info snp;
	long cap, cap_value;
	struct {
		const char *id, *out;
		int exit;
	} cmds[8];
	/* what --fix did */
	char log[1024];
	int fail_run_id; /* index in order of runs that fails (-1 none) */
	int runs;
};

static void log_append(struct mock *m, const char *what)
{
	size_t used = strlen(m->log);
	snprintf(m->log + used, sizeof(m->log) - used, "%s;", what);
}

static enum probe_status m_read_file(void *ctx, const char *path, char **data, size_t *len)
{
	struct mock *m = ctx;
	for (int i = 0; i < MAX_ENTRIES && m->files[i].path; i++) {
		if (strcmp(m->files[i].path, path) == 0) {
			*data = strdup(m->files[i].text);
			if (len)
				*len = strlen(*data);
			return PROBE_OK;
		}
	}
	return PROBE_ABSENT;
}

static enum probe_status m_exists(void *ctx, const char *path)
{
	struct mock *m = ctx;
	size_t n = strlen(path);
	for (int i = 0; i < MAX_ENTRIES && m->files[i].path; i++) {
		if (strncmp(m->files[i].path, path, n) == 0 &&
		    (m->files[i].path[n] == '\0' || m->files[i].path[n] == '/'))
			return PROBE_OK;
	}
	return PROBE_ABSENT;
}

static enum probe_status m_count_dir(void *ctx, const char *path, const char *prefix,
				     unsigned *count)
{
	struct mock *m = ctx;
	size_t n = strlen(path);
	*count = 0;
	bool any = false;
	for (int i = 0; i < MAX_ENTRIES && m->files[i].path; i++) {
		const char *p = m->files[i].path;
		if (strncmp(p, path, n) == 0 && p[n] == '/') {
			any = true;
			if (strncmp(p + n + 1, prefix, strlen(prefix)) == 0)
				(*count)++;
		}
	}
	return any ? PROBE_OK : PROBE_ABSENT;
}

static enum probe_status m_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	struct mock *m = ctx;
	(void)subleaf;
	for (int i = 0; i < 8; i++) {
		if (m->cpuid[i].leaf == leaf && (leaf || i == 0)) {
			*out = m->cpuid[i].r;
			return PROBE_OK;
		}
	}
	return PROBE_ABSENT;
}

static enum probe_status m_rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *v)
{
	struct mock *m = ctx;
	(void)cpu;
	if (m->msr_status != PROBE_OK)
		return m->msr_status;
	for (int i = 0; i < 4; i++) {
		if (m->msrs[i].msr == msr) {
			*v = m->msrs[i].v;
			return PROBE_OK;
		}
	}
	return PROBE_ERROR;
}

static enum probe_status m_snp(void *ctx, struct snp_status_info *out, uint32_t *fw_error)
{
	struct mock *m = ctx;
	*fw_error = m->sev_fw_error;
	if (m->sev_status == PROBE_OK)
		*out = m->snp;
	return m->sev_status;
}

static enum probe_status m_kvm(void *ctx, long cap, long *value)
{
	struct mock *m = ctx;
	*value = cap == m->cap ? m->cap_value : 0;
	return PROBE_OK;
}

static enum probe_status m_run(void *ctx, const char *id, const char *const argv[],
			       const char *input, struct cmd_result *res)
{
	struct mock *m = ctx;
	(void)argv;
	(void)input;
	memset(res, 0, sizeof(*res));
	if (strncmp(id, "fix-", 4) == 0) {
		log_append(m, id);
		res->exit_status = m->runs++ == m->fail_run_id ? 1 : 0;
		res->output = strdup("");
		return PROBE_OK;
	}
	for (int i = 0; i < 8 && m->cmds[i].id; i++) {
		if (strcmp(m->cmds[i].id, id) == 0) {
			res->output = strdup(m->cmds[i].out);
			res->exit_status = m->cmds[i].exit;
			return PROBE_OK;
		}
	}
	return PROBE_ABSENT;
}

static enum probe_status m_write(void *ctx, const char *path, const char *content)
{
	struct mock *m = ctx;
	(void)content;
	log_append(m, path);
	return PROBE_OK;
}

static unsigned m_euid(void *ctx)
{
	(void)ctx;
	return 0;
}

static const struct provider_ops mock_ops = {
	.read_file = m_read_file,
	.exists = m_exists,
	.count_dir = m_count_dir,
	.cpuid = m_cpuid,
	.rdmsr = m_rdmsr,
	.snp_platform_status = m_snp,
	.kvm_check_extension = m_kvm,
	.run = m_run,
	.write_file = m_write,
	.euid = m_euid,
	.destroy = NULL,
};

#define AMD_EBX 0x68747541u /* "Auth" */
#define AMD_EDX 0x69746e65u /* "enti" */
#define AMD_ECX 0x444d4163u /* "cAMD" */

/* A Milan host with everything in place. */
static void mock_ready(struct mock *m)
{
	memset(m, 0, sizeof(*m));
	m->fail_run_id = -1;
	m->cpuid[0].leaf = 0;
	m->cpuid[0].r = (struct cpuid_regs){0x10, AMD_EBX, AMD_ECX, AMD_EDX};
	m->cpuid[1].leaf = 1;
	m->cpuid[1].r = (struct cpuid_regs){0x00a00f11, 0, 0, 0};
	m->cpuid[2].leaf = 0x80000000u;
	m->cpuid[2].r = (struct cpuid_regs){0x80000028u, 0, 0, 0};
	m->cpuid[3].leaf = CPUID_FN_SEV;
	m->cpuid[3].r =
		(struct cpuid_regs){CPUID_SEV_EAX_SME | CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES |
					    CPUID_SEV_EAX_SNP | CPUID_SEV_EAX_VMPL,
				    51 | (1u << 6) | (4u << 12), 509, 100};
	m->msrs[0].msr = MSR_AMD_SYSCFG;
	m->msrs[0].v = SYSCFG_MEM_ENCRYPTION_MOD_EN | SYSCFG_SNP_EN | SYSCFG_VMPL_EN;
	m->msrs[1].msr = MSR_AMD_RMP_BASE;
	m->msrs[1].v = 0xa0000000;
	m->msrs[2].msr = MSR_AMD_RMP_END;
	m->msrs[2].v = 0xa41fffff;
	int i = 0;
	m->files[i].path = "/proc/iomem";
	m->files[i++].text = "00100000-9fffffff : System RAM\na0000000-a41fffff : Reserved\n";
	m->files[i].path = "/proc/cmdline";
	m->files[i++].text = "root=/dev/sda1 quiet\n";
	m->files[i].path = "/sys/class/iommu/ivhd0";
	m->files[i++].text = "";
	m->files[i].path = "/proc/sys/kernel/osrelease";
	m->files[i++].text = "6.12.57\n";
	m->files[i].path = "/boot/config-6.12.57";
	m->files[i++].text = "CONFIG_KVM_AMD=m\nCONFIG_KVM_AMD_SEV=y\nCONFIG_AMD_MEM_ENCRYPT=y\n"
			     "CONFIG_CRYPTO_DEV_CCP_DD=m\nCONFIG_CRYPTO_DEV_SP_PSP=y\n"
			     "CONFIG_AMD_IOMMU=y\n";
	m->files[i].path = "/sys/module/kvm_amd/parameters/sev";
	m->files[i++].text = "Y\n";
	m->files[i].path = "/sys/module/kvm_amd/parameters/sev_es";
	m->files[i++].text = "Y\n";
	m->files[i].path = "/sys/module/kvm_amd/parameters/sev_snp";
	m->files[i++].text = "Y\n";
	m->files[i].path = "/dev/sev";
	m->files[i++].text = "";
	m->files[i].path = "/dev/kvm";
	m->files[i++].text = "";
	m->files[i].path = "/proc/meminfo";
	m->files[i++].text = "HugePages_Total: 4\nHugePages_Free: 4\nHugepagesize: 2048 kB\n";
	m->sev_status = PROBE_OK;
	m->snp = (struct snp_status_info){.api_major = 1,
					  .api_minor = 55,
					  .state = 1,
					  .build_id = 21,
					  .current_tcb = 0xdb18000000000004ull};
	m->cap = KVMP_CAP_PLANES;
	m->cap_value = 4; /* VMPL0..3 */
	m->cmds[0].id = "qemu-version";
	m->cmds[0].out = "QEMU emulator version 10.0.13\n";
	m->cmds[1].id = "qemu-objects";
	m->cmds[1].out = "  igvm-cfg\n  memory-backend-ram\n  sev-snp-guest\n";
	m->cmds[2].id = "qemu-tcg-snp";
	m->cmds[2].out = "";
}

static const struct check_options opts = {
	.qemu = "qemu-system-x86_64",
	.virsh = "virsh",
	.libvirt_uri = "qemu:///system",
	.kvm_vmpl_cap = KVMP_CAP_PLANES,
};

static void run_checks(struct mock *m, const struct check_options *o, struct check_list *l,
		       struct host_facts *f)
{
	struct provider p = {.ops = &mock_ops, .ctx = m};
	memset(l, 0, sizeof(*l));
	checks_run_all(&p, o, f, l);
}

static void ready_host_is_ready(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	struct readiness r;
	readiness_eval(&l, &r);
	for (size_t i = 0; i < l.count; i++) {
		if (l.items[i].status == CHECK_FAIL || l.items[i].status == CHECK_UNKNOWN)
			fail_msg("%s: %s", l.items[i].id, l.items[i].detail);
	}
	assert_int_equal(f.family, 0x19);
	assert_int_equal(f.model, 0x01);
	assert_int_equal(r.svsm.state, LEVEL_YES);
	assert_int_equal(readiness_exit_status(&r, TARGET_SVSM), 0);
	check_list_free(&l);
}

static void zen2_fails_family(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.cpuid[1].r.eax = 0x00830f10; /* family 8+0xf = 17h, model 31h */
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(f.family, 0x17);
	assert_int_equal(f.model, 0x31);
	assert_int_equal(check_status_of(&l, "cpu.family"), CHECK_FAIL);
	struct readiness r;
	readiness_eval(&l, &r);
	assert_int_equal(readiness_exit_status(&r, TARGET_SNP), 1);
	assert_string_equal(r.snp.blocker, "cpu.family");
	check_list_free(&l);
}

static void intel_is_not_an_snp_host(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	/* "GenuineIntel" */
	m.cpuid[0].r = (struct cpuid_regs){0x16, 0x756e6547, 0x6c65746e, 0x49656e69};
	m.cpuid[1].r.eax = 0x000906ea;
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "cpu.vendor"), CHECK_FAIL);
	assert_int_equal(check_status_of(&l, "cpu.family"), CHECK_SKIP);
	assert_int_equal(check_status_of(&l, "fw.syscfg"), CHECK_SKIP);
	struct readiness r;
	readiness_eval(&l, &r);
	assert_int_equal(r.snp.state, LEVEL_NO);
	assert_non_null(strstr(r.summary, "not an SNP host"));
	assert_non_null(strstr(r.summary, "GenuineIntel"));
	check_list_free(&l);
}

static void msr_denied_needs_root(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.msr_status = PROBE_DENIED;
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	const struct check_result *s = check_find(&l, "fw.syscfg");
	assert_non_null(s);
	assert_int_equal(s->status, CHECK_UNKNOWN);
	assert_true(s->needs_root);
	assert_true(check_find(&l, "fw.rmp")->needs_root);
	assert_int_equal(check_status_of(&l, "fw.rmp_iomem"), CHECK_UNKNOWN);
	struct readiness r;
	readiness_eval(&l, &r);
	assert_int_equal(r.snp.state, LEVEL_UNKNOWN);
	assert_int_equal(readiness_exit_status(&r, TARGET_SVSM), 2);
	check_list_free(&l);
}

static void vmpl_capability_states(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	struct check_list l;
	struct host_facts f;
	struct check_options o = opts;
	o.kvm_vmpl_cap = 0; /* --kvm-vmpl-cap=0 is refused; 0 still means unknown */
	run_checks(&m, &o, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.kvm_vmpl"), CHECK_UNKNOWN);
	struct readiness r;
	readiness_eval(&l, &r);
	assert_int_equal(r.snp.state, LEVEL_YES);
	assert_int_equal(r.svsm.state, LEVEL_UNKNOWN);
	check_list_free(&l);

	m.cap_value = 0; /* stock KVM: capability not offered */
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.kvm_vmpl"), CHECK_FAIL);
	readiness_eval(&l, &r);
	assert_int_equal(r.svsm.state, LEVEL_NO);
	assert_non_null(strstr(r.summary, "plain SEV-SNP guests only"));
	check_list_free(&l);

	m.cap_value = 1; /* our KVM, but a single plane: multi-VMPL is off */
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.kvm_vmpl"), CHECK_FAIL);
	readiness_eval(&l, &r);
	assert_int_equal(r.svsm.state, LEVEL_NO);
	assert_int_equal(r.snp.state, LEVEL_YES);
	check_list_free(&l);

	m.cap_value = KVMP_PLANES_MULTI_VMPL_MIN;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.kvm_vmpl"), CHECK_PASS);
	check_list_free(&l);
}

static void firmware_error_and_old_firmware(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.sev_status = PROBE_ERROR;
	m.sev_fw_error = 0x10;
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.snp_status"), CHECK_FAIL);
	assert_non_null(strstr(check_find(&l, "kernel.snp_status")->detail, "0x10"));
	check_list_free(&l);

	mock_ready(&m);
	m.snp.api_minor = 49;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.fw_min"), CHECK_FAIL);
	check_list_free(&l);
}

static void turin_tcb_has_fmc(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.cpuid[1].r.eax = 0x00b00f21;		   /* family 0xf+0xb = 1Ah */
	m.snp.current_tcb = 0x1100000000000305ull; /* FMC byte 0 = 5 */
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(f.family, 0x1a);
	struct check_result *r = (struct check_result *)check_find(&l, "kernel.snp_status");
	json_object *tcb, *fmc;
	assert_true(json_object_object_get_ex(r->data, "current_tcb", &tcb));
	assert_true(json_object_object_get_ex(tcb, "fmc", &fmc));
	assert_int_equal(json_object_get_int(fmc), 5);
	check_list_free(&l);
}

static void fix_plan_for_kvm_amd(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.files[7].text = "N\n"; /* sev_snp */
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "kernel.kvm_amd"), CHECK_FAIL);
	struct fix_plan plan;
	fix_plan_build(&l, &plan);
	assert_int_equal(plan.count, 3);
	assert_int_equal(plan.manual, 0);
	assert_int_equal(plan.steps[0].kind, STEP_WRITE_FILE);
	assert_string_equal(plan.steps[0].path, "/etc/modprobe.d/snp-host.conf");
	assert_non_null(strstr(plan.steps[0].content, "options kvm_amd sev=1 sev_es=1 sev_snp=1"));
	struct provider p = {.ops = &mock_ops, .ctx = &m};
	FILE *sink = fopen("/dev/null", "w");
	assert_int_equal(fix_plan_apply(sink, &p, &plan), 0);
	assert_string_equal(m.log,
			    "/etc/modprobe.d/snp-host.conf;fix-unload-kvm-amd;fix-load-kvm-amd;");
	/* a failing step stops the plan */
	m.log[0] = '\0';
	m.runs = 0;
	m.fail_run_id = 0;
	assert_int_equal(fix_plan_apply(sink, &p, &plan), -1);
	assert_string_equal(m.log, "/etc/modprobe.d/snp-host.conf;fix-unload-kvm-amd;");
	fclose(sink);
	check_list_free(&l);
}

static void fix_plan_bios_is_manual(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.msrs[1].v = 0; /* no RMP */
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "fw.rmp"), CHECK_FAIL);
	assert_int_equal(check_status_of(&l, "fw.rmp_iomem"), CHECK_SKIP);
	struct fix_plan plan;
	fix_plan_build(&l, &plan);
	assert_int_equal(plan.count, 1);
	assert_int_equal(plan.steps[0].kind, STEP_MANUAL);
	assert_string_equal(plan.steps[0].because, "fw.rmp");
	check_list_free(&l);
}

static void fix_plan_on_unfixable_hardware(void **state)
{
	(void)state;
	struct mock m;
	mock_ready(&m);
	m.cpuid[1].r.ecx = 1u << 31;	       /* a guest ... */
	m.cpuid[3].r = (struct cpuid_regs){0}; /* ... whose hypervisor hides SEV */
	m.files[7].text = "N\n";	       /* and kvm_amd has SNP off */
	struct check_list l;
	struct host_facts f;
	run_checks(&m, &opts, &l, &f);
	assert_int_equal(check_status_of(&l, "cpu.sev"), CHECK_FAIL);
	struct fix_plan plan;
	fix_plan_build(&l, &plan);
	/* nothing automatic: reloading kvm_amd cannot give a VM SNP */
	assert_int_equal(plan.count, 1);
	assert_int_equal(plan.manual, 1);
	assert_string_equal(plan.steps[0].because, "cpu.sev");
	check_list_free(&l);
}

static void runcmd_output_status_absent(void **state)
{
	(void)state;
	struct cmd_result res;
	const char *const ok_argv[] = {"/bin/sh", "-c", "read x; echo got $x; echo err >&2; exit 3",
				       NULL};
	assert_int_equal(runcmd(ok_argv, "hello\n", 10, &res), PROBE_OK);
	assert_int_equal(res.exit_status, 3);
	assert_non_null(strstr(res.output, "got hello"));
	assert_non_null(strstr(res.output, "err"));
	free(res.output);
	const char *const missing[] = {"/nonexistent/snp-host-no-such-program", NULL};
	assert_int_equal(runcmd(missing, NULL, 10, &res), PROBE_ABSENT);
	/* a hung program is killed at the limit (SIGKILL: 128 + 9) */
	const char *const hang[] = {"/bin/sleep", "30", NULL};
	assert_int_equal(runcmd(hang, NULL, 1, &res), PROBE_OK);
	assert_int_equal(res.exit_status, 128 + 9);
	free(res.output);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ready_host_is_ready),
		cmocka_unit_test(zen2_fails_family),
		cmocka_unit_test(intel_is_not_an_snp_host),
		cmocka_unit_test(msr_denied_needs_root),
		cmocka_unit_test(vmpl_capability_states),
		cmocka_unit_test(firmware_error_and_old_firmware),
		cmocka_unit_test(turin_tcb_has_fmc),
		cmocka_unit_test(fix_plan_for_kvm_amd),
		cmocka_unit_test(fix_plan_bios_is_manual),
		cmocka_unit_test(fix_plan_on_unfixable_hardware),
		cmocka_unit_test(runcmd_output_status_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
