// SPDX-License-Identifier: MIT
#include "fake-ops.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>

static int record(struct fake_kvm *f, enum fake_call_kind kind, uint64_t a, uint64_t len,
		  uint64_t arg)
{
	unsigned int idx = f->ncalls;

	if (f->ncalls < FAKE_MAX_CALLS)
		f->calls[f->ncalls++] = (struct fake_call){kind, a, len, arg};
	if (f->fail_at >= 0 && idx == (unsigned int)f->fail_at)
		return -f->fail_errno;
	return 0;
}

static int fake_create_gmem(void *ctx, uint64_t size)
{
	struct fake_kvm *f = ctx;
	int rc = record(f, FAKE_CREATE_GMEM, 0, size, 0);

	if (rc)
		return rc;
	/* A real descriptor, since upm_destroy() closes it. */
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int fake_set_region(void *ctx, uint32_t slot, uint64_t gpa, uint64_t size, void *hva,
			   int gmem_fd, uint64_t gmem_offset)
{
	(void)slot;
	(void)hva;
	(void)gmem_offset;
	return record(ctx, FAKE_SET_REGION, gpa, size, (uint64_t)gmem_fd);
}

static int fake_set_attr(void *ctx, uint64_t gpa, uint64_t size, bool private_)
{
	return record(ctx, FAKE_SET_ATTR, gpa, size, private_);
}

static int fake_punch(void *ctx, int fd, uint64_t offset, uint64_t size)
{
	return record(ctx, FAKE_PUNCH, offset, size, (uint64_t)fd);
}

static int fake_madvise(void *ctx, void *hva, uint64_t size, int advice)
{
	struct fake_kvm *f = ctx;

	return record(f, FAKE_MADVISE, (uint64_t)((uint8_t *)hva - f->hva_base), size,
		      (uint64_t)advice);
}

static uint64_t fake_now(void *ctx)
{
	struct fake_kvm *f = ctx;

	return f->clock += 1000;
}

void fake_kvm_init(struct fake_kvm *f, struct upm_ops *ops, uint8_t *hva_base)
{
	memset(f, 0, sizeof(*f));
	f->fail_at = -1;
	f->hva_base = hva_base;
	ops->ctx = f;
	ops->create_gmem = fake_create_gmem;
	ops->set_region = fake_set_region;
	ops->set_attributes = fake_set_attr;
	ops->punch_hole = fake_punch;
	ops->discard_shared = fake_madvise;
	ops->now_ns = fake_now;
}

void fake_kvm_clear(struct fake_kvm *f)
{
	f->ncalls = 0;
}
