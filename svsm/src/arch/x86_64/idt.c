// SPDX-License-Identifier: MIT
/* The IDT (shared by all CPUs): 64-bit interrupt gates, APM vol 2 §4.8.4 figure 4-24. */
#include <x86/desc.h>
#include "svsmk/arch/trap.h"
#include "svsmk/layout.h"

extern const uint64_t exc_stub_table[X86_NUM_EXCEPTIONS];

static struct idt_gate64 idt[X86_NUM_EXCEPTIONS] __attribute__((aligned(16)));

static unsigned int ist_for(unsigned int vec)
{
	switch (vec) {
	case X86_VEC_DF:
		return IST_DF;
	case X86_VEC_NMI:
		return IST_NMI;
	case X86_VEC_MC:
		return IST_MC;
	case X86_VEC_VC:
		return IST_VC;
	default:
		return 0;
	}
}

void idt_init(void)
{
	for (unsigned int v = 0; v < X86_NUM_EXCEPTIONS; v++) {
		uint64_t h = exc_stub_table[v];
		idt[v].offset_lo = (uint16_t)h;
		idt[v].selector = KERNEL_CS;
		idt[v].ist = (uint8_t)ist_for(v);
		idt[v].type_attr = DESC_PRESENT | GATE_TYPE_INT64;
		idt[v].offset_mid = (uint16_t)(h >> 16);
		idt[v].offset_hi = (uint32_t)(h >> 32);
		idt[v].reserved = 0;
	}
}

void idt_load(void)
{
	struct desc_ptr64 idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}
