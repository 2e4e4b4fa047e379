/* SPDX-License-Identifier: MIT */
/*
 * snp-guest: a freestanding test guest for the emulated SEV-SNP platform
 * (docs/snp-emulation.md). It executes the instructions the platform
 * emulates and checks the architectural results, printing one "ok - NAME" /
 * "not ok - NAME" line per check on the debug console, then leaves QEMU
 * through isa-debug-exit.
 *
 * Harness (set by tests/suites/55-snp-emu.sh on the QEMU command line, not
 * ABI): isa-debugcon at I/O port 0xe9, isa-debug-exit at 0xf4, and the
 * expected C-bit position and reduced physical bits in the Multiboot command
 * line as "cbitpos=N reduced=N".
 *
 * Today it covers session 1's integration: CPUID Fn8000_001F, SEV_STATUS and
 * the GHCB MSR, read directly, and PVALIDATE / RMPADJUST with paging off
 * (guest-virtual = guest-physical) on free RAM above the kernel. When the platform raises #VC for intercepted
 * events, these reads move behind the GHCB protocol here as they do in a real
 * SNP guest.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/multiboot1.h"
#include "sev/ghcb-msr.h"
#include "sev/rmp-instr.h"
#include "sev/sev-status.h"
#include "x86/cpuid-sev.h"
#include "x86/desc.h"
#include "x86/desc32.h"

#include "guest.h"

#define DEBUGCON_PORT	0xe9 /* -device isa-debugcon,iobase=0xe9 */
#define DEBUG_EXIT_PORT 0xf4 /* -device isa-debug-exit,iobase=0xf4 */

/* Filled in by the #GP handler in entry.S. */
volatile uint32_t gp_count;
volatile uint32_t gp_skip;
volatile uint32_t gp_error;
volatile uint32_t ud_count;
void gp_handler(void);
void ud_handler(void);
/* entry.S: segment reload, CPL-3 runner and its way back. */
void load_segments(void);
void run_user(void (*fn)(void));
void user_return(void);
extern char int_stack_top[];

static unsigned int failures;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static void puts_dbg(const char *s)
{
	while (*s) {
		outb(DEBUGCON_PORT, (uint8_t)*s++);
	}
}

static void put_hex(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++) {
		unsigned int nib = (unsigned int)(v >> (60 - 4 * i)) & 0xf;
		buf[2 + i] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
	}
	buf[18] = 0;
	puts_dbg(buf);
}

/* One TAP-style line; @got/@want are printed on failure. */
static void expect(bool cond, const char *name, uint64_t got, uint64_t want)
{
	if (cond) {
		puts_dbg("ok - ");
		puts_dbg(name);
		puts_dbg("\n");
		return;
	}
	failures++;
	puts_dbg("not ok - ");
	puts_dbg(name);
	puts_dbg(" (got ");
	put_hex(got);
	puts_dbg(", want ");
	put_hex(want);
	puts_dbg(")\n");
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/* WRMSR is 2 bytes (0F 30): the #GP handler skips it when it faults. */
static void wrmsr(uint32_t msr, uint64_t v)
{
	gp_skip = 2;
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static struct idt_gate32 idt[256];
static uint64_t gdt[GDT_ENTRIES];
static struct tss32 tss;

static void set_gate(unsigned int vec, void (*handler)(void), uint8_t dpl_bits)
{
	uint32_t h = (uint32_t)(uintptr_t)handler;

	idt[vec].offset_lo = (uint16_t)h;
	idt[vec].offset_hi = (uint16_t)(h >> 16);
	idt[vec].selector = KERNEL_CS;
	idt[vec].type_attr = DESC_PRESENT | dpl_bits | GATE_TYPE_INT32;
}

/* Our own GDT (ring 0 and ring 3 flat segments, a TSS) and IDT. */
static void install_tables(void)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint32_t)(uintptr_t)gdt},
				  idtr = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};

	gdt[KERNEL_CS / 8] = DESC_CODE32;
	gdt[KERNEL_DS / 8] = DESC_DATA32;
	gdt[USER_CS / 8] = DESC_CODE32_USER;
	gdt[USER_DS / 8] = DESC_DATA32_USER;
	tss.ss0 = KERNEL_DS;
	tss.esp0 = (uint32_t)(uintptr_t)int_stack_top;
	tss.iomap_base = sizeof(tss); /* no I/O permission bitmap */
	gdt[TSS_SEL / 8] = desc32_tss((uint32_t)(uintptr_t)&tss, sizeof(tss) - 1);
	__asm__ volatile("lgdt %0" : : "m"(gdtr));
	load_segments();
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)TSS_SEL));

	set_gate(X86_VEC_GP, gp_handler, 0);
	set_gate(X86_VEC_UD, ud_handler, 0);
	set_gate(USER_RETURN_VECTOR, user_return, DESC_DPL3);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* Parse "key=N" (decimal) from the command line; @dflt when absent. */
static uint32_t cmdline_uint(const char *cmd, const char *key, uint32_t dflt)
{
	for (const char *p = cmd; p && *p; p++) {
		const char *k = key, *q = p;

		while (*k && *q == *k) {
			k++;
			q++;
		}
		if (*k == 0 && *q == '=' && (p == cmd || p[-1] == ' ')) {
			uint32_t v = 0;

			for (q++; *q >= '0' && *q <= '9'; q++) {
				v = v * 10 + (uint32_t)(*q - '0');
			}
			return v;
		}
	}
	return dflt;
}

static void check_cpuid(uint32_t want_cbit, uint32_t want_reduced)
{
	uint32_t a, b, c, d;
	uint32_t want_eax =
		CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES | CPUID_SEV_EAX_SNP | CPUID_SEV_EAX_VMPL;

	/* APM vol. 2 15.34.1: memory-encryption support is reported in 8000_001F. */
	cpuid(0x80000000u, &a, &b, &c, &d);
	expect(a >= CPUID_FN_SEV, "CPUID 80000000h reaches leaf 8000_001Fh", a, CPUID_FN_SEV);

	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	/* 15.34.1 (SEV bit 1), 15.35.1 (SEV-ES bit 3), 15.36.1 (SNP bit 4, VMPL bit 5). */
	expect((a & want_eax) == want_eax, "CPUID 8000_001F EAX: SEV, SEV-ES, SNP, VMPL", a,
	       want_eax);
	/* 15.34.6: EBX[5:0] is the C-bit position. */
	expect((b & CPUID_SEV_EBX_CBIT_MASK) == want_cbit, "CPUID 8000_001F EBX[5:0] C-bit",
	       b & CPUID_SEV_EBX_CBIT_MASK, want_cbit);
	/* 15.34.1: EBX[11:6] is the physical address width reduction. */
	expect(((b & CPUID_SEV_EBX_PHYS_REDUCTION_MASK) >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT) ==
		       want_reduced,
	       "CPUID 8000_001F EBX[11:6] reduced phys bits",
	       (b & CPUID_SEV_EBX_PHYS_REDUCTION_MASK) >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT,
	       want_reduced);
	/* 15.36.7: EBX[15:12] is the number of VMPLs; the platform implements 4. */
	expect(((b & CPUID_SEV_EBX_NUM_VMPLS_MASK) >> CPUID_SEV_EBX_NUM_VMPLS_SHIFT) == 4,
	       "CPUID 8000_001F EBX[15:12] four VMPLs",
	       (b & CPUID_SEV_EBX_NUM_VMPLS_MASK) >> CPUID_SEV_EBX_NUM_VMPLS_SHIFT, 4);
}

static void check_msrs(void)
{
	uint64_t want = SEV_STATUS_SEV | SEV_STATUS_SEV_ES | SEV_STATUS_SNP;
	uint64_t st = rdmsr(MSR_SEV_STATUS);
	uint64_t ghcb = 0x00000000fedc1000ull;
	uint32_t faults;

	/* Table 15-32: SEV_Enabled, SEV_ES_Enabled and SNP_Active for an SNP guest. */
	expect((st & want) == want, "SEV_STATUS: SEV, SEV-ES and SNP active", st, want);

	/* 15.35.7: the GHCB MSR holds what the guest writes. */
	wrmsr(MSR_SEV_ES_GHCB, ghcb);
	expect(rdmsr(MSR_SEV_ES_GHCB) == ghcb, "GHCB MSR keeps the written GPA",
	       rdmsr(MSR_SEV_ES_GHCB), ghcb);

	/* 15.34.10: SEV_STATUS is read-only; a write faults and changes nothing. */
	faults = gp_count;
	wrmsr(MSR_SEV_STATUS, 0);
	expect(gp_count == faults + 1, "WRMSR SEV_STATUS raises #GP", gp_count - faults, 1);
	expect(rdmsr(MSR_SEV_STATUS) == st, "SEV_STATUS unchanged after the write",
	       rdmsr(MSR_SEV_STATUS), st);
}

/* Free guest RAM used by the RMP checks (the kernel lives at 1 MiB). */
#define PAGE_A	  0x00801000u /* a 4 KiB page in the 2 MiB region at 8 MiB */
#define REGION_A  0x00800000u
#define REGION_B  0x00a00000u /* a 2 MiB region validated as a whole */
#define SZ_4K_ARG RMP_PG_SIZE_4K
#define SZ_2M_ARG RMP_PG_SIZE_2M

static uint32_t pvalidate(uint32_t va, uint32_t size, uint32_t validate, bool *cf)
{
	uint32_t ret;
	uint8_t c;

	__asm__ volatile(".byte " PVALIDATE_OPCODE "\n\tsetc %1"
			 : "=a"(ret), "=qm"(c)
			 : "a"(va), "c"(size), "d"(validate)
			 : "memory", "cc");
	*cf = c;
	return ret;
}

static uint32_t rmpadjust(uint32_t va, uint32_t size, uint64_t attrs)
{
	uint32_t ret;

	/* 32-bit code: RDX holds attributes bits 31:0 (bit 16 is VMSA). */
	__asm__ volatile(".byte " RMPADJUST_OPCODE
			 : "=a"(ret)
			 : "a"(va), "c"(size), "d"((uint32_t)attrs)
			 : "memory", "cc");
	return ret;
}

static void check_pvalidate(void)
{
	bool cf = false;
	uint32_t rc;

	/* APM vol. 3 PVALIDATE, vol. 2 15.36.6: validating sets the bit, CF = 0. */
	rc = pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K validate: EAX 0, CF 0", rc | cf << 8,
	       0);
	/* ... and again: nothing changes, CF = 1. */
	rc = pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "PVALIDATE 4K again: EAX 0, CF 1 (unchanged)",
	       rc | cf << 8, 0x100);
	/* Rescind, then validate again for the RMPADJUST checks below. */
	rc = pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_RESCIND, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K rescind: EAX 0, CF 0", rc | cf << 8,
	       0);
	rc = pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K re-validate: EAX 0, CF 0",
	       rc | cf << 8, 0);
	/* A 2 MiB request needs a 2 MiB-aligned address: FAIL_INPUT. */
	rc = pvalidate(PAGE_A, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_FAIL_INPUT, "PVALIDATE 2M unaligned: FAIL_INPUT", rc,
	       RMP_INSTR_FAIL_INPUT);
	/* Table 15-40: 2 MiB request where the RMP holds 4 KiB pages. */
	rc = pvalidate(REGION_A, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_FAIL_SIZEMISMATCH, "PVALIDATE 2M on 4K RMP pages: FAIL_SIZEMISMATCH",
	       rc, RMP_INSTR_FAIL_SIZEMISMATCH);
	/* A whole 2 MiB page ... */
	rc = pvalidate(REGION_B, SZ_2M_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 2M: EAX 0, CF 0", rc | cf << 8, 0);
	/* ... then one 4 KiB page of it: the hypervisor PSMASHes (15.36.11) and
	 * the other pages keep their Validated bit. */
	rc = pvalidate(REGION_B + 0x3000u, SZ_4K_ARG, PVALIDATE_RESCIND, &cf);
	expect(rc == RMP_INSTR_SUCCESS && !cf, "PVALIDATE 4K rescind inside a 2M page: CF 0",
	       rc | cf << 8, 0);
	rc = pvalidate(REGION_B + 0x4000u, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(rc == RMP_INSTR_SUCCESS && cf, "PSMASH kept the neighbour validated: CF 1",
	       rc | cf << 8, 0x100);
}

static void check_rmpadjust(void)
{
	uint32_t rc;

	/* 15.36.7: VMPL0 grants VMPL1 read access to a page it owns. */
	rc = rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_SUCCESS, "RMPADJUST VMPL1 read: SUCCESS", rc, RMP_INSTR_SUCCESS);
	/* APM vol. 3 RMPADJUST: target VMPL <= current VMPL is FAIL_PERMISSION. */
	rc = rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(0, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_FAIL_PERMISSION,
	       "RMPADJUST target VMPL0 from VMPL0: FAIL_PERMISSION", rc, RMP_INSTR_FAIL_PERMISSION);
	/* A VMPL the CPU does not implement (CPUID says 4). */
	rc = rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(4, RMP_PERM_READ, 0));
	expect(rc == RMP_INSTR_FAIL_INPUT, "RMPADJUST target VMPL4: FAIL_INPUT", rc,
	       RMP_INSTR_FAIL_INPUT);
}

/* Code run at CPL 3 by run_user(); each ends with the return interrupt. */
static void user_pvalidate(void)
{
	bool cf;

	gp_skip = 4; /* F2 0F 01 FF */
	(void)pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	__asm__ volatile("int %0" : : "i"(USER_RETURN_VECTOR));
}

static void user_rmpadjust(void)
{
	gp_skip = 4; /* F3 0F 01 FE */
	(void)rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	__asm__ volatile("int %0" : : "i"(USER_RETURN_VECTOR));
}

static void check_cpl3(void)
{
	uint32_t faults = gp_count;

	/* APM vol. 3 PVALIDATE / RMPADJUST: #GP(0) when CPL is not 0. */
	gp_error = 0xffffffffu;
	run_user(user_pvalidate);
	expect(gp_count == faults + 1 && gp_error == 0, "PVALIDATE at CPL 3 raises #GP(0)",
	       ((uint64_t)gp_error << 32) | (gp_count - faults), 1);
	gp_error = 0xffffffffu;
	run_user(user_rmpadjust);
	expect(gp_count == faults + 2 && gp_error == 0, "RMPADJUST at CPL 3 raises #GP(0)",
	       ((uint64_t)gp_error << 32) | (gp_count - faults), 2);
}

/*
 * Run without sev-snp-guest ("mode=plain"): the guest is not SNP-active, so
 * the SNP instructions are #UD (APM vol. 3) and CPUID reports no SNP.
 */
static void check_plain(void)
{
	uint32_t a, b, c, d, uds = ud_count;
	bool cf;

	cpuid(CPUID_FN_SEV, &a, &b, &c, &d);
	expect(!(a & CPUID_SEV_EAX_SNP), "plain guest: CPUID 8000_001F reports no SNP", a, 0);
	gp_skip = 4;
	(void)pvalidate(PAGE_A, SZ_4K_ARG, PVALIDATE_VALIDATE, &cf);
	expect(ud_count == uds + 1, "plain guest: PVALIDATE raises #UD", ud_count - uds, 1);
	(void)rmpadjust(PAGE_A, SZ_4K_ARG, rmpadjust_attrs(1, RMP_PERM_READ, 0));
	expect(ud_count == uds + 2, "plain guest: RMPADJUST raises #UD", ud_count - uds, 2);
}

/* "cmd" contains the word @word. */
static bool cmdline_has(const char *cmd, const char *word)
{
	for (const char *p = cmd; p && *p; p++) {
		const char *w = word, *q = p;

		while (*w && *q == *w) {
			w++;
			q++;
		}
		if (*w == 0 && (*q == 0 || *q == ' ') && (p == cmd || p[-1] == ' ')) {
			return true;
		}
	}
	return false;
}

void snp_guest_main(uint32_t magic, const struct mb1_info *info);

void snp_guest_main(uint32_t magic, const struct mb1_info *info)
{
	const char *cmd = NULL;

	install_tables();
	puts_dbg("snp-guest: start\n");
	if (magic == MB1_BOOTLOADER_MAGIC && (info->flags & MB1_INFO_CMDLINE)) {
		/* Paging is off: the physical address is the pointer. */
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		cmd = (const char *)(uintptr_t)info->cmdline;
	}
	if (cmdline_has(cmd, "mode=plain")) {
		check_plain();
	} else {
		check_cpuid(cmdline_uint(cmd, "cbitpos", 0), cmdline_uint(cmd, "reduced", 0));
		check_msrs();
		check_pvalidate();
		check_rmpadjust();
		check_cpl3();
	}
	puts_dbg(failures ? "snp-guest: FAILED\n" : "snp-guest: done\n");
	/*
	 * isa-debug-exit: QEMU exits with status (value << 1) | 1. 0x10 -> 33 on
	 * success, 0x11 -> 35 on failure: neither can be QEMU's own error status.
	 */
	outl(DEBUG_EXIT_PORT, failures ? 0x11 : 0x10);
}
