// SPDX-License-Identifier: MIT
/*
 * Address checks and RMP helpers shared by the core calls. Every guest-supplied range is
 * checked here, with the core lock held, before anything is changed (SVSM spec 58019, core
 * protocol: "SVSM_ERR_INVALID_ADDRESS" for SVSM-owned, VMSA and calling-area pages).
 */
#include <sev/rmp-instr.h>
#include <svsm/protocol.h>
#include "svsmk/svsm_core.h"

#define PAGE_4K 4096ull

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static uint64_t deposit_bytes(const struct core_deposit *d)
{
	return d->size == SVSM_PVALIDATE_SIZE_2M ? 512 * PAGE_4K : PAGE_4K;
}

uint32_t core_check_range(struct svsm_core *c, const struct core_vcpu *self, uint64_t gpa,
			  uint64_t len, unsigned int flags)
{
	if (len == 0 || gpa + len < gpa || gpa + len > CORE_GPA_LIMIT)
		return SVSM_ERR_INVALID_ADDRESS;
	if (!c->be->is_guest_ram(c->be->ctx, gpa, len) ||
	    c->be->is_svsm_memory(c->be->ctx, gpa, len))
		return SVSM_ERR_INVALID_ADDRESS;
	for (unsigned int i = 0; i < CORE_MAX_VCPUS; i++) {
		const struct core_vcpu *v = &c->vcpu[i];
		if (!v->in_use)
			continue;
		if (overlaps(gpa, len, v->vmsa_gpa, PAGE_4K))
			return SVSM_ERR_INVALID_ADDRESS;
		bool ca_ok = (flags & CORE_CHK_ALLOW_ANY_CA) ||
			     ((flags & CORE_CHK_ALLOW_OWN_CA) && v == self);
		if (!ca_ok && overlaps(gpa, len, v->ca_gpa, PAGE_4K))
			return SVSM_ERR_INVALID_ADDRESS;
	}
	for (uint32_t i = 0; i < c->ndep; i++) {
		if (overlaps(gpa, len, c->dep[i].gpa, deposit_bytes(&c->dep[i])))
			return SVSM_ERR_INVALID_ADDRESS;
	}
	return SVSM_SUCCESS;
}

uint32_t core_rmp_result(uint32_t eax)
{
	return eax <= 0xfu ? SVSM_PVALIDATE_FAIL_BASE + eax : SVSM_PVALIDATE_FAIL_UNKNOWN;
}

/* VMPL1..3 exist besides VMPL0 (APM vol. 2, 15.36.7: four VMPLs). */
#define LOWEST_VMPL 3u

uint32_t core_adjust_lower(struct svsm_core *c, uint64_t gpa, unsigned int size, uint8_t vmpl,
			   uint8_t perms, bool vmsa)
{
	for (unsigned int v = 1; v <= LOWEST_VMPL; v++) {
		uint32_t eax =
			c->be->rmpadjust(c->be->ctx, gpa, size,
					 rmpadjust_attrs((uint8_t)v, v <= vmpl ? perms : 0, vmsa));
		if (eax)
			return core_rmp_result(eax);
	}
	return SVSM_SUCCESS;
}

uint32_t core_grant_lower(struct svsm_core *c, uint64_t gpa, unsigned int size, uint8_t vmpl)
{
	return core_adjust_lower(c, gpa, size, vmpl, RMP_PERM_ALL, false);
}

uint32_t core_revoke_lower(struct svsm_core *c, uint64_t gpa, unsigned int size)
{
	return core_grant_lower(c, gpa, size, 0);
}
