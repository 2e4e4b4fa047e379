/* SPDX-License-Identifier: MIT */
/* snp-guest library (lib.h): console, checks, CPU helpers, descriptor tables. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x86/desc.h"
#include "x86/desc32.h"

#include "guest.h"
#include "lib.h"

/* Filled in by the #GP handler in entry.S. */
volatile uint32_t gp_count;
volatile uint32_t gp_skip;
volatile uint32_t gp_error;
volatile uint32_t ud_count;
/* entry.S: segment reload, CPL-3 runner and its way back. */
void load_segments(void);
void user_return(void);
extern char int_stack_top[];

static unsigned int failures;

static void putc_debugcon(char c)
{
	outb(DEBUGCON_PORT, (uint8_t)c);
}

void (*snp_guest_putc)(char c) = putc_debugcon;

void puts_dbg(const char *s)
{
	while (*s) {
		snp_guest_putc(*s++);
	}
}

void put_hex(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++) {
		unsigned int nib = (unsigned int)(v >> (60 - 4 * i)) & 0xf;
		buf[2 + i] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
	}
	buf[18] = 0;
	puts_dbg(buf);
}

void expect(bool cond, const char *name, uint64_t got, uint64_t want)
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

void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

/* WRMSR is 2 bytes (0F 30): the #GP handler skips it when it faults. */
void wrmsr(uint32_t msr, uint64_t v)
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

void set_gate(unsigned int vec, void (*handler)(void), uint8_t dpl_bits)
{
	uint32_t h = (uint32_t)(uintptr_t)handler;

	idt[vec].offset_lo = (uint16_t)h;
	idt[vec].offset_hi = (uint16_t)(h >> 16);
	idt[vec].selector = KERNEL_CS;
	idt[vec].type_attr = DESC_PRESENT | dpl_bits | GATE_TYPE_INT32;
}

/* Our own GDT (ring 0 and ring 3 flat segments, a TSS) and IDT. */
void install_tables(void)
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
uint32_t cmdline_uint(const char *cmd, const char *key, uint32_t dflt)
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

/* "cmd" contains the word @word. */
bool cmdline_has(const char *cmd, const char *word)
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

unsigned int snp_guest_failures(void)
{
	return failures;
}
