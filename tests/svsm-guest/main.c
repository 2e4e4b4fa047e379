// SPDX-License-Identifier: MIT
/*
 * VMPL2 test guest main line: GHCB, then every core call with valid arguments, the hostile
 * table, the APs with calls from four vCPUs at once, the PVALIDATE-1-GiB figures, and a
 * short account; the exit status goes to isa-debug-exit (33 all passed, 35 failures).
 */
#include <sev/sev-status.h>
#include <svsm/protocol.h>
#include "guest.h"
#include "layout.h"

struct boot_regs boot_regs;
uint64_t sev_features;

/* 1 GiB at GUEST_BENCH_BASE with 2 MiB pages: PSC then PVALIDATE through the SVSM, counting
 * this guest's SVSM calls and its own VMGEXITs (each call is one; the SVSM's return to the
 * guest is the other exit of a call, not seen from here). */
static void bench_pvalidate_1g(void)
{
	struct call_stats before = call_stats[0];
	int rc = psc(GUEST_BENCH_BASE, 512ull * 512, 1 /* SNP_PSC_OP_PRIVATE */, true);
	struct call_stats mid = call_stats[0];
	/* The list sits in the calling area's buffer (after its 8-byte header): 510 entries. */
	enum { LIST_MAX = (4096 - 8 - 8) / 8 };
	uint64_t ent[LIST_MAX];
	uint64_t left = 512, gpa = GUEST_BENCH_BASE;
	while (!rc && left) {
		uint16_t n = 0, next = 0;
		for (; n < LIST_MAX && left; n++, left--, gpa += 0x200000)
			ent[n] = svsm_pvalidate_entry(gpa >> 12, SVSM_PVALIDATE_SIZE_2M, 1, 1);
		if (svsm_pvalidate_list(ent, n, &next) != SVSM_SUCCESS || next != n)
			rc = -1;
	}
	struct call_stats after = call_stats[0];
	tap(rc == 0, "PVALIDATE 1 GiB with 2 MiB pages through the SVSM");
	printf_g("# bench: PVALIDATE 1 GiB (2 MiB pages): %llu SVSM calls, %llu guest exits for "
		 "them, + %llu GHCB exits for the page state change\n",
		 (unsigned long long)(after.calls - mid.calls),
		 (unsigned long long)(after.msr_exits - mid.msr_exits),
		 (unsigned long long)(mid.ghcb_exits - before.ghcb_exits));
}

/* Exits per SVSM call: 100 QUERY_PROTOCOL calls, this guest's VMGEXITs counted. */
static void bench_exits_per_call(void)
{
	struct call_stats before = call_stats[0];
	unsigned int bad = 0;
	for (unsigned int i = 0; i < 100; i++) {
		struct svsm_regs r = {.rax = svsm_rax(SVSM_PROTOCOL_CORE, SVSM_CORE_QUERY_PROTOCOL),
				      .rcx = svsm_query_protocol_arg(SVSM_PROTOCOL_CORE, 1)};
		bad += svsm_call(&r) != SVSM_SUCCESS;
	}
	uint64_t calls = call_stats[0].calls - before.calls;
	uint64_t exits = call_stats[0].msr_exits + call_stats[0].ghcb_exits - before.msr_exits -
			 before.ghcb_exits;
	tap(bad == 0 && calls == 100, "100 QUERY_PROTOCOL calls in a row");
	printf_g("# bench: %llu SVSM calls, %llu guest exits (Run VMPL 0); with the SVSM's Run "
		 "VMPL 2 back, %llu hypervisor exits per call\n",
		 (unsigned long long)calls, (unsigned long long)exits,
		 calls ? (unsigned long long)((exits + calls) / calls) : 0ull);
}

void guest_main(void);
void guest_main(void)
{
	cpus[0].ca = boot_regs.ca;
	idt_init();
	idt_load();
	sev_features = sev_status_to_features(rdmsr(MSR_SEV_STATUS));
	/* No GHCB, no console: the termination reason code says which step failed (GHCB
	 * spec termination request, our reason set 1): 0x23 + 4 * step + lost-call reason. */
	int rc = ghcb_setup(0);
	if (rc)
		guest_terminate(3 + 4u * (unsigned int)(-rc) + call_lost_reason);
	printf_g("# svsm-guest at VMPL2: SVSM %#x+%#x, calling area %#x, C-bit %u, "
		 "SEV features %#llx\n",
		 boot_regs.svsm_base, boot_regs.svsm_size, boot_regs.ca, boot_regs.cbit,
		 (unsigned long long)sev_features);
	tap(true, "GHCB registered and console through #VC/GHCB IOIO");
	params_init();
	printf_g("# given: %u vCPUs (fw_cfg %u), RAM from 0 to %#llx, words '%s'\n", params.nr_cpus,
		 params.fw_cpus, (unsigned long long)params.ram_top, params.args);
	/* Harness words: "convert" adds the conversion scenarios, "convert-only" runs only
	 * them, "stress=N" N random conversions after them (docs/upm.md "Guest side"). */
	bool only = arg_flag("convert-only"), stress = arg_u64("stress", 0) > 0;
	bool convert = only || stress || arg_flag("convert");
	if (!only) {
		test_calls();
		test_hostile_table();
	}
	vcpus_start();
	if (!only)
		vcpus_rounds();
	if (convert) {
		uint64_t need = GUEST_COMMON_FRAME + 0x200000;
		if (params.ram_top < need) {
			tap(false, "convert: RAM ends at %#llx, the regions need %#llx",
			    (unsigned long long)params.ram_top, (unsigned long long)need);
		} else {
			convert_prepare();
			run_on_all(convert_scenarios);
			if (stress)
				run_on_all(convert_stress);
			convert_report();
		}
	}
	vcpus_stop();
	if (!only) {
		bench_exits_per_call();
		if (params.ram_top >= GUEST_BENCH_BASE + 0x40000000ull)
			bench_pvalidate_1g();
		else
			printf_g("# bench: PVALIDATE 1 GiB not run: RAM ends at %#llx\n",
				 (unsigned long long)params.ram_top);
	}
	uint64_t calls = 0, exits = 0, ghcb = 0;
	for (unsigned int i = 0; i < GUEST_MAX_CPUS; i++) {
		calls += call_stats[i].calls;
		exits += call_stats[i].msr_exits;
		ghcb += call_stats[i].ghcb_exits;
	}
	printf_g("# account: %llu SVSM calls from %u vCPUs (%llu MSR-protocol exits), %llu GHCB "
		 "requests; %u checks passed, %u failed\n",
		 (unsigned long long)calls, params.nr_cpus, (unsigned long long)exits,
		 (unsigned long long)ghcb, tap_passed, tap_failed);
	printf_g("guest: %u passed, %u failed\n", tap_passed, tap_failed);
	guest_terminate(tap_failed ? 1 : 0);
}
