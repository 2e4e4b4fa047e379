/* SPDX-License-Identifier: MIT */
/*
 * VMPL contexts: VMPL0 builds a VMSA page for VMPL1 (APM vol. 2 Table B-4),
 * marks it with RMPADJUST (15.36.12), registers it with the GHCB "SNP AP
 * Creation" event and switches to it with the GHCB MSR protocol "SNP Run
 * VMPL" request (GHCB spec 56421, 016h/017h). VMPL1 checks what runs
 * differently there (PVALIDATE, RMPADJUST, SEV_STATUS, its own GHCB MSR)
 * and comes back; then hostile Run VMPL and AP Creation requests are refused.
 * Paging is off: guest-virtual = guest-physical.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/rmp-instr.h"
#include "sev/sev-status.h"
#include "sev/vmsa.h"
#include "x86/cr.h"
#include "x86/desc.h"
#include "x86/msr.h"

#include "ghcb.h"
#include "guest.h"
#include "lib.h"
#include "vmsa-flat32.h"
#include "rmp-instr-guest.h"

/* Free guest RAM for this file (20-rmp-instr.c uses 8-12 MiB). */
#define VMSA_PAGE     0x00d00000u /* VMPL1's VMSA */
#define VMPL1_STACK   0x00d02000u /* top of the page at 0xd01000 */
#define TARGET_PAGE   0x00d03000u /* PVALIDATE / RMPADJUST operand */
#define NOT_VMSA_PAGE 0x00d04000u /* a validated page without the VMSA bit */
/* The guest image (kernel at 1 MiB, stacks in its .bss) fits below this. */
#define IMAGE_START   0x00100000u
#define IMAGE_END     0x00140000u
#define PG	      0x1000u

#define GHCB_OWN_GPA  0x00d05000u /* our GHCB if 40-ghcb.c set none up */
#define AP_VMSA_PAGE  0x00d06000u /* VMPL0 VMSA of the second vCPU ("smp2") */
#define AP_STACK      0x00d08000u /* top of the page at 0xd07000 */
#define AP_WAIT_LOOPS 100000000u
#define OFF(f)	      offsetof(struct ghcb_save_area, f)

extern char _start[];

/* What VMPL1 saw; VMPL0 reports it (only VMPL0 prints). */
static volatile uint32_t vmpl1_entries;
static volatile uint32_t vmpl1_pvalidate_rc;
static volatile uint32_t vmpl1_adjust_self_rc;
static volatile uint32_t vmpl1_adjust_up_rc;
static volatile uint32_t vmpl1_adjust_down_rc;
static volatile uint64_t vmpl1_sev_status;
static volatile uint64_t vmpl1_ghcb_first;
static volatile uint64_t vmpl1_run_resp;
static uint8_t image_end_marker;

static uint32_t pvalidate(uint32_t va, uint32_t validate, bool *cf)
{
	return snp_pvalidate(va, RMP_PG_SIZE_4K, validate, cf);
}

static uint32_t rmpadjust(uint32_t va, uint64_t attrs)
{
	return snp_rmpadjust(va, RMP_PG_SIZE_4K, attrs);
}

/* GHCB MSR protocol Run VMPL: returns the GHCB MSR when this VMPL runs again. */
static uint64_t run_vmpl_msr(uint8_t vmpl)
{
	return ghcb_msr_call(ghcb_msr_vmpl_req(vmpl));
}

/* A GHCB page for the NAE calls: 40-ghcb.c's, or our own. */
static bool have_ghcb(void)
{
	/* Paging is off: the physical address is the pointer. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return ghcb_page() || ghcb_init((void *)(uintptr_t)GHCB_OWN_GPA, GHCB_OWN_GPA);
}

/* GHCB "SNP Run VMPL" NAE (8000_0018h); 0 when SW_EXITINFO1 is 0. */
static uint32_t run_vmpl_nae(uint8_t vmpl)
{
	if (!have_ghcb()) {
		return 0xffffffffu;
	}
	ghcb_clear();
	return ghcb_nae(SVM_VMGEXIT_SNP_RUN_VMPL, vmpl, 0);
}

/* GHCB "SNP AP Creation" (NAE 8000_0013h); 0 when SW_EXITINFO1 is 0. */
static uint32_t ap_create(uint32_t request, uint8_t vmpl, uint32_t apic_id, uint64_t vmsa,
			  uint64_t features)
{
	if (!have_ghcb()) {
		return 0xffffffffu;
	}
	ghcb_clear();
	ghcb_set(OFF(rax), features);
	return ghcb_nae(SVM_VMGEXIT_AP_CREATION, ghcb_ap_creation_info1(request, vmpl, apic_id),
			vmsa);
}

/* VMPL1's code: record, then hand the vCPU back to VMPL0. */
__attribute__((used)) static void vmpl1_main(void)
{
	bool cf;

	for (;;) {
		vmpl1_entries++;
		if (vmpl1_entries == 1) {
			/* Its own GHCB MSR: untouched since the vCPU started. */
			vmpl1_ghcb_first = rdmsr(MSR_SEV_ES_GHCB);
			vmpl1_sev_status = rdmsr(MSR_SEV_STATUS);
			vmpl1_pvalidate_rc = pvalidate(TARGET_PAGE, PVALIDATE_VALIDATE, &cf);
			vmpl1_adjust_self_rc =
				rmpadjust(TARGET_PAGE, rmpadjust_attrs(1, RMP_PERM_ALL, 0));
			vmpl1_adjust_up_rc = rmpadjust(
				TARGET_PAGE, rmpadjust_attrs(2, RMP_PERM_READ | RMP_PERM_WRITE, 0));
			vmpl1_adjust_down_rc =
				rmpadjust(TARGET_PAGE, rmpadjust_attrs(2, RMP_PERM_READ, 0));
		}
		vmpl1_run_resp = run_vmpl_msr(0);
	}
}

/* Local APIC interrupt command register (APM vol. 2 16.5, Figure 16-18). */
#define LAPIC_BASE   0xfee00000u
#define LAPIC_ICR_LO 0x300u
#define LAPIC_ICR_HI 0x310u
#define ICR_INIT     0x4500u /* INIT, level assert */
#define ICR_SIPI     0x4600u /* StartUp, level assert, vector 0 */

static void lapic_write(uint32_t reg, uint32_t v)
{
	/* Paging is off: the physical address is the pointer. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v;
}

/* The second vCPU, started by AP Creation, says so and halts (IF = 0). */
__attribute__((used)) static volatile uint32_t ap_ran;
__asm__(".text\n"
	"vmpl_ap_entry:\n\t"
	"movl $1, ap_ran\n"
	"1:\thlt\n\t"
	"jmp 1b\n");
void vmpl_ap_entry(void);

/* A second vCPU that keeps running (no HLT): it counts, interrupts off. */
__attribute__((used)) static volatile uint32_t ap_spins;
__asm__(".text\n"
	"vmpl_ap_spin:\n\t"
	"cli\n\t"
	"movl $1, ap_ran\n"
	"vmpl_ap_spin_loop:\n\t"
	"incl ap_spins\n\t"
	"jmp vmpl_ap_spin_loop\n"
	"vmpl_ap_spin_end:\n");
void vmpl_ap_spin(void);
void vmpl_ap_spin_loop(void);
void vmpl_ap_spin_end(void);

/* VMPL1 starts here with the stack its VMSA gives it. */
__asm__(".text\n"
	"vmpl1_entry:\n\t"
	"call vmpl1_main\n"
	"1:\thlt\n\t"
	"jmp 1b\n");
void vmpl1_entry(void);

/* VMPL1's VMSA page (paging off: the physical address is the pointer). */
static struct sev_vmsa *vmsa_va(void)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (struct sev_vmsa *)(uintptr_t)VMSA_PAGE;
}

static void build_vmsa(struct sev_vmsa *v)
{
	vmsa_flat32(v, (uint32_t)(uintptr_t)vmpl1_entry, VMPL1_STACK, 1);
}

/* VMPL0 validates a page and grants VMPL1 everything on it. */
static bool give_vmpl1(uint32_t page)
{
	bool cf;
	uint32_t rc = pvalidate(page, PVALIDATE_VALIDATE, &cf);

	if (rc != RMP_INSTR_SUCCESS) {
		return false;
	}
	return rmpadjust(page, rmpadjust_attrs(1, RMP_PERM_ALL, 0)) == RMP_INSTR_SUCCESS;
}

static bool vmpl1_ready;

static void check_vmpl_setup(const struct snp_guest_env *env)
{
	struct sev_vmsa *v = vmsa_va();
	bool ok = true, cf;
	uint32_t rc;

	(void)env;
	expect((uintptr_t)&image_end_marker < IMAGE_END, "VMPL: guest image below IMAGE_END",
	       (uintptr_t)&image_end_marker, IMAGE_END);
	for (uint32_t p = IMAGE_START; p < IMAGE_END; p += PG) {
		ok = ok && give_vmpl1(p);
	}
	ok = ok && give_vmpl1(VMPL1_STACK - PG);
	/* TARGET_PAGE: VMPL1 may only read it. */
	ok = ok && pvalidate(TARGET_PAGE, PVALIDATE_VALIDATE, &cf) == RMP_INSTR_SUCCESS &&
	     rmpadjust(TARGET_PAGE, rmpadjust_attrs(1, RMP_PERM_READ, 0)) == RMP_INSTR_SUCCESS;
	expect(ok, "VMPL: VMPL0 grants VMPL1 its code, data and stack (RMPADJUST)", ok, 1);

	rc = pvalidate(VMSA_PAGE, PVALIDATE_VALIDATE, &cf);
	build_vmsa(v);
	/* 15.36.12: VMPL0 sets the VMSA bit with RMPADJUST (target VMPL1). */
	rc |= rmpadjust(VMSA_PAGE, rmpadjust_attrs(1, 0, 1));
	expect(rc == RMP_INSTR_SUCCESS, "VMPL: VMSA page validated and marked VMSA", rc,
	       RMP_INSTR_SUCCESS);
	(void)pvalidate(NOT_VMSA_PAGE, PVALIDATE_VALIDATE, &cf);

	/* GHCB "SNP AP Creation", create on INIT for this vCPU: registers VMPL1. */
	rc = ap_create(SVM_VMGEXIT_AP_CREATE_ON_INIT, 1, 0, VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc == 0, "VMPL: AP Creation registers VMPL1's VMSA (SW_EXITINFO1 0)", rc, 0);
	vmpl1_ready = ok && rc == 0;
}

static void check_run_vmpl(const struct snp_guest_env *env)
{
	struct sev_vmsa *v = vmsa_va();
	uint64_t resp;
	uint32_t rc;

	(void)env;
	if (!vmpl1_ready) {
		expect(false, "VMPL: Run VMPL1 (setup failed)", 0, 1);
		return;
	}
	/* GHCB 016h/017h: when VMPL0 runs again it finds 017h, error 0. */
	resp = run_vmpl_msr(1);
	expect(resp == ghcb_msr_vmpl_resp(0), "VMPL: Run VMPL1 and back: GHCB MSR 017h, error 0",
	       resp, ghcb_msr_vmpl_resp(0));
	expect(vmpl1_entries == 1, "VMPL: VMPL1 ran once", vmpl1_entries, 1);
	/* 15.35.7: one GHCB MSR per VMSA: VMPL1 never saw VMPL0's Run VMPL value. */
	expect(ghcb_msr_info(vmpl1_ghcb_first) != GHCB_MSR_VMPL_REQ &&
		       ghcb_msr_info(vmpl1_ghcb_first) != GHCB_MSR_VMPL_RESP,
	       "VMPL: VMPL1 has its own GHCB MSR", vmpl1_ghcb_first, 0);
	/* 15.34.10: SEV_STATUS from VMPL1's SEV_FEATURES (SNPActive only). */
	expect(vmpl1_sev_status == (SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP),
	       "VMPL: SEV_STATUS at VMPL1 from its VMSA", vmpl1_sev_status,
	       SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP);
	/* docs/snp-emulation.md interpretation 1: PVALIDATE is VMPL0-only. */
	expect(vmpl1_pvalidate_rc == RMP_INSTR_FAIL_PERMISSION,
	       "VMPL: PVALIDATE at VMPL1: FAIL_PERMISSION", vmpl1_pvalidate_rc,
	       RMP_INSTR_FAIL_PERMISSION);
	/* APM vol. 3 RMPADJUST: target VMPL <= current VMPL fails ... */
	expect(vmpl1_adjust_self_rc == RMP_INSTR_FAIL_PERMISSION,
	       "VMPL: RMPADJUST of its own VMPL1 permissions: FAIL_PERMISSION",
	       vmpl1_adjust_self_rc, RMP_INSTR_FAIL_PERMISSION);
	/* ... and cannot grant more than VMPL1 holds (read only, 15.36.7). */
	expect(vmpl1_adjust_up_rc == RMP_INSTR_FAIL_PERMISSION,
	       "VMPL: RMPADJUST VMPL2 R+W from a read-only VMPL1: FAIL_PERMISSION",
	       vmpl1_adjust_up_rc, RMP_INSTR_FAIL_PERMISSION);
	expect(vmpl1_adjust_down_rc == RMP_INSTR_SUCCESS, "VMPL: RMPADJUST VMPL2 R from VMPL1",
	       vmpl1_adjust_down_rc, RMP_INSTR_SUCCESS);
	/* The switch saved VMPL1 into its VMSA: inside its code, on its stack. */
	expect(v->vmpl == 1 && v->rip != (uint32_t)(uintptr_t)vmpl1_entry && v->rsp < VMPL1_STACK &&
		       v->rsp >= VMPL1_STACK - PG,
	       "VMPL: VMPL1's state saved in its VMSA page", v->rsp, VMPL1_STACK);

	/* A second run resumes VMPL1 where it stopped (its loop), not at entry. */
	resp = run_vmpl_msr(1);
	expect(resp == ghcb_msr_vmpl_resp(0) && vmpl1_entries == 2,
	       "VMPL: VMPL1 resumes from its saved VMSA", vmpl1_entries, 2);
	expect(vmpl1_run_resp == ghcb_msr_vmpl_resp(0),
	       "VMPL: VMPL1's own Run VMPL0 answered 017h, error 0", vmpl1_run_resp,
	       ghcb_msr_vmpl_resp(0));
	/* The NAE form (8000_0018h, SW_EXITINFO1 = VMPL): answered in the GHCB page. */
	rc = run_vmpl_nae(1);
	expect(rc == 0 && vmpl1_entries == 3, "VMPL: Run VMPL1 through the GHCB page and back",
	       rc | (uint64_t)vmpl1_entries << 32, 3ull << 32);
}

static void check_run_vmpl_refused(const struct snp_guest_env *env)
{
	struct sev_vmsa *v = vmsa_va();
	uint64_t resp;
	uint32_t before = vmpl1_entries;

	(void)env;
	/* GHCB 017h: non-zero error, and VMPL0 keeps running. */
	resp = run_vmpl_msr(2);
	expect(ghcb_msr_is(resp, GHCB_MSR_VMPL_RESP) && ghcb_msr_vmpl_resp_error(resp) != 0,
	       "VMPL: Run VMPL2 (no context) refused", resp, GHCB_MSR_VMPL_RESP);
	resp = run_vmpl_msr(4);
	expect(ghcb_msr_is(resp, GHCB_MSR_VMPL_RESP) && ghcb_msr_vmpl_resp_error(resp) != 0,
	       "VMPL: Run VMPL4 refused", resp, GHCB_MSR_VMPL_RESP);
	if (!vmpl1_ready) {
		return;
	}
	/* 15.5.1: a VMSA with EFER.SVME clear does not run. */
	v->efer &= ~(uint64_t)EFER_SVME;
	resp = run_vmpl_msr(1);
	v->efer |= EFER_SVME;
	expect(ghcb_msr_vmpl_resp_error(resp) != 0 && vmpl1_entries == before,
	       "VMPL: Run VMPL1 with EFER.SVME clear refused", resp, GHCB_MSR_VMPL_RESP);
}

/* GHCB "SNP AP Creation" requests the hypervisor must refuse. */
static void check_ap_create_refused(const struct snp_guest_env *env)
{
	uint32_t rc;

	(void)env;
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 1, 0, NOT_VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation with a page that is not a VMSA: refused", rc, 2);
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 1, 0, VMSA_PAGE + 8, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation with an unaligned VMSA: refused", rc, 2);
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 0, 0, VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation replacing the caller's own VMPL0: refused", rc, 2);
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 4, 0, VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation for VMPL4: refused", rc, 2);
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 1, 0xfff, VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation for a missing APIC ID: refused", rc, 2);
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 1, 0, VMSA_PAGE, 0);
	expect(rc != 0, "AP Creation without SNPActive in RAX: refused", rc, 2);
	rc = ap_create(7, 1, 0, VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	expect(rc != 0, "AP Creation with an unknown request: refused", rc, 2);
	if (!vmpl1_ready) {
		return;
	}
	/* Destroy removes VMPL1's context: Run VMPL1 is refused afterwards. */
	rc = ap_create(SVM_VMGEXIT_AP_DESTROY, 1, 0, 0, 0);
	expect(rc == 0, "AP Destroy of VMPL1: done", rc, 0);
	expect(ghcb_msr_vmpl_resp_error(run_vmpl_msr(1)) != 0,
	       "VMPL: Run VMPL1 after AP Destroy refused", 0, 1);
}

/*
 * With a second vCPU ("smp2" on the command line): AP Creation "create" at
 * VMPL0 for APIC ID 1 starts it from a VMSA this vCPU built (GHCB spec
 * "SNP AP Creation"), then "destroy" stops it.
 */
static void check_ap_create_other(const struct snp_guest_env *env)
{
	struct sev_vmsa *v = vmsa_va() + (AP_VMSA_PAGE - VMSA_PAGE) / sizeof(*v);
	uint32_t rc, i;
	bool cf;

	if (!cmdline_has(env->cmdline, "smp2")) {
		return;
	}
	rc = pvalidate(AP_VMSA_PAGE, PVALIDATE_VALIDATE, &cf);
	(void)pvalidate(AP_STACK - PG, PVALIDATE_VALIDATE, &cf);
	build_vmsa(v);
	v->vmpl = 0;
	v->rip = (uint32_t)(uintptr_t)vmpl_ap_entry;
	v->rsp = AP_STACK;
	rc |= rmpadjust(AP_VMSA_PAGE, rmpadjust_attrs(1, 0, 1));
	rc |= ap_create(SVM_VMGEXIT_AP_CREATE, 0, 1, AP_VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	for (i = 0; i < AP_WAIT_LOOPS && !ap_ran; i++) {
		__asm__ volatile("pause");
	}
	expect(rc == 0 && ap_ran == 1, "AP Creation starts vCPU 1 at VMPL0 from its VMSA",
	       rc | (uint64_t)ap_ran << 32, 1ull << 32);
	rc = ap_create(SVM_VMGEXIT_AP_DESTROY, 0, 1, 0, 0);
	expect(rc == 0, "AP Destroy of vCPU 1's VMPL0: done", rc, 0);

	/*
	 * "Create on INIT": registered now, run after the next INIT (and the
	 * SIPI that releases it, whose vector does not matter) -- sent here
	 * through the local APIC's ICR (APM vol. 2 16.5, 16.6).
	 */
	ap_ran = 0;
	/*
	 * The destroyed context was saved into its VMSA when it left (APM vol. 2
	 * 15.35: a #VMEXIT saves the guest state, here at its HLT loop): start
	 * again from a fresh VMSA.
	 */
	build_vmsa(v);
	v->vmpl = 0;
	v->rip = (uint32_t)(uintptr_t)vmpl_ap_entry;
	v->rsp = AP_STACK;
	rc = ap_create(SVM_VMGEXIT_AP_CREATE_ON_INIT, 0, 1, AP_VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	for (i = 0; i < AP_WAIT_LOOPS / 100; i++) {
		__asm__ volatile("pause");
	}
	expect(rc == 0 && ap_ran == 0, "AP Creation on INIT: vCPU 1 waits for INIT",
	       rc | (uint64_t)ap_ran << 32, 0);
	lapic_write(LAPIC_ICR_HI, 1u << 24);
	lapic_write(LAPIC_ICR_LO, ICR_INIT);
	for (i = 0; i < AP_WAIT_LOOPS / 100; i++) {
		__asm__ volatile("pause");
	}
	lapic_write(LAPIC_ICR_HI, 1u << 24);
	lapic_write(LAPIC_ICR_LO, ICR_SIPI);
	for (i = 0; i < AP_WAIT_LOOPS && !ap_ran; i++) {
		__asm__ volatile("pause");
	}
	expect(ap_ran == 1, "AP Creation on INIT: INIT-SIPI starts vCPU 1 from its VMSA", ap_ran,
	       1);
	(void)ap_create(SVM_VMGEXIT_AP_DESTROY, 0, 1, 0, 0);

	/*
	 * AP Destroy of a vCPU that is running (not halted): the hypervisor
	 * takes it out of the guest at once (KVM kicks it), and its #VMEXIT
	 * saves its state into the VMSA (APM vol. 2 15.35). A guest reuses
	 * the page right after the VMGEXIT (OVMF rewrites it for its next AP
	 * Create), so the save must have happened by then: the RIP in the page
	 * is in the loop, and the counter no longer moves.
	 */
	ap_ran = 0;
	build_vmsa(v);
	v->vmpl = 0;
	v->rip = (uint32_t)(uintptr_t)vmpl_ap_spin;
	v->rsp = AP_STACK;
	rc = ap_create(SVM_VMGEXIT_AP_CREATE, 0, 1, AP_VMSA_PAGE, SEV_FEAT_SNP_ACTIVE);
	for (i = 0; i < AP_WAIT_LOOPS && !ap_ran; i++) {
		__asm__ volatile("pause");
	}
	rc |= ap_create(SVM_VMGEXIT_AP_DESTROY, 0, 1, 0, 0);
	uint64_t saved_rip = v->rip;
	uint32_t spins = ap_spins;

	for (i = 0; i < AP_WAIT_LOOPS / 100; i++) {
		__asm__ volatile("pause");
	}
	expect(rc == 0 && ap_ran == 1 && saved_rip >= (uintptr_t)vmpl_ap_spin_loop &&
		       saved_rip < (uintptr_t)vmpl_ap_spin_end,
	       "AP Destroy of running vCPU 1: its state is in its VMSA when the VMGEXIT returns "
	       "(saved RIP in its loop)",
	       saved_rip, (uintptr_t)vmpl_ap_spin_loop);
	expect(ap_spins == spins, "AP Destroy of running vCPU 1: it no longer runs", ap_spins,
	       spins);
}

/*
 * "lie=run-vmpl" (QEMU runs sev-snp-guest,lie-run-vmpl=on): the hypervisor
 * refuses Run VMPL for a VMSA it accepted. VMPL0 must see the refusal --
 * 017h with a non-zero error (GHCB spec 56421 2.3.1, "SNP Run VMPL"), and
 * SW_EXITINFO1 2 for the NAE 8000_0018h (4.1) -- and not take it for a
 * switch: VMPL1 did not run and its VMSA is as VMPL0 built it.
 */
static void check_run_vmpl_lie(void)
{
	const struct sev_vmsa *v = vmsa_va();
	uint64_t resp = run_vmpl_msr(1);
	uint32_t rc = run_vmpl_nae(1);

	expect(vmpl1_ready, "VMPL: the hypervisor accepted VMPL1's VMSA (AP Creation)", vmpl1_ready,
	       1);
	expect(ghcb_msr_is(resp, GHCB_MSR_VMPL_RESP) && ghcb_msr_vmpl_resp_error(resp) != 0 &&
		       rc == 2 && vmpl1_entries == 0 && v->rip == (uint32_t)(uintptr_t)vmpl1_entry,
	       "lying hypervisor caught: Run VMPL1 refused (MSR 017h error, NAE SW_EXITINFO1 2), "
	       "VMPL1 did not run",
	       resp, ghcb_msr_vmpl_resp(1));
}

/* One registration: the steps depend on each other and run in this order. */
static void check_vmpl(const struct snp_guest_env *env)
{
	check_vmpl_setup(env);
	if (cmdline_has(env->cmdline, "lie=run-vmpl")) {
		check_run_vmpl_lie();
		return;
	}
	check_run_vmpl(env);
	check_run_vmpl_refused(env);
	check_ap_create_refused(env);
	check_ap_create_other(env);
}

SNP_GUEST_TEST(check_vmpl, SNP_GUEST_MODE_SNP);
