// SPDX-License-Identifier: MIT
/*
 * The hostile-request table (svsm/src/test/protocol_cases.c, the same rows the host unit
 * test and the in-SVSM test run and docs/svsm-protocol.md shows), made from VMPL2 on the
 * real calling convention. The rows name addresses in a small guest layout; here each is
 * placed on the real thing: the SVSM region from the boot registers, the BSP's VMSA and
 * calling area, addresses past RAM, and the rest in GUEST_TABLE_BASE. Lists and VMSAs are
 * written only where the guest can write (pages it validated first); rows that leave
 * partial progress (next = 1) are undone afterwards so every row starts from the same state.
 */
#include <sev/psc.h>
#include <sev/vmsa.h>
#include <svsm/protocol.h>
#include "guest.h"
#include "protocol_cases.h"

#define T GUEST_TABLE_BASE

static uint64_t tr(uint64_t off)
{
	if (off >= PC_RAM_SIZE)
		return GUEST_OUTSIDE + (off - PC_RAM_SIZE);
	if (off >= PC_SVSM_OFF && off < PC_SVSM_OFF + PC_SVSM_SIZE)
		return boot_regs.svsm_base + (off - PC_SVSM_OFF);
	uint64_t page = off & ~0xfffull, in = off & 0xfff;
	if (page == PC_BOOT_VMSA)
		return boot_regs.boot_vmsa + in;
	if (page == PC_BOOT_CA)
		return cpus[0].ca + in;
	return T + off;
}

/* Pages of the table layout the guest validated (lists, the new VMSA and CA), or the CA. */
static bool writable(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;
	return (gpa >= T + PC_LIST && end <= T + PC_LIST + 0x2000) ||
	       (gpa >= T + PC_NEW_VMSA && end <= T + PC_NEW_CA + 0x1000) ||
	       (gpa >= cpus[0].ca && end <= cpus[0].ca + 0x1000);
}

static uint64_t entry(const struct protocol_case *pc, unsigned int i)
{
	uint64_t v = pc->ent[i];
	return (pc->flags & PC_RAW_ENTRY) ? v : tr(v & ~0xfffull) | (v & 0xfff);
}

static void undo(const struct protocol_case *pc, uint64_t list, uint16_t next)
{
	if (pc->rax == svsm_rax(0, SVSM_CORE_PVALIDATE)) {
		uint64_t ent[2];
		for (uint16_t i = 0; i < next && i < 2; i++)
			ent[i] =
				(entry(pc, i) ^ SVSM_PVALIDATE_VALIDATE) | SVSM_PVALIDATE_IGNORE_CF;
		uint16_t n = 0;
		(void)svsm_pvalidate_list(ent, next, &n);
	} else if (pc->rax == svsm_rax(0, SVSM_CORE_DEPOSIT_MEM)) {
		struct svsm_regs r = {.rax = svsm_rax(0, SVSM_CORE_WITHDRAW_MEM), .rcx = list};
		(void)svsm_call(&r);
	}
}

static void run_row(unsigned int idx, const struct protocol_case *pc)
{
	bool abs = pc->flags & PC_ABS;
	struct svsm_regs r = {.rax = pc->rax,
			      .rcx = abs ? pc->rcx : tr(pc->rcx),
			      .rdx = abs || !pc->rdx ? pc->rdx : tr(pc->rdx),
			      .r8 = pc->r8};
	bool listed = (pc->flags & PC_LIST_HDR) && writable(r.rcx, 8 + 8ull * pc->entries);
	if (listed) {
		struct svsm_pvalidate_hdr *h = gpa_ptr(r.rcx);
		*h = (struct svsm_pvalidate_hdr){pc->entries, pc->next, 0};
		for (unsigned int i = 0; i < pc->entries && i < 2; i++)
			((uint64_t *)(h + 1))[i] = entry(pc, i);
	}
	if ((pc->flags & PC_VMSA) && writable(r.rcx, sizeof(struct sev_vmsa))) {
		struct sev_vmsa *v = gpa_ptr(r.rcx);
		v->vmpl = pc->vmsa_vmpl;
		v->efer = pc->vmsa_efer;
		/* "Differ from the boot vCPU" means differ from the real boot vCPU's features. */
		v->sev_features = sev_features ^ (pc->vmsa_features ^ PC_SEV_FEATURES);
	}
	uint32_t res = svsm_call_pending(&r, pc->pending ? pc->pending : 1);
	int next = -1;
	if (listed)
		next = ((struct svsm_pvalidate_hdr *)gpa_ptr(r.rcx))->next;
	bool ok = res == pc->expect && (pc->expect_next < 0 || !listed || next == pc->expect_next);
	tap(ok, "hostile %u: %s: %s -> %#x%s (want %s)", idx, pc->call, pc->what, res,
	    next >= 0 && pc->expect_next >= 0
		    ? (next == pc->expect_next ? ", next ok" : ", next WRONG")
		    : "",
	    protocol_result_name(pc->expect));
	if (listed && next > 0)
		undo(pc, r.rcx, (uint16_t)next);
}

void test_hostile_table(void)
{
	/* The pages the rows write (two list pages, the new VMSA and CA) are validated; the
	 * 2 MiB chunk is one 2 MiB RMP entry and the next chunk 4 KiB entries, as in the
	 * table's layout (both private, not validated). */
	bool ok = make_private(T + PC_LIST, 2, false) == 0 &&
		  make_private(T + PC_NEW_VMSA, 2, false) == 0 &&
		  psc(T + PC_CHUNK_2M, 512, SNP_PSC_OP_PRIVATE, true) == 0 &&
		  /* Shared first: a private 4 KiB request for a page the host already
		   * holds in a private 2 MiB entry changes nothing (GHCB spec 4.1.6). */
		  psc(T + PC_CHUNK_4K, 512, SNP_PSC_OP_SHARED, false) == 0 &&
		  psc(T + PC_CHUNK_4K, 512, SNP_PSC_OP_PRIVATE, false) == 0;
	tap(ok, "hostile table: layout prepared at %#llx", (unsigned long long)T);
	for (unsigned int i = 0; i < protocol_case_count; i++)
		run_row(i, &protocol_cases[i]);
}
