/* SPDX-License-Identifier: MIT */
/*
 * The remaining NAE events of the GHCB (GHCB spec, AMD pub. 56421, Table 7
 * and 2.3.1) against the emulated hypervisor: AP Jump Table (8000_0005h),
 * DR7 read/write (exit codes 27h/37h), MONITOR (8Ah) and MWAIT (8Bh) through
 * the GHCB page, each with its inputs, outputs and malformed-input answer
 * (4.1: SW_EXITINFO1 2, reason in SW_EXITINFO2); and, with a second vCPU
 * ("smp2"), AP Reset Hold through the MSR protocol (006h/007h) and through
 * the GHCB page (NAE 8000_0004h): the AP stays held until INIT-SIPI and then
 * sees a non-zero result (GHCBData / SW_EXITINFO2).
 *
 * The GHCB is the one an earlier file registered, else a hypervisor-owned
 * page of free RAM. Paging is off: guest-virtual = guest-physical.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/rmp-instr.h"
#include "sev/sev-status.h"
#include "sev/vmsa.h"
#include "x86/desc.h"
#include "x86/msr.h"

#include "ghcb.h"
#include "guest.h"
#include "lib.h"
#include "vmsa-flat32.h"
#include "rmp-instr-guest.h"

/* Free guest RAM for this file (40-ghcb.c ends at 20 MiB, 50-vmpl.c is at 13 MiB). */
#define NAE_GHCB_GPA  0x01400000u /* our GHCB if no earlier file set one up */
#define HOLD_VMSA     0x01401000u /* VMPL0 VMSA of vCPU 1 for AP Reset Hold */
#define HOLD_STACK    0x01403000u /* top of the page at 0x1402000 */
#define HOLD_GHCB     0x01404000u /* vCPU 1's own GHCB (never validated: shared) */
#define WAIT_LOOPS    100000000u
#define JUMP_TABLE_PA 0x0009f000u
#define DR7_RESET     0x400u /* APM vol. 2 13.1.1.5 */
#define OFF(f)	      offsetof(struct ghcb_save_area, f)

#define LAPIC_BASE   0xfee00000u
#define LAPIC_ICR_LO 0x300u
#define LAPIC_ICR_HI 0x310u
#define ICR_INIT     0x4500u /* INIT, level assert (APM vol. 2 16.5) */
#define ICR_SIPI     0x4600u /* StartUp, vector 0 (ignored for a VMSA vCPU) */

/* #GP(0) in EVENTINJ format (APM vol. 2 15.20): what SW_EXITINFO2 names. */
#define INJECT_GP                                                                  \
	(13ull | ((uint64_t)SEV_EVENTINJ_TYPE_EXCEPT << SEV_EVENTINJ_TYPE_SHIFT) | \
	 SEV_EVENTINJ_EV | SEV_EVENTINJ_VALID)

static bool have_ghcb(void)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return ghcb_page() || ghcb_init((void *)(uintptr_t)NAE_GHCB_GPA, NAE_GHCB_GPA);
}

/* SW_EXITINFO1 and SW_EXITINFO2 of the last answer, as one value to print. */
static uint64_t answer(uint32_t info1)
{
	return ((uint64_t)info1 << 32) | (uint32_t)ghcb_last_info2();
}

/* AP Jump Table: SW_EXITINFO1 0 = set (SW_EXITINFO2 = address), 1 = get. */
static void check_ap_jump_table(void)
{
	uint32_t rc;

	ghcb_clear();
	rc = ghcb_nae(SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_SET, JUMP_TABLE_PA);
	expect(rc == 0, "GHCB AP Jump Table set: accepted (SW_EXITINFO1 0)", rc, 0);
	ghcb_clear();
	rc = ghcb_nae(SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_GET, 0);
	expect(rc == 0 && ghcb_has(OFF(sw_exit_info_2)) && ghcb_last_info2() == JUMP_TABLE_PA,
	       "GHCB AP Jump Table get: SW_EXITINFO2 = the address set", ghcb_last_info2(),
	       JUMP_TABLE_PA);
	ghcb_clear();
	rc = ghcb_nae(SVM_VMGEXIT_AP_JUMP_TABLE, 2, 0x1000);
	expect(answer(rc) ==
		       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_INVALID_INPUT),
	       "GHCB AP Jump Table request 2: invalid input", answer(rc),
	       (uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_INVALID_INPUT);
	ghcb_clear();
	(void)ghcb_nae(SVM_VMGEXIT_AP_JUMP_TABLE, SVM_VMGEXIT_AP_JUMP_TABLE_GET, 0);
	expect(ghcb_last_info2() == JUMP_TABLE_PA,
	       "GHCB AP Jump Table: a bad request changes nothing", ghcb_last_info2(),
	       JUMP_TABLE_PA);
}

/* DR7 write (37h): RAX in, SW_EXITINFO1 0; DR7 read (27h): RAX out. */
static void check_dr7(void)
{
	uint32_t rc;

	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_READ_DR7, 0, 0);
	expect(rc == 0 && ghcb_has(OFF(rax)) && ghcb_get(OFF(rax)) == DR7_RESET,
	       "GHCB DR7 read: RAX = the reset value 400h", ghcb_get(OFF(rax)), DR7_RESET);
	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_WRITE_DR7, 0, 0);
	expect(answer(rc) ==
		       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT),
	       "GHCB DR7 write without RAX: missing input", answer(rc),
	       (uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT);
	ghcb_clear();
	ghcb_set(OFF(rax), 0x100000401ull);
	rc = ghcb_nae(SVM_EXIT_WRITE_DR7, 0, 0);
	expect(rc == GHCB_HV_RESP_ISSUE_EXCEPTION && ghcb_last_info2() == INJECT_GP,
	       "GHCB DR7 write of bits 63:32: #GP(0) to inject", answer(rc),
	       (uint64_t)GHCB_HV_RESP_ISSUE_EXCEPTION << 32 | (uint32_t)INJECT_GP);
	ghcb_clear();
	ghcb_set(OFF(rax), 0x401);
	rc = ghcb_nae(SVM_EXIT_WRITE_DR7, 0, 0);
	expect(rc == 0, "GHCB DR7 write 401h: accepted", rc, 0);
	ghcb_clear();
	rc = ghcb_nae(SVM_EXIT_READ_DR7, 0, 0);
	expect(rc == 0 && ghcb_get(OFF(rax)) == 0x401, "GHCB DR7 read: RAX = the value written",
	       ghcb_get(OFF(rax)), 0x401);
	ghcb_clear();
	ghcb_set(OFF(rax), DR7_RESET);
	(void)ghcb_nae(SVM_EXIT_WRITE_DR7, 0, 0);
}

/* MONITOR (8Ah): RAX, RCX, RDX in; MWAIT (8Bh): RAX, RCX in; no outputs. */
static void check_monitor_mwait(void)
{
	uint32_t rc;

	ghcb_clear();
	ghcb_set(OFF(rax), NAE_GHCB_GPA);
	ghcb_set(OFF(rcx), 0);
	ghcb_set(OFF(rdx), 0);
	rc = ghcb_nae(SVM_EXIT_MONITOR, 0, 0);
	expect(rc == 0, "GHCB MONITOR with RAX, RCX, RDX: done", rc, 0);
	ghcb_clear();
	ghcb_set(OFF(rax), NAE_GHCB_GPA);
	ghcb_set(OFF(rcx), 0);
	rc = ghcb_nae(SVM_EXIT_MONITOR, 0, 0);
	expect(answer(rc) ==
		       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT),
	       "GHCB MONITOR without RDX: missing input", answer(rc),
	       (uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT);
	ghcb_clear();
	ghcb_set(OFF(rax), 0);
	ghcb_set(OFF(rcx), 0);
	rc = ghcb_nae(SVM_EXIT_MWAIT, 0, 0);
	expect(rc == 0, "GHCB MWAIT with RAX, RCX: done", rc, 0);
	ghcb_clear();
	ghcb_set(OFF(rax), 0);
	rc = ghcb_nae(SVM_EXIT_MWAIT, 0, 0);
	expect(answer(rc) ==
		       ((uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT),
	       "GHCB MWAIT without RCX: missing input", answer(rc),
	       (uint64_t)GHCB_HV_RESP_MALFORMED_INPUT << 32 | GHCB_ERR_MISSING_INPUT);
}

/* ---- AP Reset Hold on vCPU 1 (smp2) ---- */

static volatile uint32_t hold_entered;
static volatile uint32_t hold_done;
static volatile uint32_t hold_page_mode;
static volatile uint64_t hold_answer;

/*
 * vCPU 1's AP Reset Hold through its own GHCB page (NAE 8000_0004h, no
 * inputs): SW_EXITINFO2 when the hold ends, or all ones if the answer is
 * malformed. The guest's GHCB library belongs to vCPU 0: built by hand.
 */
static uint64_t hold_through_page(void)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	struct ghcb *g = (struct ghcb *)(uintptr_t)HOLD_GHCB;

	if (!ghcb_msr_register(HOLD_GHCB)) {
		return ~0ull;
	}
	for (size_t i = 0; i < sizeof(*g); i++) {
		((volatile uint8_t *)g)[i] = 0;
	}
	g->protocol_version = 2;
	g->ghcb_usage = GHCB_USAGE_STANDARD;
	g->save.sw_exit_code = SVM_VMGEXIT_AP_RESET_HOLD;
	ghcb_mark_valid(g, OFF(sw_exit_code));
	ghcb_mark_valid(g, OFF(sw_exit_info_1));
	ghcb_mark_valid(g, OFF(sw_exit_info_2));
	wrmsr(MSR_SEV_ES_GHCB, HOLD_GHCB);
	__asm__ volatile("rep; vmmcall" : : : "memory"); /* VMGEXIT */
	if (g->save.sw_exit_info_1 != 0 || !ghcb_is_valid(g, OFF(sw_exit_info_2))) {
		return ~0ull;
	}
	return g->save.sw_exit_info_2;
}

/*
 * vCPU 1 (started by AP Creation): AP Reset Hold through the MSR protocol
 * or its GHCB page, then records the answer and halts (IF = 0).
 */
__attribute__((used)) static void hold_ap_main(void)
{
	hold_entered = 1;
	hold_answer =
		hold_page_mode ? hold_through_page() : ghcb_msr_call(GHCB_MSR_AP_RESET_HOLD_REQ);
	hold_done = 1;
}

__asm__(".text\n"
	"nae_hold_ap_entry:\n\t"
	"call hold_ap_main\n"
	"1:\thlt\n\t"
	"jmp 1b\n");
void nae_hold_ap_entry(void);

static void build_hold_vmsa(struct sev_vmsa *v)
{
	vmsa_flat32(v, (uint32_t)(uintptr_t)nae_hold_ap_entry, HOLD_STACK, 0);
}

static uint32_t pvalidate4k(uint32_t va)
{
	bool cf;

	return snp_pvalidate(va, RMP_PG_SIZE_4K, PVALIDATE_VALIDATE, &cf);
}

/* Target VMPL1, no permissions, VMSA bit (15.36.12; rmp-instr.h). */
static uint32_t rmpadjust_vmsa(uint32_t va)
{
	return snp_rmpadjust(va, RMP_PG_SIZE_4K, rmpadjust_attrs(1, 0, 1));
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v;
}

static void spin(uint32_t loops, volatile uint32_t *until)
{
	for (uint32_t i = 0; i < loops && !(until && *until); i++) {
		__asm__ volatile("pause");
	}
}

/* Start vCPU 1 at VMPL0 from a fresh VMSA (AP Creation "create"). */
static uint32_t start_hold_ap(bool page_mode)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	struct sev_vmsa *v = (struct sev_vmsa *)(uintptr_t)HOLD_VMSA;
	uint32_t rc = 0;

	hold_entered = 0;
	hold_done = 0;
	hold_answer = 0;
	hold_page_mode = page_mode;
	build_hold_vmsa(v);
	rc |= rmpadjust_vmsa(HOLD_VMSA);
	ghcb_clear();
	ghcb_set(OFF(rax), SEV_FEAT_SNP_ACTIVE);
	rc |= ghcb_nae(SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(SVM_VMGEXIT_AP_CREATE, 0, 1),
		       HOLD_VMSA);
	spin(WAIT_LOOPS, &hold_entered);
	spin(WAIT_LOOPS / 100, &hold_done);
	return rc;
}

static void send_ipi(uint32_t icr)
{
	lapic_write(LAPIC_ICR_HI, 1u << 24);
	lapic_write(LAPIC_ICR_LO, icr);
}

static void stop_hold_ap(void)
{
	ghcb_clear();
	(void)ghcb_nae(SVM_VMGEXIT_AP_CREATION,
		       ghcb_ap_creation_info1(SVM_VMGEXIT_AP_DESTROY, 0, 1), 0);
}

/*
 * AP Reset Hold through the GHCB page (NAE 8000_0004h, Table 7): held until
 * INIT-SIPI, then SW_EXITINFO1 0 and SW_EXITINFO2 non-zero.
 */
static void check_ap_reset_hold_page(void)
{
	uint32_t rc = start_hold_ap(true);

	expect(rc == 0 && hold_entered && !hold_done,
	       "AP Reset Hold (GHCB): vCPU 1 is held after its request",
	       rc | (uint64_t)hold_done << 32, 0);
	send_ipi(ICR_INIT);
	spin(WAIT_LOOPS / 100, &hold_done);
	send_ipi(ICR_SIPI);
	spin(WAIT_LOOPS, &hold_done);
	expect(hold_done && hold_answer != 0 && hold_answer != ~0ull,
	       "AP Reset Hold (GHCB): INIT-SIPI releases vCPU 1, SW_EXITINFO2 non-zero",
	       hold_answer, 1);
	stop_hold_ap();
}

/*
 * GHCB MSR protocol AP Reset Hold (2.3.1 Table 2, 006h): the hypervisor
 * holds the AP until INIT-SIPI, then answers 007h with GHCBData[63:12]
 * non-zero (0 would mean a wake-up without SIPI). Then the GHCB form.
 */
static void check_ap_reset_hold(const struct snp_guest_env *env)
{
	uint32_t rc;

	if (!cmdline_has(env->cmdline, "smp2")) {
		return;
	}
	rc = pvalidate4k(HOLD_VMSA) | pvalidate4k(HOLD_STACK - 0x1000u);
	rc |= start_hold_ap(false);
	expect(rc == 0 && hold_entered && !hold_done,
	       "AP Reset Hold: vCPU 1 is held after its request", rc | (uint64_t)hold_done << 32,
	       0);
	send_ipi(ICR_INIT);
	spin(WAIT_LOOPS / 100, &hold_done);
	expect(!hold_done, "AP Reset Hold: INIT alone does not release vCPU 1", hold_done, 0);
	send_ipi(ICR_SIPI);
	spin(WAIT_LOOPS, &hold_done);
	expect(hold_done && ghcb_msr_info(hold_answer) == GHCB_MSR_AP_RESET_HOLD_RESP &&
		       ghcb_msr_ap_reset_hold_result(hold_answer) != 0,
	       "AP Reset Hold: INIT-SIPI releases vCPU 1 with a non-zero result (007h)",
	       hold_answer, ghcb_msr_ap_reset_hold_resp(1));
	/* vCPU 1 halts; stop it; leave it stopped for 50-vmpl.c after the GHCB form. */
	stop_hold_ap();
	check_ap_reset_hold_page();
}

static void check_ghcb_nae(const struct snp_guest_env *env)
{
	if (!have_ghcb()) {
		expect(false, "GHCB NAE events: a GHCB is registered", 0, 1);
		return;
	}
	check_ap_jump_table();
	check_dr7();
	check_monitor_mwait();
	check_ap_reset_hold(env);
}

SNP_GUEST_TEST(check_ghcb_nae, SNP_GUEST_MODE_SNP);
