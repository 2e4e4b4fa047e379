// SPDX-License-Identifier: MIT
/*
 * SVSM_CORE_PVALIDATE (SVSM spec 58019, core protocol, "PVALIDATE Operation" table).
 *
 * The list is copied once (no re-reading guest memory the guest may change), then each
 * entry is checked and performed in order. A failing entry changes nothing; entries before
 * it stay done and "next" = its index, as the spec reports partial progress.
 */
#include <sev/rmp-instr.h>
#include <svsm/protocol.h>
#include "svsmk/compiler.h"
#include "svsmk/svsm_core.h"

#define HDR_SIZE sizeof(struct svsm_pvalidate_hdr)

static uint64_t entry_len(uint64_t e)
{
	return svsm_pvalidate_entry_size(e) == SVSM_PVALIDATE_SIZE_2M ? 0x200000ull : 0x1000ull;
}

/*
 * Read and check a list header, then its entries: INVALID_PARAMETER for a count that
 * crosses the page. That bound keeps entries within SVSM_PVALIDATE_MAX_ENTRIES, the
 * size of the caller's list.
 */
uint32_t core_read_list(struct svsm_core *c, struct core_vcpu *self, uint64_t gpa,
			struct svsm_pvalidate_hdr *h, uint64_t *list)
{
	if (!IS_ALIGNED(gpa, 8))
		return SVSM_ERR_INVALID_PARAMETER;
	uint32_t res = core_check_range(c, self, gpa, HDR_SIZE, CORE_CHK_ALLOW_OWN_CA);
	if (res)
		return res;
	if (c->be->read_guest(c->be->ctx, gpa, h, HDR_SIZE))
		return SVSM_ERR_INVALID_ADDRESS;
	uint64_t room = (4096 - (gpa & 0xfff) - HDR_SIZE) / 8;
	if (h->entries == 0 || h->entries > room || h->next >= h->entries)
		return SVSM_ERR_INVALID_PARAMETER;
	res = core_check_range(c, self, gpa, HDR_SIZE + 8ull * h->entries, CORE_CHK_ALLOW_OWN_CA);
	if (res)
		return res;
	if (c->be->read_guest(c->be->ctx, gpa + HDR_SIZE, list, 8ull * h->entries))
		return SVSM_ERR_INVALID_ADDRESS;
	return SVSM_SUCCESS;
}

static uint32_t check_entry(struct svsm_core *c, struct core_vcpu *self, uint64_t e)
{
	if ((e & SVSM_PVALIDATE_RESERVED) || svsm_pvalidate_entry_size(e) > SVSM_PVALIDATE_SIZE_2M)
		return SVSM_ERR_INVALID_PARAMETER;
	uint64_t gfn = svsm_pvalidate_entry_gfn(e);
	if (svsm_pvalidate_entry_size(e) == SVSM_PVALIDATE_SIZE_2M && (gfn & 0x1ff))
		return SVSM_ERR_INVALID_PARAMETER;
	return core_check_range(c, self, gfn << 12, entry_len(e), 0);
}

static uint32_t do_entry(struct svsm_core *c, struct core_vcpu *self, uint64_t e)
{
	uint64_t gpa = svsm_pvalidate_entry_gfn(e) << 12;
	unsigned int size = svsm_pvalidate_entry_size(e);
	int validate = !!(e & SVSM_PVALIDATE_VALIDATE);
	uint32_t res;
	/* Rescind: first take every lower VMPL's access away, so the state seen after a
	 * later re-validation is consistent whatever the host does with RMPUPDATE. */
	if (!validate && (res = core_revoke_lower(c, gpa, size)) != SVSM_SUCCESS)
		return res;
	int unchanged = 0;
	uint32_t eax = c->be->pvalidate(c->be->ctx, gpa, size, validate, &unchanged);
	if (eax)
		return core_rmp_result(eax);
	if (unchanged && !(e & SVSM_PVALIDATE_IGNORE_CF))
		return SVSM_PVALIDATE_FAIL_UNCHANGED;
	if (validate && !unchanged) {
		/* A newly validated page may hold stale data: zero it before the guest sees it. */
		if (c->be->zero_guest(c->be->ctx, gpa, entry_len(e)))
			return SVSM_ERR_INVALID_ADDRESS;
	}
	if (validate)
		return core_grant_lower(c, gpa, size, self->vmpl);
	return SVSM_SUCCESS;
}

uint32_t core_pvalidate(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r)
{
	uint64_t list[SVSM_PVALIDATE_MAX_ENTRIES];
	struct svsm_pvalidate_hdr h;
	uint64_t gpa = r->rcx;

	read_lock(&c->lock);
	uint32_t res = core_read_list(c, self, gpa, &h, list);
	if (res)
		goto out;
	uint16_t i;
	/* Entries before a failing one stay done; "next" tells the guest where it stopped. */
	for (i = h.next; i < h.entries; i++) {
		if ((res = check_entry(c, self, list[i])) != SVSM_SUCCESS ||
		    (res = do_entry(c, self, list[i])) != SVSM_SUCCESS)
			break;
	}
	/* "next" = entries on success, else the index of the entry that failed. */
	if (c->be->write_guest(c->be->ctx, gpa + offsetof(struct svsm_pvalidate_hdr, next), &i,
			       sizeof(i)) &&
	    res == SVSM_SUCCESS)
		res = SVSM_ERR_INVALID_ADDRESS;
out:
	read_unlock(&c->lock);
	return res;
}
