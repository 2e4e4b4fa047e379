// SPDX-License-Identifier: MIT
/*
 * The conversion state machine.
 *
 * A request [gpa, gpa+size) is validated and cut into per-slot segments; in each the
 * maximal runs of pages whose state differs from the target are found in the bitmap.
 * Runs become batches (one call each); with batch_2m, runs in the same 2M frame are
 * merged (the pages in between already have the target state, so setting their
 * attribute again and discarding their already-stale copy changes nothing).
 *
 * Per batch: KVM_SET_MEMORY_ATTRIBUTES first, then the discard of the now-stale copy
 * (api.rst 4.141: KVM picks shared vs private backing from the attribute). If any call
 * fails, the attributes set so far are put back run by run from the (still untouched)
 * bitmap, so the tracked state and KVM's state stay as before the request.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "upm-internal.h"

struct batch {
	struct upm_slot *slot;
	uint64_t first; /* page index in the slot */
	uint64_t count; /* pages covered, including already-converted gaps */
	uint64_t changed;
};

struct plan {
	struct batch *v;
	size_t n, cap;
	uint64_t runs;
	uint64_t changed;
};

static int plan_push(struct plan *p, struct batch b)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct batch *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = b;
	return 0;
}

static struct upm_slot *find_slot(struct upm *u, uint64_t gpa)
{
	for (unsigned int i = 0; i < UPM_MAX_SLOTS; i++) {
		struct upm_slot *s = &u->slots[i];

		if (s->used && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* Adds the changed runs of one slot segment [first, end) (page indexes) to the plan. */
static int plan_segment(struct upm *u, struct plan *p, struct upm_slot *s, uint64_t first,
			uint64_t end, bool to_private)
{
	const struct page_bitmap *b = &s->private_pages;
	uint64_t pos = first;
	bool open = false;
	struct batch cur = {0};

	for (;;) {
		uint64_t rs = page_bitmap_find(b, pos, end, !to_private);
		if (rs >= end)
			break;
		uint64_t re = page_bitmap_find(b, rs, end, to_private);
		uint64_t gpa_rs = s->gpa + (rs << UPM_PAGE_SHIFT);
		uint64_t gpa_last = s->gpa + ((cur.first + cur.count - 1) << UPM_PAGE_SHIFT);

		p->runs++;
		p->changed += re - rs;
		if (open && u->cfg.batch_2m &&
		    (gpa_rs >> UPM_HUGE_SHIFT) == (gpa_last >> UPM_HUGE_SHIFT)) {
			cur.count = re - cur.first;
			cur.changed += re - rs;
		} else {
			if (open && plan_push(p, cur))
				return -ENOMEM;
			cur = (struct batch){
				.slot = s, .first = rs, .count = re - rs, .changed = re - rs};
			open = true;
		}
		pos = re;
	}
	if (open && plan_push(p, cur))
		return -ENOMEM;
	return 0;
}

/* Puts the attributes of batch b back to the state the bitmap records. */
static void rollback_batch(struct upm *u, const struct batch *b, bool to_private)
{
	const struct page_bitmap *bm = &b->slot->private_pages;
	uint64_t pos = b->first, end = b->first + b->count;

	for (;;) {
		uint64_t rs = page_bitmap_find(bm, pos, end, !to_private);
		if (rs >= end)
			break;
		uint64_t re = page_bitmap_find(bm, rs, end, to_private);
		/* Best effort: if this fails too, KVM and the bitmap disagree; say so. */
		if (u->ops.set_attributes(u->ops.ctx, b->slot->gpa + (rs << UPM_PAGE_SHIFT),
					  (re - rs) << UPM_PAGE_SHIFT, !to_private))
			u->stats.kernel_errors++;
		pos = re;
	}
}

static int discard(struct upm *u, const struct batch *b, bool to_private)
{
	uint64_t off = b->first << UPM_PAGE_SHIFT, len = b->count << UPM_PAGE_SHIFT;
	int rc = 0;

	if (to_private && u->cfg.shared_discard == UPM_SHARED_PUNCH) {
		rc = u->ops.punch_hole(u->ops.ctx, b->slot->shared_fd, b->slot->shared_offset + off,
				       len);
		u->stats.shared_discard_calls++;
	} else if (to_private && u->cfg.shared_discard != UPM_SHARED_KEEP) {
		int advice =
			u->cfg.shared_discard == UPM_SHARED_REMOVE ? MADV_REMOVE : MADV_DONTNEED;
		rc = u->ops.discard_shared(u->ops.ctx, b->slot->hva + off, len, advice);
		u->stats.shared_discard_calls++;
	} else if (!to_private && u->cfg.private_discard == UPM_PRIVATE_PUNCH) {
		rc = u->ops.punch_hole(u->ops.ctx, b->slot->gmem_fd, off, len);
		u->stats.private_discard_calls++;
	} else {
		return 0;
	}
	if (!rc)
		u->stats.discarded_bytes += len;
	return rc;
}

static const char *origin_name(enum upm_origin o)
{
	switch (o) {
	case UPM_ORIGIN_HYPERCALL:
		return "hypercall";
	case UPM_ORIGIN_FAULT:
		return "memory fault";
	case UPM_ORIGIN_VMM:
	default:
		return "vmm";
	}
}

int upm_convert_locked(struct upm *u, uint64_t gpa, uint64_t size, bool to_private,
		       enum upm_origin origin)
{
	const char *what = to_private ? "private" : "shared";
	uint64_t t0 = u->ops.now_ns ? u->ops.now_ns(u->ops.ctx) : 0;
	uint64_t end = gpa + size, cur = gpa;
	struct plan p = {0};
	size_t done = 0;
	int rc = 0;

	if (!size || (gpa | size) & (UPM_PAGE_SIZE - 1) || end < gpa) {
		u->stats.rejected++;
		return upm_fail(u, -EINVAL,
				"%s: convert [0x%llx, +0x%llx) to %s: gpa and size must be 4K "
				"aligned, non-zero and not wrap",
				origin_name(origin), (unsigned long long)gpa,
				(unsigned long long)size, what);
	}
	/* Validate the whole range first: nothing may change if any part is outside. */
	while (cur < end) {
		struct upm_slot *s = find_slot(u, cur);

		if (!s) {
			u->stats.rejected++;
			return upm_fail(u, -ENOENT,
					"%s: convert [0x%llx, +0x%llx) to %s: gpa 0x%llx is not "
					"in any private-capable slot",
					origin_name(origin), (unsigned long long)gpa,
					(unsigned long long)size, what, (unsigned long long)cur);
		}
		cur = end < s->gpa + s->size ? end : s->gpa + s->size;
	}
	for (cur = gpa; cur < end;) {
		struct upm_slot *s = find_slot(u, cur);
		uint64_t seg_end = end < s->gpa + s->size ? end : s->gpa + s->size;

		rc = plan_segment(u, &p, s, (cur - s->gpa) >> UPM_PAGE_SHIFT,
				  (seg_end - s->gpa) >> UPM_PAGE_SHIFT, to_private);
		if (rc) {
			rc = upm_fail(u, rc, "%s: out of memory planning a conversion",
				      origin_name(origin));
			goto out;
		}
		cur = seg_end;
	}
	if (p.n == 0) {
		u->stats.noop_requests++;
		goto out;
	}

	for (done = 0; done < p.n; done++) {
		const struct batch *b = &p.v[done];
		uint64_t bgpa = b->slot->gpa + (b->first << UPM_PAGE_SHIFT);
		uint64_t blen = b->count << UPM_PAGE_SHIFT;

		rc = u->ops.set_attributes(u->ops.ctx, bgpa, blen, to_private);
		u->stats.attr_calls++;
		if (rc) {
			rc = upm_fail(u, rc,
				      "%s: KVM_SET_MEMORY_ATTRIBUTES [0x%llx, +0x%llx) %s: %s",
				      origin_name(origin), (unsigned long long)bgpa,
				      (unsigned long long)blen, what, strerror(-rc));
			break;
		}
		rc = discard(u, b, to_private);
		if (rc) {
			rc = upm_fail(u, rc, "%s: discarding the %s copy of [0x%llx, +0x%llx): %s",
				      origin_name(origin), to_private ? "shared" : "private",
				      (unsigned long long)bgpa, (unsigned long long)blen,
				      strerror(-rc));
			done++; /* its attributes were set: roll them back too */
			break;
		}
	}
	if (rc) {
		u->stats.kernel_errors++;
		while (done-- > 0)
			rollback_batch(u, &p.v[done], to_private);
		goto out;
	}

	for (size_t i = 0; i < p.n; i++)
		page_bitmap_assign(&p.v[i].slot->private_pages, p.v[i].first, p.v[i].count,
				   to_private);
	if (to_private) {
		u->stats.to_private++;
		u->stats.pages_to_private += p.changed;
	} else {
		u->stats.to_shared++;
		u->stats.pages_to_shared += p.changed;
	}
	u->stats.bytes_converted += p.changed << UPM_PAGE_SHIFT;
	u->stats.runs += p.runs;
	u->error[0] = '\0';
out:
	free(p.v);
	if (u->ops.now_ns)
		u->stats.time_ns += u->ops.now_ns(u->ops.ctx) - t0;
	return rc;
}

int upm_convert(struct upm *u, uint64_t gpa, uint64_t size, bool to_private, enum upm_origin origin)
{
	pthread_mutex_lock(&u->lock);
	int rc = upm_convert_locked(u, gpa, size, to_private, origin);
	pthread_mutex_unlock(&u->lock);
	return rc;
}
