/* SPDX-License-Identifier: MIT */
/*
 * libupm: host-side private-memory manager for a VMM on KVM.
 *
 * Owns the guest_memfd-backed memslots of a VM, tracks the shared/private state of
 * every 4K page and performs conversions: KVM_SET_MEMORY_ATTRIBUTES plus discarding
 * the copy that became stale (Linux Documentation/virt/kvm/api.rst 4.140-4.142).
 * Conversions come from the guest explicitly (KVM_EXIT_HYPERCALL, KVM_HC_MAP_GPA_RANGE)
 * or implicitly (KVM_EXIT_MEMORY_FAULT), or from the VMM itself.
 *
 * Every kernel interaction goes through struct upm_ops so that the state machine can
 * be tested without /dev/kvm. All functions are thread-safe (one lock per instance).
 */
#ifndef UPM_UPM_H
#define UPM_UPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UPM_PAGE_SHIFT 12
#define UPM_PAGE_SIZE  (1ULL << UPM_PAGE_SHIFT)
#define UPM_HUGE_SHIFT 21 /* 2M: the x86 large-page size batching aligns to */
#define UPM_HUGE_SIZE  (1ULL << UPM_HUGE_SHIFT)
#define UPM_MAX_SLOTS  32

struct kvm_run;

/*
 * Kernel interface. Each op returns 0 (create_gmem: the new fd) or -errno.
 * ctx is upm_ops.ctx.
 */
struct upm_ops {
	void *ctx;
	/* KVM_CREATE_GUEST_MEMFD on the VM. */
	int (*create_gmem)(void *ctx, uint64_t size);
	/* KVM_SET_USER_MEMORY_REGION2 with KVM_MEM_GUEST_MEMFD. */
	int (*set_region)(void *ctx, uint32_t slot, uint64_t gpa, uint64_t size, void *hva,
			  int gmem_fd, uint64_t gmem_offset);
	/* KVM_SET_MEMORY_ATTRIBUTES: private true sets KVM_MEMORY_ATTRIBUTE_PRIVATE. */
	int (*set_attributes)(void *ctx, uint64_t gpa, uint64_t size, bool private_);
	/* fallocate(PUNCH_HOLE|KEEP_SIZE) on a guest_memfd or on the shared file. */
	int (*punch_hole)(void *ctx, int gmem_fd, uint64_t offset, uint64_t size);
	/* madvise() of part of the shared mapping. */
	int (*discard_shared)(void *ctx, void *hva, uint64_t size, int advice);
	/* Monotonic nanoseconds, for the time counter. */
	uint64_t (*now_ns)(void *ctx);
};

/* What to discard when a page changes state (the copy that became stale). */
enum upm_shared_discard {
	UPM_SHARED_KEEP = 0,	 /* keep the shared copy (it reappears on the way back) */
	UPM_SHARED_DONTNEED = 1, /* madvise(MADV_DONTNEED): anonymous private mappings */
	UPM_SHARED_REMOVE = 2,	 /* madvise(MADV_REMOVE): shared (memfd/shmem) mappings */
	/* fallocate(PUNCH_HOLE) on the file behind the shared mapping (slots added with
	 * upm_add_slot_file); works without madvise (CONFIG_ADVISE_SYSCALLS). */
	UPM_SHARED_PUNCH = 3,
};
enum upm_private_discard {
	UPM_PRIVATE_KEEP = 0,  /* keep the guest_memfd page (private data survives) */
	UPM_PRIVATE_PUNCH = 1, /* fallocate(PUNCH_HOLE): private data is destroyed */
};
/* What to do with KVM_EXIT_MEMORY_FAULT (an access whose attribute disagrees). */
enum upm_implicit_policy {
	UPM_IMPLICIT_CONVERT = 0, /* convert the range to the access's state and resume */
	UPM_IMPLICIT_REJECT = 1,  /* refuse: upm_handle_exit returns -EPERM */
	/* Resume without converting. For VM types whose fault type follows the attribute
	 * (KVM_X86_SW_PROTECTED_VM: kvm_mmu_page_fault), such a fault only means that the
	 * attribute changed while KVM handled it; converting back would undo that change. */
	UPM_IMPLICIT_RETRY = 2,
};

struct upm_config {
	enum upm_shared_discard shared_discard;	  /* applied when going private */
	enum upm_private_discard private_discard; /* applied when going shared */
	enum upm_implicit_policy implicit;
	/* Merge the changed runs of one request that lie in the same 2M frame into one
	 * call (pages in the gaps already have the target state, so this is harmless). */
	bool batch_2m;
};

/* The default: discard both ways (every conversion yields zeroed contents), batching on. */
void upm_config_default(struct upm_config *cfg);

struct upm_stats {
	uint64_t to_private;	   /* requests that changed at least one page to private */
	uint64_t to_shared;	   /* ... to shared */
	uint64_t noop_requests;	   /* valid requests where every page had the target state */
	uint64_t pages_to_private; /* 4K pages converted */
	uint64_t pages_to_shared;
	uint64_t bytes_converted;
	uint64_t runs;			/* maximal contiguous runs of changed pages */
	uint64_t attr_calls;		/* KVM_SET_MEMORY_ATTRIBUTES calls (excluding rollback) */
	uint64_t private_discard_calls; /* guest_memfd hole punches */
	uint64_t shared_discard_calls;	/* madvise or shared-file hole punches */
	uint64_t discarded_bytes;
	uint64_t hypercall_exits; /* KVM_HC_MAP_GPA_RANGE exits handled */
	uint64_t fault_exits;	  /* KVM_EXIT_MEMORY_FAULT exits handled */
	uint64_t spurious_faults; /* faults whose range already had the access's state */
	uint64_t rejected;	  /* requests refused (bad range, policy) */
	uint64_t kernel_errors;	  /* an op failed (the request was rolled back) */
	uint64_t time_ns;	  /* time spent converting */
};

/* Who asked for a conversion (for the counters and messages). */
enum upm_origin {
	UPM_ORIGIN_VMM = 0,
	UPM_ORIGIN_HYPERCALL = 1,
	UPM_ORIGIN_FAULT = 2,
};

struct upm;

/* Creates a manager with no slots. ops is copied. Returns NULL on allocation failure. */
struct upm *upm_create(const struct upm_ops *ops, const struct upm_config *cfg);
void upm_destroy(struct upm *u);

/*
 * Adds a private-capable memslot: creates a guest_memfd of `size` bytes and binds it
 * with the shared mapping hva. gpa, size and hva must be 4K aligned; the slot must
 * not overlap another. All pages start shared (api.rst 4.140). Returns 0 or -errno
 * (upm_last_error() says why); on error nothing was created.
 */
int upm_add_slot(struct upm *u, uint32_t slot, uint64_t gpa, uint64_t size, void *hva);
/* The same for a shared mapping of shared_fd at shared_offset (e.g. a memfd), which
 * UPM_SHARED_PUNCH discards with a hole punch. Required for that policy. */
int upm_add_slot_file(struct upm *u, uint32_t slot, uint64_t gpa, uint64_t size, void *hva,
		      int shared_fd, uint64_t shared_offset);

/*
 * Converts [gpa, gpa+size) to private or shared. Returns 0 or -errno:
 *   -EINVAL  gpa/size not 4K aligned, size 0, or wrapping
 *   -ENOENT  part of the range is not covered by a slot
 *   other    an op failed; attributes already changed by this call were rolled back
 * On error the tracked state does not change.
 */
int upm_convert(struct upm *u, uint64_t gpa, uint64_t size, bool to_private,
		enum upm_origin origin);

/*
 * Handles the exit left in run by KVM_RUN. run_ret/run_errno are KVM_RUN's return
 * value and errno (KVM_EXIT_MEMORY_FAULT comes with -1/EFAULT, api.rst 5).
 * Returns 1 if handled (re-enter the vCPU), 0 if the exit is not a conversion,
 * -errno if the conversion could not be done and the vCPU should not be resumed.
 * Hypercall errors the guest can recover from are returned to the guest in
 * run->hypercall.ret instead (and 1 is returned).
 */
int upm_handle_exit(struct upm *u, struct kvm_run *run, int run_ret, int run_errno);

/* Is the page at gpa private? -ENOENT if it is in no slot. */
int upm_is_private(struct upm *u, uint64_t gpa);
/* Number of private pages in [gpa, gpa+size) (range rules as upm_convert). */
int64_t upm_count_private(struct upm *u, uint64_t gpa, uint64_t size);

/* The slot's guest_memfd (for callers that need it), or -ENOENT. */
int upm_slot_gmem_fd(struct upm *u, uint32_t slot);
/* Host view of a gpa (the shared mapping), or NULL if not in a slot. */
void *upm_hva(struct upm *u, uint64_t gpa);

void upm_get_stats(struct upm *u, struct upm_stats *out);
void upm_reset_stats(struct upm *u);
/* The message for the last error of this instance ("" if none). Not thread-local:
 * meant for single-threaded diagnostics. */
const char *upm_last_error(struct upm *u);

/* Fills ops with the real kernel interface for the VM whose fd is *vm_fd (read at each
 * call, so *vm_fd must outlive the instance). upm/lib/kvm-ops.c. */
void upm_kvm_ops(struct upm_ops *ops, int *vm_fd);

#endif /* UPM_UPM_H */
