// SPDX-License-Identifier: MIT
/* libupm instance, slots, queries and counters. Conversions: convert.c; exits: exit.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "upm-internal.h"

void upm_config_default(struct upm_config *cfg)
{
	cfg->shared_discard = UPM_SHARED_DONTNEED;
	cfg->private_discard = UPM_PRIVATE_PUNCH;
	cfg->implicit = UPM_IMPLICIT_CONVERT;
	cfg->batch_2m = true;
}

int upm_fail(struct upm *u, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->error, sizeof(u->error), fmt, ap);
	va_end(ap);
	return err;
}

struct upm *upm_create(const struct upm_ops *ops, const struct upm_config *cfg)
{
	struct upm *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->ops = *ops;
	if (cfg)
		u->cfg = *cfg;
	else
		upm_config_default(&u->cfg);
	if (pthread_mutex_init(&u->lock, NULL)) {
		free(u);
		return NULL;
	}
	return u;
}

void upm_destroy(struct upm *u)
{
	if (!u)
		return;
	for (unsigned int i = 0; i < UPM_MAX_SLOTS; i++) {
		struct upm_slot *s = &u->slots[i];

		if (!s->used)
			continue;
		page_bitmap_free(&s->private_pages);
		if (s->gmem_fd >= 0)
			close(s->gmem_fd);
	}
	pthread_mutex_destroy(&u->lock);
	free(u);
}

static bool aligned(uint64_t v)
{
	return (v & (UPM_PAGE_SIZE - 1)) == 0;
}

int upm_add_slot(struct upm *u, uint32_t slot, uint64_t gpa, uint64_t size, void *hva)
{
	return upm_add_slot_file(u, slot, gpa, size, hva, -1, 0);
}

int upm_add_slot_file(struct upm *u, uint32_t slot, uint64_t gpa, uint64_t size, void *hva,
		      int shared_fd, uint64_t shared_offset)
{
	struct upm_slot *free_slot = NULL;
	int rc, fd;

	pthread_mutex_lock(&u->lock);
	if (!size || !aligned(gpa) || !aligned(size) || !aligned((uintptr_t)hva) ||
	    gpa + size < gpa) {
		rc = upm_fail(u, -EINVAL,
			      "slot %u: gpa 0x%llx size 0x%llx hva %p must be 4K aligned, "
			      "non-empty and not wrap",
			      slot, (unsigned long long)gpa, (unsigned long long)size, hva);
		goto out;
	}
	if (u->cfg.shared_discard == UPM_SHARED_PUNCH &&
	    (shared_fd < 0 || !aligned(shared_offset))) {
		rc = upm_fail(
			u, -EINVAL,
			"slot %u: the UPM_SHARED_PUNCH policy needs the shared mapping's file "
			"and a 4K-aligned offset",
			slot);
		goto out;
	}
	for (unsigned int i = 0; i < UPM_MAX_SLOTS; i++) {
		struct upm_slot *s = &u->slots[i];

		if (!s->used) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (s->id == slot) {
			rc = upm_fail(u, -EEXIST, "slot %u already exists", slot);
			goto out;
		}
		if (gpa < s->gpa + s->size && s->gpa < gpa + size) {
			uint64_t end = gpa + size;

			rc = upm_fail(u, -EEXIST, "slot %u [0x%llx, 0x%llx) overlaps slot %u", slot,
				      (unsigned long long)gpa, (unsigned long long)end, s->id);
			goto out;
		}
	}
	if (!free_slot) {
		rc = upm_fail(u, -ENOSPC, "slot %u: all %d slots in use", slot, UPM_MAX_SLOTS);
		goto out;
	}
	rc = page_bitmap_init(&free_slot->private_pages, size >> UPM_PAGE_SHIFT);
	if (rc) {
		rc = upm_fail(u, rc, "slot %u: no memory for the page bitmap", slot);
		goto out;
	}
	fd = u->ops.create_gmem(u->ops.ctx, size);
	if (fd < 0) {
		page_bitmap_free(&free_slot->private_pages);
		rc = upm_fail(u, fd, "slot %u: KVM_CREATE_GUEST_MEMFD (0x%llx bytes): %s", slot,
			      (unsigned long long)size, strerror(-fd));
		goto out;
	}
	rc = u->ops.set_region(u->ops.ctx, slot, gpa, size, hva, fd, 0);
	if (rc) {
		close(fd);
		page_bitmap_free(&free_slot->private_pages);
		rc = upm_fail(u, rc, "slot %u: KVM_SET_USER_MEMORY_REGION2: %s", slot,
			      strerror(-rc));
		goto out;
	}
	free_slot->used = true;
	free_slot->id = slot;
	free_slot->gpa = gpa;
	free_slot->size = size;
	free_slot->hva = hva;
	free_slot->gmem_fd = fd;
	free_slot->shared_fd = shared_fd;
	free_slot->shared_offset = shared_offset;
	u->error[0] = '\0';
out:
	pthread_mutex_unlock(&u->lock);
	return rc;
}

static struct upm_slot *slot_of(struct upm *u, uint64_t gpa)
{
	for (unsigned int i = 0; i < UPM_MAX_SLOTS; i++) {
		struct upm_slot *s = &u->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

int upm_is_private(struct upm *u, uint64_t gpa)
{
	int rc;

	pthread_mutex_lock(&u->lock);
	struct upm_slot *s = slot_of(u, gpa);
	if (s)
		rc = page_bitmap_test(&s->private_pages, (gpa - s->gpa) >> UPM_PAGE_SHIFT);
	else
		rc = upm_fail(u, -ENOENT, "gpa 0x%llx is in no slot", (unsigned long long)gpa);
	pthread_mutex_unlock(&u->lock);
	return rc;
}

int64_t upm_count_private_locked(struct upm *u, uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size, n = 0;

	if (!size || !aligned(gpa) || !aligned(size) || end < gpa)
		return upm_fail(u, -EINVAL, "range [0x%llx, +0x%llx) is not 4K aligned",
				(unsigned long long)gpa, (unsigned long long)size);
	while (gpa < end) {
		struct upm_slot *s = slot_of(u, gpa);
		uint64_t seg_end;

		if (!s)
			return upm_fail(u, -ENOENT, "gpa 0x%llx is in no slot",
					(unsigned long long)gpa);
		seg_end = end < s->gpa + s->size ? end : s->gpa + s->size;
		n += page_bitmap_count(&s->private_pages, (gpa - s->gpa) >> UPM_PAGE_SHIFT,
				       (seg_end - gpa) >> UPM_PAGE_SHIFT);
		gpa = seg_end;
	}
	return (int64_t)n;
}

int64_t upm_count_private(struct upm *u, uint64_t gpa, uint64_t size)
{
	pthread_mutex_lock(&u->lock);
	int64_t n = upm_count_private_locked(u, gpa, size);
	pthread_mutex_unlock(&u->lock);
	return n;
}

int upm_slot_gmem_fd(struct upm *u, uint32_t slot)
{
	int fd = -ENOENT;

	pthread_mutex_lock(&u->lock);
	for (unsigned int i = 0; i < UPM_MAX_SLOTS; i++)
		if (u->slots[i].used && u->slots[i].id == slot)
			fd = u->slots[i].gmem_fd;
	pthread_mutex_unlock(&u->lock);
	return fd;
}

void *upm_hva(struct upm *u, uint64_t gpa)
{
	void *hva = NULL;

	pthread_mutex_lock(&u->lock);
	struct upm_slot *s = slot_of(u, gpa);
	if (s)
		hva = s->hva + (gpa - s->gpa);
	pthread_mutex_unlock(&u->lock);
	return hva;
}

void upm_get_stats(struct upm *u, struct upm_stats *out)
{
	pthread_mutex_lock(&u->lock);
	*out = u->stats;
	pthread_mutex_unlock(&u->lock);
}

void upm_reset_stats(struct upm *u)
{
	pthread_mutex_lock(&u->lock);
	memset(&u->stats, 0, sizeof(u->stats));
	pthread_mutex_unlock(&u->lock);
}

const char *upm_last_error(struct upm *u)
{
	return u->error;
}
