// SPDX-License-Identifier: MIT
/*
 * upm-convtest: page-conversion tests for libupm on a KVM_X86_SW_PROTECTED_VM.
 *
 *   upm-convtest [--vcpus N] [--keep] [--stress [N]] [--bench] [--seed N] [--label L]
 *                [--only ID[,ID...]] [--frame-rounds N]
 *
 * Prints "ok - ..." / "not ok - ..." per scenario and vCPU, then libupm's counters.
 * Exit status: 0 all passed, 1 a check failed, 2 the VM could not run.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "convtest.h"

/* payload.S */
extern const uint8_t ct_payload[];
extern const uint64_t ct_payload_size;

static void usage(void)
{
	fprintf(stderr, "usage: upm-convtest [--vcpus N] [--keep] [--stress [N]] [--bench] "
			"[--seed N] [--label L] [--only ID[,ID...]] [--frame-rounds N]\n"
			"  --only: scenario ids (protocol.h enum ct_scenario), e.g. 5,6 = random "
			"and shared frame\n");
	exit(2);
}

/* "5,6" -> (1 << 5) | (1 << 6); only the test scenarios (not the benchmarks). */
static uint32_t scenario_mask(const char *s)
{
	uint32_t mask = 0;

	while (*s) {
		char *end;
		unsigned long id = strtoul(s, &end, 10);

		if (end == s || id < CT_SC_SINGLE_4K || id > CT_SC_FINAL || (*end && *end != ','))
			usage();
		mask |= 1U << id;
		s = *end ? end + 1 : end;
	}
	if (!mask)
		usage();
	return mask;
}

static uint64_t number(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (!*s || *end)
		usage();
	return v;
}

/* VM types this KVM offers (api.rst 8.41 KVM_CAP_VM_TYPES); reports the SNP situation. */
static int probe(const char *label)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int types;

	if (kvm < 0) {
		printf("not ok - upm-convtest %s: /dev/kvm: %s\n", label, strerror(errno));
		return -1;
	}
	types = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	close(kvm);
	printf("# KVM_CAP_VM_TYPES = 0x%x\n", types < 0 ? 0 : types);
	if (types < 0 || !(types & (1 << KVM_X86_SW_PROTECTED_VM))) {
		printf("not ok - upm-convtest %s: KVM_X86_SW_PROTECTED_VM offered by this KVM\n",
		       label);
		return -1;
	}
	if (!(types & (1 << KVM_X86_SNP_VM))) {
		printf("# "
		       "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		       "!!\n"
		       "# !!! KVM_X86_SNP_VM is NOT available here: no SEV-SNP hardware.\n"
		       "# !!! Conversions were tested on KVM_X86_SW_PROTECTED_VM only.\n"
		       "# "
		       "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		       "!!\n");
		printf("ok - upm-convtest %s: conversions on KVM_X86_SNP_VM # SKIP KVM_X86_SNP_VM "
		       "not offered by this KVM (no SEV-SNP hardware)\n",
		       label);
	} else {
		printf("not ok - upm-convtest %s: KVM_X86_SNP_VM is offered but upm-convtest has "
		       "no "
		       "SNP launch path yet\n",
		       label);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct ct_vm vm;
	const char *label = NULL;
	static char deflabel[64]; /* outlives main: vm.label points here */
	struct upm_stats st;
	uint64_t guest_hc = 0;
	int rc;

	vm.opt.vcpus = 2;
	vm.opt.iterations = 2000;
	vm.opt.audit_every = 250;
	vm.opt.seed = 1;
	vm.opt.frame_rounds = 16;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--vcpus") && i + 1 < argc) {
			vm.opt.vcpus = (unsigned int)number(argv[++i]);
		} else if (!strcmp(argv[i], "--keep")) {
			vm.opt.keep = true;
		} else if (!strcmp(argv[i], "--stress")) {
			vm.opt.iterations = 100000;
			if (i + 1 < argc && argv[i + 1][0] != '-')
				vm.opt.iterations = number(argv[++i]);
			vm.opt.audit_every = 1000;
		} else if (!strcmp(argv[i], "--bench")) {
			vm.opt.bench = true;
			vm.opt.vcpus = 1;
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			vm.opt.seed = number(argv[++i]);
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			vm.opt.scenarios = scenario_mask(argv[++i]);
		} else if (!strcmp(argv[i], "--frame-rounds") && i + 1 < argc) {
			vm.opt.frame_rounds = number(argv[++i]);
		} else if (!strcmp(argv[i], "--label") && i + 1 < argc) {
			label = argv[++i];
		} else {
			usage();
		}
	}
	if (vm.opt.vcpus < 1 || vm.opt.vcpus > CT_MAX_VCPUS)
		usage();
	if (!label) {
		snprintf(deflabel, sizeof(deflabel), "[%s, %u vcpus]",
			 vm.opt.bench  ? "bench"
			 : vm.opt.keep ? "keep"
				       : "discard",
			 vm.opt.vcpus);
		label = deflabel;
	}
	vm.label = label;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# upm-convtest %s: %s policy, %u vCPUs, %llu random conversions per vCPU, "
	       "seed %llu\n",
	       label,
	       vm.opt.keep ? "keep (no discard)"
			   : "discard (hole punch in guest_memfd / shared memfd)",
	       vm.opt.vcpus, (unsigned long long)vm.opt.iterations,
	       (unsigned long long)vm.opt.seed);
	if (probe(label))
		return 2;
	if (!vm.opt.bench && !vm.opt.keep)
		printf("ok - upm-convtest %s: implicit conversions from guest accesses "
		       "(KVM_EXIT_MEMORY_FAULT) # SKIP a KVM_X86_SW_PROTECTED_VM takes the access "
		       "type from the page attribute (Linux 6.12 arch/x86/kvm/mmu/mmu.c, "
		       "kvm_mmu_page_fault: PFERR_PRIVATE_ACCESS from kvm_mem_is_private), so its "
		       "guest cannot make a mismatched access; libupm's fault path is covered by "
		       "the unit tests\n",
		       label);

	rc = ct_vm_create(&vm, ct_payload, (size_t)ct_payload_size);
	if (rc) {
		printf("not ok - upm-convtest %s: VM set-up: %s\n", label, strerror(-rc));
		ct_vm_destroy(&vm);
		return 2;
	}
	rc = ct_vm_run(&vm);
	upm_get_stats(vm.upm, &st);
	ct_print_stats("libupm", &st);
	for (unsigned int i = 0; i < vm.opt.vcpus; i++)
		guest_hc += vm.vcpus[i].mb->hypercalls;

	if (!vm.opt.bench) {
		/* KVM refuses two of each vCPU's bad requests itself (misaligned, no pages). */
		bool errors_ran = !vm.opt.scenarios || (vm.opt.scenarios & (1U << CT_SC_HC_ERRORS));
		uint64_t want = guest_hc - (errors_ran ? 2ULL * vm.opt.vcpus : 0);

		if (st.hypercall_exits == want)
			printf("ok - upm-convtest %s: every MAP_GPA_RANGE hypercall reached libupm "
			       "once (%llu)\n",
			       label, (unsigned long long)want);
		else
			printf("not ok - upm-convtest %s: libupm saw %llu MAP_GPA_RANGE exits, the "
			       "guest made %llu that KVM passes on\n",
			       label, (unsigned long long)st.hypercall_exits,
			       (unsigned long long)want);
	}
	if (st.kernel_errors)
		printf("not ok - upm-convtest %s: libupm saw %llu kernel errors\n", label,
		       (unsigned long long)st.kernel_errors);
	printf("# upm-convtest %s: %u passed, %u failed%s\n", label, vm.passed, vm.failed,
	       rc ? " (a vCPU stopped)" : "");
	ct_vm_destroy(&vm);
	if (rc)
		return 2;
	return vm.failed || st.kernel_errors ? 1 : 0;
}
