// SPDX-License-Identifier: MIT
/* The real kernel behind struct upm_ops: KVM ioctls on a VM fd, fallocate, madvise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "upm/upm.h"

static int vm_fd_of(void *ctx)
{
	return *(const int *)ctx;
}

static int kvm_create_gmem(void *ctx, uint64_t size)
{
	struct kvm_create_guest_memfd g;

	memset(&g, 0, sizeof(g));
	g.size = size;
	int fd = ioctl(vm_fd_of(ctx), KVM_CREATE_GUEST_MEMFD, &g);
	return fd < 0 ? -errno : fd;
}

static int kvm_set_region(void *ctx, uint32_t slot, uint64_t gpa, uint64_t size, void *hva,
			  int gmem_fd, uint64_t gmem_offset)
{
	struct kvm_userspace_memory_region2 r;

	memset(&r, 0, sizeof(r));
	r.slot = slot;
	r.flags = KVM_MEM_GUEST_MEMFD;
	r.guest_phys_addr = gpa;
	r.memory_size = size;
	r.userspace_addr = (uint64_t)(uintptr_t)hva;
	r.guest_memfd = (uint32_t)gmem_fd;
	r.guest_memfd_offset = gmem_offset;
	return ioctl(vm_fd_of(ctx), KVM_SET_USER_MEMORY_REGION2, &r) < 0 ? -errno : 0;
}

static int kvm_set_attributes(void *ctx, uint64_t gpa, uint64_t size, bool private_)
{
	struct kvm_memory_attributes a;

	memset(&a, 0, sizeof(a));
	a.address = gpa;
	a.size = size;
	a.attributes = private_ ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	return ioctl(vm_fd_of(ctx), KVM_SET_MEMORY_ATTRIBUTES, &a) < 0 ? -errno : 0;
}

static int kvm_punch_hole(void *ctx, int gmem_fd, uint64_t offset, uint64_t size)
{
	(void)ctx;
	return fallocate(gmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)offset,
			 (off_t)size) < 0
		       ? -errno
		       : 0;
}

static int kvm_discard_shared(void *ctx, void *hva, uint64_t size, int advice)
{
	(void)ctx;
	return madvise(hva, size, advice) < 0 ? -errno : 0;
}

static uint64_t kvm_now_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void upm_kvm_ops(struct upm_ops *ops, int *vm_fd)
{
	ops->ctx = vm_fd;
	ops->create_gmem = kvm_create_gmem;
	ops->set_region = kvm_set_region;
	ops->set_attributes = kvm_set_attributes;
	ops->punch_hole = kvm_punch_hole;
	ops->discard_shared = kvm_discard_shared;
	ops->now_ns = kvm_now_ns;
}
