/* SPDX-License-Identifier: MIT */
/* Fake struct upm_ops for the unit tests: records every call, can fail the Nth one. */
#ifndef UPM_FAKE_OPS_H
#define UPM_FAKE_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "upm/upm.h"

enum fake_call_kind {
	FAKE_CREATE_GMEM,
	FAKE_SET_REGION,
	FAKE_SET_ATTR,
	FAKE_PUNCH,
	FAKE_MADVISE,
};

struct fake_call {
	enum fake_call_kind kind;
	uint64_t a; /* gpa, gmem offset, or hva offset from the slot's hva */
	uint64_t len;
	uint64_t arg; /* private flag, fd (region, punch), or madvise advice */
};

#define FAKE_MAX_CALLS 4096

struct fake_kvm {
	struct fake_call calls[FAKE_MAX_CALLS];
	unsigned int ncalls;
	/* Fail the call with this index (0-based, counting every call) with fail_errno. */
	int fail_at;
	int fail_errno;
	uint8_t *hva_base; /* madvise offsets are recorded relative to this */
	uint64_t clock;
};

void fake_kvm_init(struct fake_kvm *f, struct upm_ops *ops, uint8_t *hva_base);
/* Forget recorded calls (keeps the failure setting). */
void fake_kvm_clear(struct fake_kvm *f);

#endif /* UPM_FAKE_OPS_H */
