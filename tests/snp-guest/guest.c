/* SPDX-License-Identifier: MIT */
/*
 * snp-guest: a freestanding test guest for the emulated SEV-SNP platform
 * (docs/snp-emulation.md). It executes what the platform emulates and checks
 * the architectural results, printing one "ok - NAME" / "not ok - NAME" line
 * per check on the debug console, then leaves QEMU through isa-debug-exit.
 *
 * Harness (set by tests/suites/55-snp-emu.sh on the QEMU command line, not
 * ABI): isa-debugcon at I/O port 0xe9, isa-debug-exit at 0xf4, and the
 * expected C-bit position and reduced physical bits in the Multiboot command
 * line as "cbitpos=N reduced=N"; "mode=plain" when QEMU runs without
 * sev-snp-guest, "mode=rmp" with sev-snp-guest,x-emu-validate-ram=on.
 *
 * The checks live in the numbered test files (10-platform.c, 20-rmp-instr.c,
 * ...), each registered with SNP_GUEST_TEST() (lib.h); this file runs them in
 * link order.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/multiboot1.h"

#include "igvm-layout.h"
#include "ghcb.h"
#include "lib.h"
#include "vc.h"

/* Bounds of the registry section (guest.ld). */
extern const struct snp_guest_test *const __snp_tests_start[];
extern const struct snp_guest_test *const __snp_tests_end[];

void snp_guest_main(uint32_t magic, const struct mb1_info *info);

/*
 * "only=NAME" on the command line runs just the test registered as NAME
 * (a benchmark or a single-purpose run); without it every test runs.
 */
static bool selected(const char *cmd, const char *name)
{
	static const char key[] = "only=";

	for (const char *p = cmd; p && *p; p++) {
		const char *k = key, *q = p, *n = name;

		if (p != cmd && p[-1] != ' ') {
			continue;
		}
		while (*k && *q == *k) {
			k++;
			q++;
		}
		if (*k) {
			continue;
		}
		while (*n && *q == *n) {
			n++;
			q++;
		}
		return *n == 0 && (*q == 0 || *q == ' ');
	}
	return true;
}

void snp_guest_main(uint32_t magic, const struct mb1_info *info)
{
	struct snp_guest_env env = {0};
	uint32_t mode;
	size_t n;

	install_tables();
	if (magic == MB1_BOOTLOADER_MAGIC && (info->flags & MB1_INFO_CMDLINE)) {
		/* Paging is off: the physical address is the pointer. */
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		env.cmdline = (const char *)(uintptr_t)info->cmdline;
	} else if (magic != MB1_BOOTLOADER_MAGIC) {
		/* Started from snp-guest.igvm: its VMSA sets no Multiboot state. */
		env.igvm = true;
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		env.cmdline = (const char *)(uintptr_t)SNP_GUEST_IGVM_CMDLINE_GPA;
	}
	env.plain = cmdline_has(env.cmdline, "mode=plain");
	env.rmp = cmdline_has(env.cmdline, "mode=rmp");
	env.cbitpos = cmdline_uint(env.cmdline, "cbitpos", 0);
	env.reduced = cmdline_uint(env.cmdline, "reduced", 0);
	mode = env.igvm	   ? SNP_GUEST_MODE_IGVM
	       : env.plain ? SNP_GUEST_MODE_PLAIN
	       : env.rmp   ? SNP_GUEST_MODE_RMP
			   : SNP_GUEST_MODE_SNP;
	/*
	 * Started from snp-guest.igvm, port I/O raises #VC from the first
	 * instruction (the launch turned the SEV-ES semantics on): the #VC
	 * handler and the console through the GHCB come before any output.
	 * Without them there is no console: ask the hypervisor to terminate
	 * (GHCB spec 4.1.13, reason set 1 is ours: 1 = console set-up).
	 */
	if (env.igvm && !vc_nae_console_init(&env)) {
		ghcb_msr_terminate(1, 1);
	}
	puts_dbg("snp-guest: start\n");

	/* Two linker symbols: count by address, not by comparing the "arrays". */
	n = ((uintptr_t)__snp_tests_end - (uintptr_t)__snp_tests_start) /
	    sizeof(const struct snp_guest_test *);
	for (size_t i = 0; i < n; i++) {
		if ((__snp_tests_start[i]->modes & mode) &&
		    selected(env.cmdline, __snp_tests_start[i]->name)) {
			__snp_tests_start[i]->run(&env);
		}
	}
	puts_dbg(snp_guest_failures() ? "snp-guest: FAILED\n" : "snp-guest: done\n");
	/*
	 * isa-debug-exit: QEMU exits with status (value << 1) | 1. 0x10 -> 33 on
	 * success, 0x11 -> 35 on failure: neither can be QEMU's own error status.
	 */
	outl(DEBUG_EXIT_PORT, snp_guest_failures() ? 0x11 : 0x10);
}
