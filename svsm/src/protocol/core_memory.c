// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_DEPOSIT_MEM and SVSM_CORE_WITHDRAW_MEM (SVSM spec 58019, core protocol,
 * "Deposit Memory Operation" / "Withdraw Memory Operation" tables). Deposited memory
 * becomes SVSM-private (no lower-VMPL access) and is tracked in core->dep; the SVSM does not
 * consume it yet, so all of it can be withdrawn again.
 */
#include <sev/rmp-instr.h>
#include <svsm/protocol.h>
#include "svsmk/compiler.h"
#include "svsmk/svsm_core.h"

#define HDR_SIZE sizeof(struct svsm_pvalidate_hdr)

static uint64_t dep_len(unsigned int size)
{
	return size == SVSM_PVALIDATE_SIZE_2M ? 0x200000ull : 0x1000ull;
}

static uint32_t check_deposit(struct svsm_core *c, struct core_vcpu *self, const uint64_t *list,
			      uint16_t from, uint16_t i)
{
	uint64_t e = list[i];
	unsigned int size = (unsigned int)(e & SVSM_DEPOSIT_SIZE_MASK);
	uint64_t gfn = svsm_pvalidate_entry_gfn(e);
	if ((e & SVSM_DEPOSIT_RESERVED) || size > SVSM_PVALIDATE_SIZE_2M ||
	    (size == SVSM_PVALIDATE_SIZE_2M && (gfn & 0x1ff)))
		return SVSM_ERR_INVALID_PARAMETER;
	uint32_t res = core_check_range(c, self, gfn << 12, dep_len(size), 0);
	if (res)
		return res;
	/* Overlap with an earlier entry of the same list would deposit a page twice. */
	for (uint16_t j = from; j < i; j++) {
		uint64_t a = svsm_pvalidate_entry_gfn(list[j]) << 12;
		uint64_t alen = dep_len((unsigned int)(list[j] & SVSM_DEPOSIT_SIZE_MASK));
		if ((gfn << 12) < a + alen && a < (gfn << 12) + dep_len(size))
			return SVSM_ERR_INVALID_ADDRESS;
	}
	return SVSM_SUCCESS;
}

/* SVSM_MEM_AVAILABLE (calling area byte 1) of the boot vCPU: deposited memory remains. */
static void set_mem_available(struct svsm_core *c)
{
	uint8_t avail = c->ndep != 0;
	for (unsigned int i = 0; i < CORE_MAX_VCPUS; i++) {
		if (c->vcpu[i].in_use && c->vcpu[i].startup)
			(void)c->be->write_guest(c->be->ctx,
						 c->vcpu[i].ca_gpa +
							 offsetof(struct svsm_ca, mem_available),
						 &avail, 1);
	}
}

uint32_t core_deposit_mem(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r)
{
	uint64_t list[SVSM_PVALIDATE_MAX_ENTRIES];
	struct svsm_pvalidate_hdr h;
	uint64_t gpa = r->rcx;

	write_lock(&c->lock);
	uint32_t res = core_read_list(c, self, gpa, &h, list);
	if (res)
		goto out;
	uint16_t i;
	/* In order; entries before a failing one stay deposited and "next" says so. */
	for (i = h.next; i < h.entries; i++) {
		if ((res = check_deposit(c, self, list, h.next, i)) != SVSM_SUCCESS)
			break;
		if (c->ndep == CORE_MAX_DEPOSITS) {
			res = SVSM_ERR_INVALID_REQUEST; /* our tracking table is full */
			break;
		}
		unsigned int size = (unsigned int)(list[i] & SVSM_DEPOSIT_SIZE_MASK);
		uint64_t pa = svsm_pvalidate_entry_gfn(list[i]) << 12;
		if ((res = core_revoke_lower(c, pa, size)) != SVSM_SUCCESS) {
			(void)core_grant_lower(c, pa, size, self->vmpl);
			break;
		}
		c->dep[c->ndep++] = (struct core_deposit){pa, size, 0, 0};
	}
	if (c->be->write_guest(c->be->ctx, gpa + offsetof(struct svsm_pvalidate_hdr, next), &i,
			       sizeof(i)) &&
	    res == SVSM_SUCCESS)
		res = SVSM_ERR_INVALID_ADDRESS;
	set_mem_available(c); /* whatever was kept (also before a failing entry) */
out:
	write_unlock(&c->lock);
	return res;
}

/* Pages of deposit d still to hand back. */
static uint32_t dep_left(const struct core_deposit *d)
{
	return (uint32_t)(dep_len(d->size) / 4096) - d->reported;
}

uint32_t core_withdraw_mem(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r)
{
	uint64_t gpa = r->rcx;
	if (!IS_ALIGNED(gpa, 8))
		return SVSM_ERR_INVALID_PARAMETER;
	uint64_t room = (4096 - (gpa & 0xfff) - HDR_SIZE) / 8;
	if (room == 0)
		return SVSM_ERR_INVALID_PARAMETER; /* list at page offset 0xFF8 */

	write_lock(&c->lock);
	uint32_t res = core_check_range(c, self, gpa, HDR_SIZE + 8 * room, CORE_CHK_ALLOW_OWN_CA);
	if (res)
		goto out;
	/* Plan: take pages from the most recent deposits, write the list, then commit. */
	uint64_t out[SVSM_PVALIDATE_MAX_ENTRIES];
	uint16_t n = 0;
	for (uint32_t d = c->ndep; d > 0 && n < room; d--) {
		const struct core_deposit *dp = &c->dep[d - 1];
		for (uint32_t k = 0; k < dep_left(dp) && n < room; k++)
			out[n++] = dp->gpa + 4096ull * (dp->reported + k);
	}
	struct svsm_withdraw_hdr wh = {.entries = n};
	if ((n && c->be->write_guest(c->be->ctx, gpa + HDR_SIZE, out, 8ull * n)) ||
	    c->be->write_guest(c->be->ctx, gpa, &wh, sizeof(wh))) {
		res = SVSM_ERR_INVALID_ADDRESS;
		goto out;
	}
	uint16_t left = n;
	while (left) {
		struct core_deposit *dp = &c->dep[c->ndep - 1];
		if (!dp->granted) {
			res = core_grant_lower(c, dp->gpa, dp->size, self->vmpl);
			if (res)
				goto out; /* hardware refused: the pages stay SVSM-private */
			dp->granted = 1;
		}
		uint32_t take = MIN((uint32_t)left, dep_left(dp));
		dp->reported += take;
		left = (uint16_t)(left - take);
		if (dep_left(dp) == 0)
			c->ndep--;
	}
	set_mem_available(c);
out:
	write_unlock(&c->lock);
	return res;
}
