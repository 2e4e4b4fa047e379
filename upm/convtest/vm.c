// SPDX-License-Identifier: MIT
/*
 * upm-convtest's VMM: a KVM_X86_SW_PROTECTED_VM with an ordinary slot 0 (code, page
 * tables, mailboxes) and a guest_memfd slot 1 owned by libupm; vCPUs start directly in
 * 64-bit mode. Exits: libupm first (conversions), then the guest's commands (port I/O).
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "convtest.h"
#include "x86/cr.h"
#include "x86/desc.h"
#include "x86/kvm-hypercall.h"
#include "x86/msr.h"
#include "x86/paging.h"

_Static_assert(KVM_HYPERCALL_MAP_GPA_RANGE == KVM_HC_MAP_GPA_RANGE, "hypercalls.rst 8");

/* Segment types (APM vol 2 §4.7.2 table 4-3, §4.8.3 table 4-6). */
#define SEG_TYPE_CODE_XR_ACCESSED 0xb
#define SEG_TYPE_DATA_RW_ACCESSED 0x3
#define SEG_TYPE_TSS64_BUSY	  0xb

uint64_t ct_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int fail(const char *what)
{
	int e = errno;

	fprintf(stderr, "upm-convtest: %s: %s\n", what, strerror(e));
	return -e;
}

static void build_page_tables(uint8_t *low)
{
	uint64_t *pml4 = (uint64_t *)(low + CT_PML4_GPA);
	uint64_t *pdpt = (uint64_t *)(low + CT_PDPT_GPA);

	pml4[0] = CT_PDPT_GPA | PTE_P | PTE_RW;
	for (uint64_t k = 0; k < 4; k++) {
		uint64_t *pd = (uint64_t *)(low + CT_PD_GPA + k * PAGE_SIZE);

		pdpt[k] = (CT_PD_GPA + k * PAGE_SIZE) | PTE_P | PTE_RW;
		for (uint64_t j = 0; j < PT_ENTRIES; j++)
			pd[j] = (k << HUGE_PAGE_SHIFT) | (j << LARGE_PAGE_SHIFT) | PTE_P | PTE_RW |
				PTE_PS;
	}
}

/* GDT (code and data at the selectors the vCPUs start with, for exception delivery) and
 * a TSS per vCPU whose IST1 is the vCPU's exception stack (APM vol 2 §8.9.4). */
static void build_descriptors(uint8_t *low, unsigned int vcpus)
{
	uint64_t *gdt = (uint64_t *)(low + CT_GDT_GPA);

	gdt[0] = 0;
	gdt[CT_SEL_CODE / 8] = DESC_CODE64;
	gdt[CT_SEL_DATA / 8] = DESC_DATA64;
	for (unsigned int i = 0; i < vcpus; i++) {
		struct tss64 *tss = (struct tss64 *)(low + CT_TSS_GPA(i));

		memset(tss, 0, sizeof(*tss));
		tss->ist[0] = CT_IST_TOP(i);
		tss->iopb_offset = sizeof(*tss); /* no I/O permission bitmap */
	}
}

static bool host_is_amd(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(0, &a, &b, &c, &d))
		return false;
	/* "AuthenticAMD" / "HygonGenuine": VMMCALL; otherwise VMCALL. */
	return (b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) ||
	       (b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975);
}

static int setup_vcpu(struct ct_vm *vm, struct ct_vcpu *v, struct kvm_cpuid2 *cpuid)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_segment code = {
		.base = 0,
		.limit = 0xffffffff,
		.selector = CT_SEL_CODE,
		.type = SEG_TYPE_CODE_XR_ACCESSED,
		.present = 1,
		.dpl = 0,
		.db = 0,
		.s = 1,
		.l = 1,
		.g = 1,
	};
	struct kvm_segment data = {
		.base = 0,
		.limit = 0xffffffff,
		.selector = CT_SEL_DATA,
		.type = SEG_TYPE_DATA_RW_ACCESSED,
		.present = 1,
		.dpl = 0,
		.db = 1,
		.s = 1,
		.l = 0,
		.g = 1,
	};
	struct kvm_segment tr = {
		.base = CT_TSS_GPA(v->idx),
		.limit = sizeof(struct tss64) - 1,
		.selector = CT_SEL_TSS,
		.type = SEG_TYPE_TSS64_BUSY,
		.present = 1,
		.s = 0,
	};

	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, v->idx);
	if (v->fd < 0)
		return fail("KVM_CREATE_VCPU");
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		return fail("mmap kvm_run");
	if (ioctl(v->fd, KVM_SET_CPUID2, cpuid) < 0)
		return fail("KVM_SET_CPUID2");
	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.tr = tr;
	sregs.gs.base = CT_MAILBOX(v->idx); /* the exception handler finds its mailbox here */
	sregs.gdt.base = CT_GDT_GPA;
	sregs.gdt.limit = CT_SEL_TSS - 1;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.cr3 = CT_PML4_GPA;
	sregs.cr4 = CR4_PAE;
	sregs.efer = EFER_LME | EFER_LMA;
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = CT_CODE_GPA;
	regs.rsp = CT_STACK_TOP(v->idx);
	regs.rdi = v->idx;
	regs.rsi = CT_MAILBOX(v->idx);
	regs.rflags = 0x2; /* bit 1 is reserved, reads as one (APM vol 2 §3.1.6) */
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");

	v->mb = (volatile struct ct_mailbox *)(vm->low + CT_MAILBOX(v->idx));
	v->mb->vcpu = v->idx;
	v->mb->nr_vcpus = vm->opt.vcpus;
	v->mb->flags = (vm->opt.keep ? CT_F_KEEP : 0) | (vm->opt.bench ? CT_F_BENCH : 0) |
		       (host_is_amd() ? CT_F_VMMCALL : 0);
	v->mb->seed = vm->opt.seed * 0x9e3779b97f4a7c15ULL + v->idx + 1;
	v->mb->iterations = vm->opt.iterations;
	v->mb->audit_every = vm->opt.audit_every;
	v->mb->scenarios = vm->opt.scenarios;
	v->mb->frame_rounds = vm->opt.frame_rounds;
	return 0;
}

static struct kvm_cpuid2 *supported_cpuid(int kvm_fd)
{
	for (unsigned int n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));

		if (!c)
			return NULL;
		c->nent = n;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG)
			return NULL;
	}
	return NULL;
}

int ct_vm_create(struct ct_vm *vm, const void *payload, size_t payload_size)
{
	struct upm_config cfg;
	struct upm_ops ops;
	struct kvm_cpuid2 *cpuid;
	int rc;

	pthread_mutex_init(&vm->out_lock, NULL);
	pthread_mutex_init(&vm->bar_lock, NULL);
	pthread_cond_init(&vm->bar_cond, NULL);
	vm->bar_alive = vm->opt.vcpus;
	vm->vm_fd = -1;
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return fail("open /dev/kvm");
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	if (vm->vm_fd < 0)
		return fail("KVM_CREATE_VM(KVM_X86_SW_PROTECTED_VM)");

	/* Capabilities on the VM (api.rst 4.141, 4.142, 8.34). */
	int attrs = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MEMORY_ATTRIBUTES);
	int gmem = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD);
	int hc = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_EXIT_HYPERCALL);
	printf("# KVM: memory attributes 0x%x, guest_memfd %d, exit-hypercall mask 0x%x\n", attrs,
	       gmem, hc);
	if (attrs < 0 || !((unsigned int)attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE) || gmem <= 0 ||
	    hc < 0 || !((unsigned int)hc & (1U << KVM_HC_MAP_GPA_RANGE))) {
		fprintf(stderr,
			"upm-convtest: this KVM lacks private memory or MAP_GPA_RANGE exits\n");
		return -ENOTSUP;
	}
	struct kvm_enable_cap cap = {.cap = KVM_CAP_EXIT_HYPERCALL,
				     .args = {1ULL << KVM_HC_MAP_GPA_RANGE}};
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
		return fail("KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL)");

	/* Slot 0: ordinary memory, always shared. */
	vm->low =
		mmap(NULL, CT_LOW_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->low == MAP_FAILED)
		return fail("mmap slot 0");
	struct kvm_userspace_memory_region2 r0 = {
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = CT_LOW_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)vm->low,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &r0) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION2 slot 0");
	if (payload_size > CT_CODE_MAX - CT_CODE_GPA) {
		fprintf(stderr, "upm-convtest: payload of %zu bytes too large\n", payload_size);
		return -E2BIG;
	}
	memcpy(vm->low + CT_CODE_GPA, payload, payload_size);
	build_page_tables(vm->low);
	build_descriptors(vm->low, vm->opt.vcpus);

	/* Slot 1: guest_memfd-backed, through libupm. The shared view is a memfd, discarded
	 * with a hole punch: the nested kernel has no madvise (CONFIG_ADVISE_SYSCALLS off). */
	vm->test_size = CT_SLOT1_SIZE(vm->opt.vcpus);
	vm->shared_fd = memfd_create("upm-convtest-shared", MFD_CLOEXEC);
	if (vm->shared_fd < 0)
		return fail("memfd_create");
	if (ftruncate(vm->shared_fd, (off_t)vm->test_size) < 0)
		return fail("ftruncate memfd");
	vm->test = mmap(NULL, vm->test_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->shared_fd, 0);
	if (vm->test == MAP_FAILED)
		return fail("mmap slot 1");
	upm_config_default(&cfg);
	/* Faults follow the attribute in this VM type: never convert on one (upm.h). */
	cfg.implicit = UPM_IMPLICIT_RETRY;
	cfg.shared_discard = UPM_SHARED_PUNCH;
	if (vm->opt.keep) {
		cfg.shared_discard = UPM_SHARED_KEEP;
		cfg.private_discard = UPM_PRIVATE_KEEP;
	}
	upm_kvm_ops(&ops, &vm->vm_fd);
	vm->upm = upm_create(&ops, &cfg);
	if (!vm->upm)
		return -ENOMEM;
	rc = upm_add_slot_file(vm->upm, 1, CT_TEST_GPA, vm->test_size, vm->test, vm->shared_fd, 0);
	if (rc) {
		fprintf(stderr, "upm-convtest: %s\n", upm_last_error(vm->upm));
		return rc;
	}

	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < 0)
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	vm->run_size = (size_t)sz;
	cpuid = supported_cpuid(vm->kvm_fd);
	if (!cpuid)
		return fail("KVM_GET_SUPPORTED_CPUID");
	for (unsigned int i = 0; i < vm->opt.vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].idx = i;
		rc = setup_vcpu(vm, &vm->vcpus[i], cpuid);
		if (rc) {
			free(cpuid);
			return rc;
		}
	}
	free(cpuid);
	return 0;
}

/* What the vCPU and its guest breadcrumbs say when it stops unexpectedly. */
static void dump_vcpu(struct ct_vcpu *v, const char *why)
{
	volatile struct ct_mailbox *mb = v->mb;
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	ioctl(v->fd, KVM_GET_REGS, &regs);
	ioctl(v->fd, KVM_GET_SREGS, &sregs);
	printf("# vcpu %u: %s (exit reason %u) at rip 0x%llx rsp 0x%llx cr0 0x%llx cr3 0x%llx "
	       "efer 0x%llx\n",
	       v->idx, why, v->run->exit_reason, (unsigned long long)regs.rip,
	       (unsigned long long)regs.rsp, (unsigned long long)sregs.cr0,
	       (unsigned long long)sregs.cr3, (unsigned long long)sregs.efer);
	printf("# vcpu %u: guest breadcrumbs: scenario '%s', %llu hypercalls, last MAP_GPA_RANGE "
	       "gpa 0x%llx pages %llu attrs 0x%llx, random iteration %llu\n",
	       v->idx, ct_scenario_name(v->scenario), (unsigned long long)mb->hypercalls,
	       (unsigned long long)mb->last_hc[0], (unsigned long long)mb->last_hc[1],
	       (unsigned long long)mb->last_hc[2], (unsigned long long)mb->iteration);
	fflush(stdout);
}

static void *vcpu_thread(void *arg)
{
	struct ct_vcpu *v = arg;
	struct ct_vm *vm = v->vm;

	while (!v->done && !v->fatal) {
		int r = ioctl(v->fd, KVM_RUN, 0);
		int err = errno;
		int h = upm_handle_exit(vm->upm, v->run, r, err);

		if (h == 1)
			continue;
		if (h < 0) {
			fprintf(stderr, "upm-convtest: vcpu %u: libupm: %s\n", v->idx,
				upm_last_error(vm->upm));
			v->fatal = h;
			break;
		}
		if (r < 0) {
			if (err == EINTR || err == EAGAIN)
				continue;
			errno = err;
			v->fatal = fail("KVM_RUN");
			break;
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_IO:
			if (v->run->io.direction == KVM_EXIT_IO_OUT && v->run->io.port == CT_PORT &&
			    v->run->io.size == 4) {
				uint32_t cmd;

				memcpy(&cmd, (uint8_t *)v->run + v->run->io.data_offset, 4);
				int c = ct_handle_command(v, cmd);
				if (c > 0)
					v->done = true;
				if (c < 0) {
					dump_vcpu(v, "guest exception");
					v->fatal = -EFAULT;
				}
				break;
			}
			dump_vcpu(v, "unexpected port I/O");
			v->fatal = -EIO;
			break;
		case KVM_EXIT_SHUTDOWN:
			dump_vcpu(v, "shutdown (triple fault; registers are after the reset)");
			v->shutdown = true;
			v->fatal = -EIO;
			break;
		case KVM_EXIT_HLT:
			dump_vcpu(v, "halted before DONE");
			v->fatal = -EIO;
			break;
		default:
			dump_vcpu(v, "unexpected exit");
			v->fatal = -EIO;
			break;
		}
	}
	if (v->shutdown)
		/* The guest's IDT reports every exception (vectors 0-31 on IST1), so a shutdown
		 * with no report means exception delivery itself failed: docs/upm.md "Known
		 * problems" has what is known about this nested-only failure. */
		ct_result(vm, false,
			  "vcpu %u stopped during '%s': KVM_EXIT_SHUTDOWN with no guest "
			  "exception reported (known nested TCG problem, docs/upm.md)",
			  v->idx, ct_scenario_name(v->scenario));
	else if (v->fatal)
		ct_result(vm, false, "vcpu %u stopped during '%s'", v->idx,
			  ct_scenario_name(v->scenario));
	/* Let the others pass their barriers: this vCPU will not come again. */
	ct_barrier_leave(vm);
	return NULL;
}

int ct_vm_run(struct ct_vm *vm)
{
	for (unsigned int i = 0; i < vm->opt.vcpus; i++)
		if (pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread, &vm->vcpus[i]))
			return -EAGAIN;
	for (unsigned int i = 0; i < vm->opt.vcpus; i++)
		pthread_join(vm->vcpus[i].thread, NULL);
	for (unsigned int i = 0; i < vm->opt.vcpus; i++)
		if (vm->vcpus[i].fatal)
			return vm->vcpus[i].fatal;
	return 0;
}

void ct_vm_destroy(struct ct_vm *vm)
{
	for (unsigned int i = 0; i < vm->opt.vcpus; i++) {
		if (vm->vcpus[i].run && vm->vcpus[i].run != MAP_FAILED)
			munmap(vm->vcpus[i].run, vm->run_size);
		if (vm->vcpus[i].fd > 0)
			close(vm->vcpus[i].fd);
	}
	upm_destroy(vm->upm);
	if (vm->shared_fd > 0)
		close(vm->shared_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
}
