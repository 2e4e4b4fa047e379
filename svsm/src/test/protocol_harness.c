// SPDX-License-Identifier: MIT
/* Core-protocol test harness shared by host unit tests and the in-SVSM loopback test. */
#include <sev/rmp-instr.h>
#include <sev/vmsa.h>
#include <svsm/protocol.h>
#include <x86/msr.h>
#include "protocol_harness.h"
#include "svsmk/compiler.h"

#define CHECK(c)                         \
	do {                             \
		if (!(c))                \
			return __LINE__; \
	} while (0)

static const struct pc_mem_ops *mem;

static int be_read(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	return mem->read(((struct fake_rmp *)ctx)->mem_ctx, gpa, buf, n);
}

static int be_write(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	return mem->write(((struct fake_rmp *)ctx)->mem_ctx, gpa, buf, n);
}

static int be_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	return mem->zero(((struct fake_rmp *)ctx)->mem_ctx, gpa, len);
}

static int put8(struct pc_env *e, uint64_t off, uint64_t v)
{
	return mem->write(NULL, e->base + off, &v, 8);
}

int pc_env_reset(struct pc_env *e, uint64_t base, const struct pc_mem_ops *ops)
{
	mem = ops;
	e->base = base;
	fake_rmp_init(&e->rmp, base, PC_PAGES, e->page, e->rmp_2m, base + PC_SVSM_OFF,
		      PC_SVSM_SIZE);
	e->rmp_2m[PC_CHUNK_2M / 0x200000] = 1;
	e->be = (struct core_backend){0};
	fake_rmp_backend(&e->rmp, &e->be);
	e->be.read_guest = be_read;
	e->be.write_guest = be_write;
	e->be.zero_guest = be_zero;
	svsm_core_init(&e->core, &e->be, PC_SEV_FEATURES);
	/* Only the first 1 MiB is cleared: it holds every VMSA, CA and list the tests use. */
	if (ops->zero(NULL, base, 0x100000))
		return -EFAULT;
	e->boot = svsm_core_add_startup_vcpu(&e->core, 0, base + PC_BOOT_VMSA, base + PC_BOOT_CA,
					     PC_BOOT_VMPL);
	return e->boot < 0 ? e->boot : 0;
}

uint32_t pc_call(struct pc_env *e, int idx, uint64_t rax, struct svsm_call_regs *r)
{
	uint8_t one = 1;
	(void)mem->write(NULL, e->core.vcpu[idx].ca_gpa, &one, 1);
	r->rax = rax;
	if (svsm_core_handle(&e->core, (unsigned int)idx, r) != CORE_CALL_DONE)
		return 0xffffffffu;
	return (uint32_t)r->rax;
}

static uint64_t state_hash(const struct pc_env *e)
{
	uint64_t h = 1469598103934665603ull;
	const uint8_t *p = (const uint8_t *)e->page;
	for (size_t i = 0; i < sizeof(e->page); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	p = (const uint8_t *)e->core.vcpu;
	for (size_t i = 0; i < sizeof(e->core.vcpu); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	p = (const uint8_t *)e->core.dep;
	for (size_t i = 0; i < sizeof(e->core.dep); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return (h ^ e->core.ndep) * 1099511628211ull;
}

static uint64_t reloc_entry(const struct pc_env *e, const struct protocol_case *pc, uint64_t v)
{
	return (pc->flags & PC_RAW_ENTRY) ? v : v + e->base;
}

uint32_t pc_run_case(struct pc_env *e, const struct protocol_case *pc, int *next, int *unchanged)
{
	uint64_t off = (pc->flags & PC_ABS) ? 0 : e->base;
	struct svsm_call_regs r = {0};
	r.rcx = pc->rcx + off;
	r.rdx = pc->rdx + (pc->rdx ? off : 0);
	r.r8 = pc->r8;
	if (pc->flags & PC_LIST_HDR) {
		struct svsm_pvalidate_hdr h = {pc->entries, pc->next, 0};
		(void)mem->write(NULL, r.rcx, &h, sizeof(h));
		for (unsigned int i = 0; i < pc->entries && i < 2; i++) {
			uint64_t v = reloc_entry(e, pc, pc->ent[i]);
			(void)mem->write(NULL, r.rcx + 8 + 8 * i, &v, 8);
		}
	}
	if (pc->flags & PC_VMSA) {
		(void)mem->write(NULL, r.rcx + offsetof(struct sev_vmsa, vmpl), &pc->vmsa_vmpl, 1);
		(void)mem->write(NULL, r.rcx + offsetof(struct sev_vmsa, efer), &pc->vmsa_efer, 8);
		(void)mem->write(NULL, r.rcx + offsetof(struct sev_vmsa, sev_features),
				 &pc->vmsa_features, 8);
	}
	uint64_t before = state_hash(e);
	uint8_t pending = pc->pending ? pc->pending : 1;
	(void)mem->write(NULL, e->core.vcpu[e->boot].ca_gpa, &pending, 1);
	r.rax = pc->rax;
	uint32_t res = svsm_core_handle(&e->core, (unsigned int)e->boot, &r) == CORE_CALL_DONE
			       ? (uint32_t)r.rax
			       : 0xffffffffu;
	*unchanged = state_hash(e) == before;
	*next = -1;
	uint16_t n = 0;
	if ((pc->flags & PC_LIST_HDR) && !mem->read(NULL, r.rcx + 2, &n, 2))
		*next = n;
	return res;
}

static uint32_t pv(struct pc_env *e, int idx, uint64_t list_off, const uint64_t *ent, uint16_t n,
		   uint16_t *next)
{
	struct svsm_pvalidate_hdr h = {n, 0, 0};
	(void)mem->write(NULL, e->base + list_off, &h, sizeof(h));
	for (uint16_t i = 0; i < n; i++)
		(void)put8(e, list_off + 8 + 8ull * i, ent[i]);
	struct svsm_call_regs r = {.rcx = e->base + list_off};
	uint32_t res = pc_call(e, idx, svsm_rax(0, SVSM_CORE_PVALIDATE), &r);
	(void)mem->read(NULL, e->base + list_off + 2, next, 2);
	return res;
}

int pc_scenario_pvalidate(struct pc_env *e)
{
	uint16_t next = 0;
	uint64_t a = e->base + 0x100000, big = e->base + PC_CHUNK_2M;
	uint64_t ent[3] = {svsm_pvalidate_entry(a >> 12, 0, 1, 0),
			   svsm_pvalidate_entry((a >> 12) + 1, 0, 1, 0),
			   svsm_pvalidate_entry(big >> 12, 1, 1, 0)};
	uint64_t dirty = 0x5a5a5a5a5a5a5a5aull;
	CHECK(!mem->write(NULL, a, &dirty, 8));
	CHECK(pv(e, e->boot, PC_LIST, ent, 3, &next) == SVSM_SUCCESS && next == 3);
	struct fake_page *p = fake_rmp_page(&e->rmp, a),
			 *q = fake_rmp_page(&e->rmp, big + 0x1ff000);
	CHECK(p->valid && p[1].valid && q->valid);
	/* Full access for VMPL1..caller (2), none for VMPL3; the page was zeroed. */
	CHECK(p->perm[0] == RMP_PERM_ALL && p->perm[1] == RMP_PERM_ALL && p->perm[2] == 0);
	CHECK(!mem->read(NULL, a, &dirty, 8) && dirty == 0);
	/* Again: unchanged (CF=1) is an error unless the entry says ignore. */
	CHECK(pv(e, e->boot, PC_LIST, ent, 1, &next) == SVSM_PVALIDATE_FAIL_UNCHANGED && next == 0);
	ent[0] |= SVSM_PVALIDATE_IGNORE_CF;
	CHECK(pv(e, e->boot, PC_LIST, ent, 1, &next) == SVSM_SUCCESS && next == 1);
	/* Rescind the 2 MiB page: lower VMPLs lose access first, then it is invalid. */
	uint64_t r2m = svsm_pvalidate_entry(big >> 12, 1, 0, 0);
	CHECK(pv(e, e->boot, PC_LIST, &r2m, 1, &next) == SVSM_SUCCESS && next == 1);
	CHECK(!q->valid && q->perm[0] == 0 && q->perm[1] == 0);
	/* A 4 KiB page inside the 2 MiB entry: the host splits the entry (PSMASH), then the
	 * page is validated; its neighbours keep their (now 4 KiB) state. */
	uint64_t in2m = svsm_pvalidate_entry((big >> 12) + 3, 0, 1, 0);
	CHECK(pv(e, e->boot, PC_LIST, &in2m, 1, &next) == SVSM_SUCCESS && next == 1);
	CHECK(e->rmp.n_psmash == 1 && e->rmp_2m[PC_CHUNK_2M / 0x200000] == 0);
	CHECK(fake_rmp_page(&e->rmp, big + 0x3000)->valid && !q->valid);
	/* And now a 2 MiB operation there is refused: the entries are 4 KiB. */
	CHECK(pv(e, e->boot, PC_LIST, &r2m, 1, &next) == SVSM_PVALIDATE_FAIL_SIZEMISMATCH &&
	      next == 0);
	/* A hardware failure mid-list: entry 0 done, next = 1, code 0x8000_1000 + EAX. */
	uint64_t two[2] = {svsm_pvalidate_entry((a >> 12) + 4, 0, 1, 0),
			   svsm_pvalidate_entry((a >> 12) + 5, 0, 1, 0)};
	e->rmp.fail_gpa = a + 0x5000;
	e->rmp.fail_eax = RMP_INSTR_FAIL_PERMISSION;
	CHECK(pv(e, e->boot, PC_LIST, two, 2, &next) == SVSM_PVALIDATE_FAIL_BASE + 2 && next == 1);
	e->rmp.fail_eax = 0x33; /* outside the architectural 0..0xF range */
	two[0] = two[1];
	CHECK(pv(e, e->boot, PC_LIST, two, 1, &next) == SVSM_PVALIDATE_FAIL_UNKNOWN);
	e->rmp.fail_gpa = ~0ull;
	/* A list in the caller's own calling area is allowed (that is what its buffer is for). */
	CHECK(pv(e, e->boot, PC_BOOT_CA + 8, ent, 1, &next) == SVSM_SUCCESS && next == 1);
	return 0;
}

int pc_create_vcpu(struct pc_env *e, uint32_t apic, uint64_t vmsa_off, uint64_t ca_off)
{
	uint8_t vmpl = PC_BOOT_VMPL;
	uint64_t efer = EFER_SVME, feat = PC_SEV_FEATURES;
	(void)mem->write(NULL, e->base + vmsa_off + offsetof(struct sev_vmsa, vmpl), &vmpl, 1);
	(void)put8(e, vmsa_off + offsetof(struct sev_vmsa, efer), efer);
	(void)put8(e, vmsa_off + offsetof(struct sev_vmsa, sev_features), feat);
	struct svsm_call_regs r = {.rcx = e->base + vmsa_off, .rdx = e->base + ca_off, .r8 = apic};
	if (pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_CREATE_VCPU), &r) != SVSM_SUCCESS)
		return -1;
	return svsm_core_find_vcpu(&e->core, apic);
}

int pc_scenario_vcpu(struct pc_env *e)
{
	int idx = pc_create_vcpu(e, 5, PC_NEW_VMSA, PC_NEW_CA);
	CHECK(idx > 0 && e->rmp.n_started == 1);
	struct fake_page *v = fake_rmp_page(&e->rmp, e->base + PC_NEW_VMSA);
	/* A VMSA page the caller (VMPL2) and VMPL1 may read, nobody below VMPL0 write. */
	CHECK(v->vmsa && v->perm[0] == RMP_PERM_READ && v->perm[1] == RMP_PERM_READ &&
	      v->perm[2] == 0);
	/* Now the VMSA and CA are taken: a second create on them is refused. */
	CHECK(pc_create_vcpu(e, 6, PC_NEW_VMSA, 0x40000) < 0);
	CHECK(pc_create_vcpu(e, 6, 0x40000, PC_NEW_CA) < 0);
	/* The new vCPU can call, through its own CA. */
	struct svsm_call_regs r = {.rcx = svsm_query_protocol_arg(0, 1)};
	CHECK(pc_call(e, idx, svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL), &r) == SVSM_SUCCESS);
	CHECK(r.rcx == svsm_query_protocol_result(1, 1));
	/* A running VMSA cannot be deleted: FAIL_INUSE, nothing changed. */
	e->rmp.busy_vmsa = e->base + PC_NEW_VMSA;
	r = (struct svsm_call_regs){.rcx = e->base + PC_NEW_VMSA};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_DELETE_VCPU), &r) ==
	      SVSM_DELETE_VCPU_FAIL_INUSE);
	CHECK(svsm_core_find_vcpu(&e->core, 5) == idx && v->vmsa);
	e->rmp.busy_vmsa = ~0ull;
	r = (struct svsm_call_regs){.rcx = e->base + PC_NEW_VMSA};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_DELETE_VCPU), &r) == SVSM_SUCCESS);
	CHECK(svsm_core_find_vcpu(&e->core, 5) < 0 && !v->vmsa && v->perm[0] == RMP_PERM_ALL &&
	      v->perm[1] == RMP_PERM_ALL && e->rmp.n_stopped == 1);
	/* The host refusing AP creation: refused, VMSA page back to the guest. */
	e->rmp.refuse_start = 1;
	CHECK(pc_create_vcpu(e, 5, PC_NEW_VMSA, PC_NEW_CA) < 0);
	CHECK(!v->vmsa && v->perm[1] == RMP_PERM_ALL);
	e->rmp.refuse_start = 0;
	/* A second VMSA for an APIC ID: the newest is the one run, deleting it goes back to the
	 * older one (OVMF's DXE and Linux's CPU online create before they delete). */
	int first = pc_create_vcpu(e, 8, PC_NEW_VMSA, PC_NEW_CA);
	int second = pc_create_vcpu(e, 8, 0x40000, 0x41000);
	CHECK(first > 0 && second > 0 && second != first &&
	      svsm_core_find_vcpu(&e->core, 8) == second);
	r = (struct svsm_call_regs){.rcx = e->base + 0x40000};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_DELETE_VCPU), &r) == SVSM_SUCCESS);
	CHECK(svsm_core_find_vcpu(&e->core, 8) == first);
	r = (struct svsm_call_regs){.rcx = e->base + PC_NEW_VMSA};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_DELETE_VCPU), &r) == SVSM_SUCCESS);
	CHECK(svsm_core_find_vcpu(&e->core, 8) < 0);
	/* Nobody replaces the VMSA of the vCPU it runs on (the host refuses that too). */
	CHECK(pc_create_vcpu(e, 0, 0x40000, 0x41000) < 0);
	CHECK(!fake_rmp_page(&e->rmp, e->base + 0x40000)->vmsa);
	/* A vCPU deleting itself gets no answer. */
	idx = pc_create_vcpu(e, 7, PC_NEW_VMSA, PC_NEW_CA);
	CHECK(idx > 0);
	uint8_t one = 1;
	(void)mem->write(NULL, e->base + PC_NEW_CA, &one, 1);
	r = (struct svsm_call_regs){.rax = svsm_rax(0, SVSM_CORE_DELETE_VCPU),
				    .rcx = e->base + PC_NEW_VMSA};
	CHECK(svsm_core_handle(&e->core, (unsigned int)idx, &r) == CORE_CALL_NO_RETURN);
	CHECK(svsm_core_find_vcpu(&e->core, 7) < 0);
	return 0;
}

int pc_scenario_memory(struct pc_env *e)
{
	struct svsm_pvalidate_hdr h = {2, 0, 0};
	uint64_t p4k = e->base + 0x200000, p2m = e->base + PC_CHUNK_2M;
	(void)mem->write(NULL, e->base + PC_LIST, &h, sizeof(h));
	(void)put8(e, PC_LIST + 8, svsm_deposit_entry(p4k >> 12, 0));
	(void)put8(e, PC_LIST + 16, svsm_deposit_entry(p2m >> 12, 1));
	struct svsm_call_regs r = {.rcx = e->base + PC_LIST};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_DEPOSIT_MEM), &r) == SVSM_SUCCESS);
	CHECK(e->core.ndep == 2 && fake_rmp_page(&e->rmp, p4k)->perm[1] == 0);
	/* Deposited memory is SVSM-private now: PVALIDATE on it is refused. */
	uint16_t next = 0;
	uint64_t ent = svsm_pvalidate_entry(p4k >> 12, 0, 1, 1);
	CHECK(pv(e, e->boot, 0x21000, &ent, 1, &next) == SVSM_ERR_INVALID_ADDRESS);
	/* Withdraw into a list with room for 3 entries: 3 pages of the 2 MiB deposit. */
	uint64_t list = e->base + 0x22000 + 4096 - 8 - 24;
	r = (struct svsm_call_regs){.rcx = list};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_WITHDRAW_MEM), &r) == SVSM_SUCCESS);
	struct svsm_withdraw_hdr wh;
	uint64_t got[3];
	CHECK(!mem->read(NULL, list, &wh, 8) && wh.entries == 3);
	CHECK(!mem->read(NULL, list + 8, got, 24) && got[0] == p2m && got[2] == p2m + 0x2000);
	CHECK(fake_rmp_page(&e->rmp, p2m)->perm[1] == RMP_PERM_ALL);
	uint8_t avail = 0;
	CHECK(!mem->read(NULL, e->base + PC_BOOT_CA + 1, &avail, 1) && avail == 1);
	/* Drain: a full page list each time, until nothing is left. */
	unsigned int total = 3, rounds = 0;
	do {
		r = (struct svsm_call_regs){.rcx = e->base + 0x22000};
		CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_WITHDRAW_MEM), &r) == SVSM_SUCCESS);
		CHECK(!mem->read(NULL, e->base + 0x22000, &wh, 8));
		total += wh.entries;
	} while (wh.entries && ++rounds < 8);
	CHECK(total == 513 && e->core.ndep == 0);
	CHECK(fake_rmp_page(&e->rmp, p4k)->perm[1] == RMP_PERM_ALL);
	CHECK(!mem->read(NULL, e->base + PC_BOOT_CA + 1, &avail, 1) && avail == 0);
	return 0;
}

int pc_scenario_misc(struct pc_env *e)
{
	struct svsm_call_regs r = {.rcx = svsm_query_protocol_arg(0, 1)};
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL), &r) == SVSM_SUCCESS &&
	      r.rcx == svsm_query_protocol_result(1, 1));
	r.rcx = svsm_query_protocol_arg(1, 1); /* attestation: not implemented here */
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL), &r) == SVSM_SUCCESS &&
	      r.rcx == 0);
	r.rcx = svsm_query_protocol_arg(0, 2);
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL), &r) == SVSM_SUCCESS &&
	      r.rcx == 0);
	r.rcx = SVSM_VTOM_QUERY;
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_CONFIGURE_VTOM), &r) == SVSM_SUCCESS &&
	      !(r.rcx & SVSM_VTOM_SUPPORTED));
	/* REMAP_CA: the old area gets its pending flag cleared, the new one is zeroed. */
	uint64_t old = e->base + PC_BOOT_CA, neu = e->base + 0x50000;
	uint8_t junk = 1, v = 0;
	(void)mem->write(NULL, neu, &junk, 1);
	r.rcx = neu;
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_REMAP_CA), &r) == SVSM_SUCCESS);
	CHECK(e->core.vcpu[e->boot].ca_gpa == neu);
	CHECK(!mem->read(NULL, old, &v, 1) && v == 0 && !mem->read(NULL, neu, &v, 1) && v == 0);
	/* The host entering without a pending call: nothing happens. */
	r = (struct svsm_call_regs){.rax = svsm_rax(0, SVSM_CORE_REMAP_CA), .rcx = old};
	CHECK(svsm_core_handle(&e->core, (unsigned int)e->boot, &r) == CORE_CALL_SPURIOUS);
	CHECK(e->core.vcpu[e->boot].ca_gpa == neu);
	r.rcx = old;
	CHECK(pc_call(e, e->boot, svsm_rax(0, SVSM_CORE_REMAP_CA), &r) == SVSM_SUCCESS);
	return 0;
}

/*
 * Per-worker pages: 16 pages at 0x600000 + idx * 0x10000, its list at 0x60000 + idx * 0x1000
 * and two calling areas of its own at 0x70000 + idx * 0x2000.
 */
int pc_worker(struct pc_env *e, int idx, unsigned int rounds)
{
	uint64_t pages = e->base + 0x600000 + (uint64_t)idx * 0x10000;
	uint64_t list_off = 0x60000 + (uint64_t)idx * 0x1000;
	uint64_t ca[2] = {e->base + 0x70000 + (uint64_t)idx * 0x2000,
			  e->base + 0x71000 + (uint64_t)idx * 0x2000};
	uint64_t ent[16];
	uint16_t next = 0;
	for (unsigned int k = 0; k < rounds; k++) {
		int validate = !(k & 1);
		for (unsigned int i = 0; i < 16; i++)
			ent[i] = svsm_pvalidate_entry((pages >> 12) + i, 0, validate, 0);
		CHECK(pv(e, idx, list_off, ent, 16, &next) == SVSM_SUCCESS && next == 16);
		CHECK(fake_rmp_page(&e->rmp, pages + 0xf000)->valid == (uint8_t)validate);
		struct svsm_call_regs r = {.rcx = ca[k & 1]};
		CHECK(pc_call(e, idx, svsm_rax(0, SVSM_CORE_REMAP_CA), &r) == SVSM_SUCCESS);
		r.rcx = svsm_query_protocol_arg(0, 1);
		CHECK(pc_call(e, idx, svsm_rax(0, SVSM_CORE_QUERY_PROTOCOL), &r) == SVSM_SUCCESS);
		/* Hostile: the boot VMSA is never a calling area, whoever asks. */
		r.rcx = e->base + PC_BOOT_VMSA;
		CHECK(pc_call(e, idx, svsm_rax(0, SVSM_CORE_REMAP_CA), &r) ==
		      SVSM_ERR_INVALID_ADDRESS);
	}
	return 0;
}
