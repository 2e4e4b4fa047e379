// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_CREATE_VCPU and SVSM_CORE_DELETE_VCPU (SVSM spec 58019, core protocol).
 * An invalid request is refused before anything changes; a failure after the VMSA page was
 * locked down (guest racing the check, host refusing the AP) gives the page back to the
 * caller's VMPLs.
 */
#include <sev/rmp-instr.h>
#include <sev/vmsa.h>
#include <svsm/protocol.h>
#include <x86/msr.h>
#include "svsmk/compiler.h"
#include "svsmk/svsm_core.h"

/* Read the three VMSA fields the spec validates. */
static int read_vmsa_fields(struct svsm_core *c, uint64_t gpa, uint8_t *vmpl, uint64_t *efer,
			    uint64_t *features)
{
	const struct core_backend *be = c->be;
	if (be->read_guest(be->ctx, gpa + offsetof(struct sev_vmsa, vmpl), vmpl, 1) ||
	    be->read_guest(be->ctx, gpa + offsetof(struct sev_vmsa, efer), efer, 8) ||
	    be->read_guest(be->ctx, gpa + offsetof(struct sev_vmsa, sev_features), features, 8))
		return -EFAULT;
	return 0;
}

static uint32_t check_vmsa(struct svsm_core *c, const struct core_vcpu *self, uint64_t gpa,
			   uint8_t *vmpl, uint64_t *efer, uint64_t *features)
{
	if (read_vmsa_fields(c, gpa, vmpl, efer, features))
		return SVSM_ERR_INVALID_ADDRESS;
	if (*vmpl == 0 || *vmpl > 3 || *vmpl < self->vmpl || !(*efer & EFER_SVME) ||
	    *features != c->startup_sev_features)
		return SVSM_ERR_INVALID_PARAMETER;
	return SVSM_SUCCESS;
}

/*
 * Make the page a VMSA (RMPADJUST with the VMSA bit, APM vol. 2 15.36.7; the bit belongs to
 * the page, so every adjust here carries it) that the caller's side can read but nobody below
 * VMPL0 can write: the checked VMSA cannot change under the host's VMRUN, while the guest may
 * still read what it built. OVMF's MpInitLib and Linux (wakeup_cpu_via_vmgexit) read the
 * VMSA's VMPL and SEV_FEATURES right after this call to fill in their own AP Creation event.
 * VMPLs up to the caller's get read access, the ones below it none.
 */
static uint32_t set_vmsa_read_only(struct svsm_core *c, uint64_t gpa, uint8_t caller_vmpl)
{
	return core_adjust_lower(c, gpa, RMP_PG_SIZE_4K, caller_vmpl, RMP_PERM_READ, true);
}

static uint32_t create_locked(struct svsm_core *c, struct core_vcpu *self, uint64_t vmsa_gpa,
			      uint64_t ca_gpa, uint32_t apic_id)
{
	uint32_t res;
	if ((res = core_check_range(c, self, vmsa_gpa, 4096, 0)) ||
	    (res = core_check_range(c, self, ca_gpa, 4096, 0)))
		return res;
	if (vmsa_gpa == ca_gpa)
		return SVSM_ERR_INVALID_ADDRESS;
	/*
	 * Another VMSA for an APIC ID that has one is allowed: the newest is the one that runs
	 * (the older stays a VMSA until DELETE_VCPU names it). Linux (CPU online) and OVMF (its
	 * DXE phase after PEI's) create the new VMSA before they delete the old one. Only the
	 * caller's own vCPU cannot be replaced this way, as the host refuses a vCPU replacing
	 * its own VMSA.
	 */
	if (apic_id == self->apic_id)
		return SVSM_ERR_INVALID_PARAMETER;
	int slot = -1;
	for (int i = 0; i < CORE_MAX_VCPUS && slot < 0; i++)
		slot = c->vcpu[i].in_use ? -1 : i;
	if (slot < 0)
		return SVSM_ERR_INVALID_REQUEST;
	/*
	 * Validate, lock the page down (no lower-VMPL access), validate again: the second
	 * look closes the window in which the guest could change the VMSA after the check.
	 * Then it becomes a VMSA the caller may only read. An ordinary bad VMSA is refused
	 * before anything changes.
	 */
	uint8_t vmpl = 0;
	uint64_t efer = 0, features = 0;
	if ((res = check_vmsa(c, self, vmsa_gpa, &vmpl, &efer, &features)))
		return res;
	if ((res = core_revoke_lower(c, vmsa_gpa, RMP_PG_SIZE_4K)))
		return res;
	res = check_vmsa(c, self, vmsa_gpa, &vmpl, &efer, &features);
	if (!res)
		res = set_vmsa_read_only(c, vmsa_gpa, self->vmpl);
	if (!res && c->be->start_vcpu(c->be->ctx, apic_id, vmsa_gpa, vmpl, features))
		res = SVSM_ERR_INVALID_REQUEST; /* the host refused to create it */
	if (res) {
		(void)core_grant_lower(c, vmsa_gpa, RMP_PG_SIZE_4K, self->vmpl);
		return res;
	}
	c->vcpu[slot] = (struct core_vcpu){vmsa_gpa, ca_gpa, apic_id, vmpl, 1, 0, ++c->vcpu_seq};
	return SVSM_SUCCESS;
}

uint32_t core_create_vcpu(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r)
{
	if (!IS_ALIGNED(r->rcx, 4096) || !IS_ALIGNED(r->rdx, 4096))
		return SVSM_ERR_INVALID_PARAMETER;
	write_lock(&c->lock);
	uint32_t res = create_locked(c, self, r->rcx, r->rdx, (uint32_t)r->r8);
	write_unlock(&c->lock);
	return res;
}

static uint32_t delete_locked(struct svsm_core *c, struct core_vcpu *self, uint64_t vmsa_gpa,
			      bool *deleted_self)
{
	struct core_vcpu *v = NULL;
	for (unsigned int i = 0; i < CORE_MAX_VCPUS && !v; i++) {
		if (c->vcpu[i].in_use && c->vcpu[i].vmsa_gpa == vmsa_gpa)
			v = &c->vcpu[i];
	}
	if (!v || v->startup || v->vmpl < self->vmpl)
		return SVSM_ERR_INVALID_PARAMETER;
	if (v != self && c->be->set_vmsa_runnable(c->be->ctx, vmsa_gpa, 0))
		return SVSM_DELETE_VCPU_FAIL_INUSE; /* running right now */
	if (c->be->stop_vcpu(c->be->ctx, v->apic_id, vmsa_gpa, v->vmpl)) {
		if (v != self)
			(void)c->be->set_vmsa_runnable(c->be->ctx, vmsa_gpa, 1);
		return SVSM_ERR_INVALID_REQUEST;
	}
	uint32_t eax = c->be->rmpadjust(c->be->ctx, vmsa_gpa, RMP_PG_SIZE_4K,
					rmpadjust_attrs(v->vmpl, 0, 0));
	uint32_t res = eax ? core_rmp_result(eax)
			   : core_grant_lower(c, vmsa_gpa, RMP_PG_SIZE_4K, self->vmpl);
	*deleted_self = v == self;
	*v = (struct core_vcpu){0};
	return res;
}

uint32_t core_delete_vcpu(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r,
			  bool *deleted_self)
{
	if (!IS_ALIGNED(r->rcx, 4096))
		return SVSM_ERR_INVALID_PARAMETER;
	write_lock(&c->lock);
	uint32_t res = delete_locked(c, self, r->rcx, deleted_self);
	write_unlock(&c->lock);
	return res;
}
