// SPDX-License-Identifier: MIT
/*
 * Turning vCPU exits into conversions.
 *
 * Explicit: KVM_EXIT_HYPERCALL for KVM_HC_MAP_GPA_RANGE (enabled with
 * KVM_CAP_EXIT_HYPERCALL, api.rst 8.34): args[0] = gpa, args[1] = number of 4K pages,
 * args[2] = attributes, bits 3:0 page-size hint, bit 4 encrypted (= private), bits 63:5
 * reserved (Documentation/virt/kvm/x86/hypercalls.rst 8). The result goes back to
 * the guest in hypercall.ret (RAX).
 *
 * Implicit: KVM_EXIT_MEMORY_FAULT, which KVM_RUN reports with -1/EFAULT (or
 * EHWPOISON); flags bit KVM_MEMORY_EXIT_FLAG_PRIVATE says the access was private
 * (api.rst 5, "KVM_EXIT_MEMORY_FAULT").
 */
#include <errno.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>
#include <asm/kvm_para.h>

#include "upm-internal.h"
#include "x86/kvm-hypercall.h"

/* hypercalls.rst 8: bits 63:5 of the attributes are reserved (must be zero). */
#define MAP_GPA_RANGE_RESERVED KVM_MAP_GPA_RESERVED_MASK

/* A fault that keeps coming back for a range already in the access's state. */
#define MAX_FAULT_REPEATS 16

static uint64_t kvm_err(int e)
{
	return (uint64_t) - (int64_t)e;
}

static int handle_map_gpa_range(struct upm *u, struct kvm_run *run)
{
	uint64_t gpa = run->hypercall.args[0];
	uint64_t npages = run->hypercall.args[1];
	uint64_t attrs = run->hypercall.args[2];
	int rc;

	u->stats.hypercall_exits++;
	if (attrs & MAP_GPA_RANGE_RESERVED) {
		u->stats.rejected++;
		upm_fail(u, -EINVAL, "hypercall: MAP_GPA_RANGE attributes 0x%llx set reserved bits",
			 (unsigned long long)attrs);
		run->hypercall.ret = kvm_err(KVM_EINVAL);
		return 1;
	}
	if (npages == 0 || npages > (UINT64_MAX >> UPM_PAGE_SHIFT)) {
		u->stats.rejected++;
		upm_fail(u, -EINVAL, "hypercall: MAP_GPA_RANGE of %llu pages",
			 (unsigned long long)npages);
		run->hypercall.ret = kvm_err(KVM_EINVAL);
		return 1;
	}
	rc = upm_convert_locked(u, gpa, npages << UPM_PAGE_SHIFT,
				(attrs & KVM_MAP_GPA_RANGE_ENCRYPTED) != 0, UPM_ORIGIN_HYPERCALL);
	switch (rc) {
	case 0:
		run->hypercall.ret = 0;
		return 1;
	case -EINVAL:
		run->hypercall.ret = kvm_err(KVM_EINVAL);
		return 1;
	case -ENOENT:
		run->hypercall.ret = kvm_err(KVM_EFAULT);
		return 1;
	default:
		/* A kernel op failed (rolled back): the host is in trouble, stop the vCPU. */
		return rc;
	}
}

static int handle_memory_fault(struct upm *u, struct kvm_run *run)
{
	uint64_t gpa = run->memory_fault.gpa, size = run->memory_fault.size;
	uint64_t flags = run->memory_fault.flags;
	bool to_private = (flags & KVM_MEMORY_EXIT_FLAG_PRIVATE) != 0;
	int64_t priv;
	int rc;

	u->stats.fault_exits++;
	if (u->cfg.implicit == UPM_IMPLICIT_REJECT) {
		u->stats.rejected++;
		return upm_fail(u, -EPERM,
				"memory fault: %s access to [0x%llx, +0x%llx) and implicit "
				"conversions are disabled",
				to_private ? "private" : "shared", (unsigned long long)gpa,
				(unsigned long long)size);
	}
	priv = upm_count_private_locked(u, gpa, size);
	if (priv < 0) {
		u->stats.rejected++;
		return (int)priv; /* bad range: the message is set */
	}
	if (u->cfg.implicit == UPM_IMPLICIT_RETRY ||
	    (uint64_t)priv == (to_private ? size >> UPM_PAGE_SHIFT : 0)) {
		/* Already in the access's state (a race with another vCPU's conversion), or
		 * the attribute is the source of truth: resume, but not forever. */
		u->stats.spurious_faults++;
		if (gpa == u->last_fault_gpa && flags == u->last_fault_flags) {
			if (++u->fault_repeats >= MAX_FAULT_REPEATS)
				return upm_fail(u, -EFAULT,
						"memory fault at 0x%llx (%s access) repeats %u "
						"times without a conversion",
						(unsigned long long)gpa,
						to_private ? "private" : "shared",
						u->fault_repeats);
		} else {
			u->fault_repeats = 1;
		}
		u->last_fault_gpa = gpa;
		u->last_fault_flags = flags;
		return 1;
	}
	u->fault_repeats = 0;
	rc = upm_convert_locked(u, gpa, size, to_private, UPM_ORIGIN_FAULT);
	return rc ? rc : 1;
}

int upm_handle_exit(struct upm *u, struct kvm_run *run, int run_ret, int run_errno)
{
	int rc = 0;

	pthread_mutex_lock(&u->lock);
	if (run_ret < 0) {
		/* Only EFAULT/EHWPOISON carry a valid memory_fault (api.rst 7.34). */
		if ((run_errno == EFAULT || run_errno == EHWPOISON) &&
		    run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
			if (run_errno == EHWPOISON)
				rc = upm_fail(u, -EHWPOISON,
					      "memory fault at 0x%llx: hardware poison, not a "
					      "conversion",
					      (unsigned long long)run->memory_fault.gpa);
			else
				rc = handle_memory_fault(u, run);
		}
	} else if (run->exit_reason == KVM_EXIT_HYPERCALL &&
		   run->hypercall.nr == KVM_HC_MAP_GPA_RANGE) {
		rc = handle_map_gpa_range(u, run);
	}
	pthread_mutex_unlock(&u->lock);
	return rc;
}
