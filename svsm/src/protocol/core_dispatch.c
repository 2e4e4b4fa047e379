// SPDX-License-Identifier: MIT
/*
 * Core protocol dispatch (SVSM spec 58019, "Calling Convention" and "Core Protocol"):
 * check SVSM_CALL_PENDING, route RAX to a call, write the 32-bit result, clear the pending
 * flag of the calling area the call was made through. Also the two calls with no state:
 * QUERY_PROTOCOL and CONFIGURE_VTOM.
 */
#include <svsm/protocol.h>
#include "svsmk/compiler.h"
#include "svsmk/svsm_core.h"

void svsm_core_init(struct svsm_core *c, const struct core_backend *be, uint64_t sev_features)
{
	*c = (struct svsm_core){.lock = RWLOCK_INIT, .be = be};
	c->startup_sev_features = sev_features;
}

int svsm_core_find_vcpu(struct svsm_core *c, uint32_t apic_id)
{
	int found = -ENOENT;
	for (int i = 0; i < CORE_MAX_VCPUS; i++) {
		if (c->vcpu[i].in_use && c->vcpu[i].apic_id == apic_id &&
		    (found < 0 || c->vcpu[i].seq > c->vcpu[found].seq))
			found = i;
	}
	return found;
}

int svsm_core_add_startup_vcpu(struct svsm_core *c, uint32_t apic_id, uint64_t vmsa_gpa,
			       uint64_t ca_gpa, uint8_t vmpl)
{
	if (!IS_ALIGNED(vmsa_gpa, 4096) || !IS_ALIGNED(ca_gpa, 4096) || vmpl == 0 || vmpl > 3)
		return -EINVAL;
	write_lock(&c->lock);
	int rc = -ENOMEM;
	for (int i = 0; i < CORE_MAX_VCPUS; i++) {
		if (!c->vcpu[i].in_use) {
			c->vcpu[i] = (struct core_vcpu){vmsa_gpa, ca_gpa, apic_id,	vmpl,
							1,	  1,	  ++c->vcpu_seq};
			rc = i;
			break;
		}
	}
	write_unlock(&c->lock);
	return rc;
}

uint32_t core_query_protocol(struct svsm_core *c, struct svsm_call_regs *r)
{
	(void)c;
	uint32_t proto = (uint32_t)(r->rcx >> 32), ver = (uint32_t)r->rcx;
	/* Only the core protocol, version 1, is implemented. Always SVSM_SUCCESS. */
	if (proto == SVSM_PROTOCOL_CORE && ver >= 1 && ver <= SVSM_CORE_PROTOCOL_VERSION)
		r->rcx = svsm_query_protocol_result(1, SVSM_CORE_PROTOCOL_VERSION);
	else
		r->rcx = 0;
	return SVSM_SUCCESS;
}

/*
 * vTOM reconfiguration is optional ("the SVSM may reject the call"): the query reports it
 * unsupported and a configure request is refused, after the reserved-bit checks.
 */
uint32_t core_configure_vtom(struct svsm_core *c, struct svsm_call_regs *r)
{
	(void)c;
	if (r->rcx & SVSM_VTOM_QUERY) {
		if (r->rcx != SVSM_VTOM_QUERY)
			return SVSM_ERR_INVALID_PARAMETER;
		r->rcx = 0; /* bit 1 clear: configuration not supported */
		return SVSM_SUCCESS;
	}
	if (r->rcx & SVSM_VTOM_RESERVED)
		return SVSM_ERR_INVALID_PARAMETER;
	if (!(r->rcx & SVSM_VTOM_ENABLE) && (r->rcx & SVSM_VTOM_VALUE_MASK))
		return SVSM_ERR_INVALID_PARAMETER; /* disabling requires vTOM bits 63:12 = 0 */
	return SVSM_ERR_INVALID_REQUEST;
}

uint32_t core_remap_ca(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r)
{
	uint64_t gpa = r->rcx;
	if (!IS_ALIGNED(gpa, 4096))
		return SVSM_ERR_INVALID_PARAMETER;
	write_lock(&c->lock);
	uint32_t res = core_check_range(c, self, gpa, 4096, CORE_CHK_ALLOW_OWN_CA);
	uint8_t zero = 0;
	/* Clear the new area's pending flag so a spurious entry is not taken as a call. */
	if (res == SVSM_SUCCESS && c->be->write_guest(c->be->ctx, gpa, &zero, 1))
		res = SVSM_ERR_INVALID_ADDRESS;
	if (res == SVSM_SUCCESS)
		self->ca_gpa = gpa;
	write_unlock(&c->lock);
	return res;
}

static uint32_t core_call(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r,
			  bool *deleted_self)
{
	if (svsm_rax_protocol(r->rax) != SVSM_PROTOCOL_CORE)
		return SVSM_ERR_UNSUPPORTED_PROTOCOL;
	switch (svsm_rax_call_id(r->rax)) {
	case SVSM_CORE_REMAP_CA:
		return core_remap_ca(c, self, r);
	case SVSM_CORE_PVALIDATE:
		return core_pvalidate(c, self, r);
	case SVSM_CORE_CREATE_VCPU:
		return core_create_vcpu(c, self, r);
	case SVSM_CORE_DELETE_VCPU:
		return core_delete_vcpu(c, self, r, deleted_self);
	case SVSM_CORE_DEPOSIT_MEM:
		return core_deposit_mem(c, self, r);
	case SVSM_CORE_WITHDRAW_MEM:
		return core_withdraw_mem(c, self, r);
	case SVSM_CORE_QUERY_PROTOCOL:
		return core_query_protocol(c, r);
	case SVSM_CORE_CONFIGURE_VTOM:
		return core_configure_vtom(c, r);
	default:
		return SVSM_ERR_UNSUPPORTED_CALL;
	}
}

enum core_outcome svsm_core_handle(struct svsm_core *c, unsigned int idx, struct svsm_call_regs *r)
{
	if (idx >= CORE_MAX_VCPUS || !c->vcpu[idx].in_use)
		return CORE_CALL_SPURIOUS;
	struct core_vcpu *self = &c->vcpu[idx];
	/* The calling area the call arrived through (REMAP_CA changes self->ca_gpa). */
	uint64_t ca = READ_ONCE(self->ca_gpa);
	uint8_t pending = 0;
	if (c->be->read_guest(c->be->ctx, ca, &pending, 1) || pending == 0)
		return CORE_CALL_SPURIOUS; /* the host entered us without a guest request */
	uint32_t res;
	bool deleted_self = false;
	if (pending != 1)
		res = SVSM_ERR_INVALID_FORMAT; /* reserved SVSM_CALL_PENDING value */
	else
		res = core_call(c, self, r, &deleted_self);
	if (deleted_self)
		return CORE_CALL_NO_RETURN;
	r->rax = res; /* a 32-bit result; the guest ignores the upper half */
	uint8_t zero = 0;
	(void)c->be->write_guest(c->be->ctx, ca, &zero, 1);
	return CORE_CALL_DONE;
}
