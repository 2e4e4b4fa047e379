/* SPDX-License-Identifier: MIT */
/*
 * snp-guest library: console, checks, CPU helpers and the test registry
 * shared by every test file of the guest. Test-guest choices, not ABI.
 *
 * A test file registers its checks with SNP_GUEST_TEST(); guest.c runs them
 * in link order (build.sh links the *.c files sorted by name, so a file's
 * number prefix orders it: 10-platform.c before 20-rmp-instr.c ...).
 */
#ifndef SNP_GUEST_LIB_H
#define SNP_GUEST_LIB_H

#include <stdbool.h>
#include <stdint.h>

#define DEBUGCON_PORT	0xe9 /* -device isa-debugcon,iobase=0xe9 */
#define DEBUG_EXIT_PORT 0xf4 /* -device isa-debug-exit,iobase=0xf4 */

/* What the harness told the guest (Multiboot command line, or the IGVM
 * command-line page, igvm-layout.h). */
struct snp_guest_env {
	const char *cmdline; /* NULL when absent */
	bool igvm;	     /* started from snp-guest.igvm (VMSA, no Multiboot) */
	uint32_t cbitpos;    /* "cbitpos=N" */
	uint32_t reduced;    /* "reduced=N" */
	bool plain;	     /* "mode=plain": QEMU without sev-snp-guest */
	bool rmp;	     /* "mode=rmp": RMP enforced, all RAM validated */
};

/* The modes a test runs in. */
#define SNP_GUEST_MODE_SNP   (1u << 0)
#define SNP_GUEST_MODE_PLAIN (1u << 1)
/*
 * sev-snp-guest with x-emu-validate-ram=on: the RMP is enforced and every
 * page starts validated (until the guest is launched from an IGVM file).
 */
#define SNP_GUEST_MODE_RMP   (1u << 2)
/*
 * Started from snp-guest.igvm: RMP checks and #VC from the first
 * instruction, only launched pages validated (what hardware gives a guest).
 */
#define SNP_GUEST_MODE_IGVM  (1u << 3)

struct snp_guest_test {
	const char *name;
	void (*run)(const struct snp_guest_env *env);
	uint32_t modes;
};

/* Register @fn (void fn(const struct snp_guest_env *)) to run in @modes. */
#define SNP_GUEST_TEST(fn, modes_mask)                                          \
	static const struct snp_guest_test fn##_test = {#fn, fn, (modes_mask)}; \
	static const struct snp_guest_test *const fn##_entry                    \
		__attribute__((used, section("snp_tests"))) = &fn##_test

/* Filled in by the #GP / #UD handlers in entry.S. */
extern volatile uint32_t gp_count;
extern volatile uint32_t gp_skip; /* bytes to skip over the faulting instruction */
extern volatile uint32_t gp_error;
extern volatile uint32_t ud_count;
void gp_handler(void);
void ud_handler(void);
/* entry.S: CPL-3 runner; @fn ends with `int $USER_RETURN_VECTOR`. */
void run_user(void (*fn)(void));

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/*
 * Console output goes through this hook so that a test file can route it
 * (e.g. through the GHCB once port I/O raises #VC). Default: OUTB to the
 * debug console.
 */
extern void (*snp_guest_putc)(char c);
void puts_dbg(const char *s);
void put_hex(uint64_t v);

/* One TAP-style line; @got/@want are printed on failure. */
void expect(bool cond, const char *name, uint64_t got, uint64_t want);
unsigned int snp_guest_failures(void);

void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);
uint64_t rdmsr(uint32_t msr);
/* WRMSR; a #GP skips it (2 bytes) and counts in gp_count. */
void wrmsr(uint32_t msr, uint64_t v);

/* Install an interrupt gate (@dpl_bits: 0 or DESC_DPL3). */
void set_gate(unsigned int vec, void (*handler)(void), uint8_t dpl_bits);
void install_tables(void);

uint32_t cmdline_uint(const char *cmd, const char *key, uint32_t dflt);
bool cmdline_has(const char *cmd, const char *word);

#endif
