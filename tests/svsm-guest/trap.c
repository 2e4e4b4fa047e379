// SPDX-License-Identifier: MIT
/*
 * IDT and exceptions. #VC (vector 29, APM vol. 2 15.35.5) carries the exit code of the
 * intercepted instruction as its error code; the only one this guest causes on purpose is
 * IOIO (OUT to the console and to isa-debug-exit), answered through the GHCB with the port,
 * size and value decoded from the instruction (APM vol. 2 15.10.2 IOIO information). Any
 * other exception is reported and ends the run.
 */
#include <sev/ghcb.h>
#include <x86/desc.h>
#include "guest.h"

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

extern const uint64_t exc_stubs[X86_NUM_EXCEPTIONS];
static struct idt_gate64 idt[X86_NUM_EXCEPTIONS];

void idt_init(void)
{
	for (unsigned int v = 0; v < X86_NUM_EXCEPTIONS; v++) {
		uint64_t a = exc_stubs[v];
		idt[v] = (struct idt_gate64){(uint16_t)a,
					     0x08,
					     0,
					     DESC_PRESENT | GATE_TYPE_INT64,
					     (uint16_t)(a >> 16),
					     (uint32_t)(a >> 32),
					     0};
	}
}

void idt_load(void)
{
	struct desc_ptr64 p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" ::"m"(p));
}

/* OUT DX, AL (EE), OUT DX, EAX (EF), OUT imm8, AL (E6): length and port/size, or 0. */
static unsigned int decode_out(const struct trap_frame *f, uint16_t *port, unsigned int *size)
{
	const uint8_t *ip = gpa_ptr(f->rip);
	switch (ip[0]) {
	case 0xee:
		*port = (uint16_t)f->rdx;
		*size = 1;
		return 1;
	case 0xef:
		*port = (uint16_t)f->rdx;
		*size = 4;
		return 1;
	case 0xe6:
		*port = ip[1];
		*size = 1;
		return 2;
	default:
		return 0;
	}
}

extern const char probe_insn[], probe_fixup[];

void trap_handler(struct trap_frame *f);
void trap_handler(struct trap_frame *f)
{
	struct guest_cpu *c = &cpus[this_cpu() % GUEST_MAX_CPUS];
	if (c->probe_armed && f->rip == (uint64_t)(uintptr_t)probe_insn) {
		uint64_t cr2;
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		c->probe_vector = f->vector;
		c->probe_error = f->error;
		c->probe_cr2 = cr2;
		c->probe_armed = 0;
		f->rip = (uint64_t)(uintptr_t)probe_fixup;
		return;
	}
	if (f->vector == X86_VEC_VC && f->error == SVM_EXIT_IOIO) {
		uint16_t port = 0;
		unsigned int size = 0, len = decode_out(f, &port, &size);
		if (len && ghcb_ioio_out(port, (uint32_t)f->rax, size) == 0) {
			f->rip += len;
			return;
		}
	}
	/* Unexpected: say so (unless the console itself is what faults), then stop. */
	static volatile int in_report[GUEST_MAX_CPUS];
	unsigned int cpu = this_cpu() % GUEST_MAX_CPUS;
	if (in_report[cpu]++)
		guest_terminate(2);
	printf_g("not ok - guest: exception %llu error %#llx at rip %#llx on vCPU %u\n",
		 (unsigned long long)f->vector, (unsigned long long)f->error,
		 (unsigned long long)f->rip, this_cpu());
	guest_terminate(2);
}
