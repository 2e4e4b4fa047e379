// SPDX-License-Identifier: MIT
/*
 * Per-CPU descriptor tables. Each CPU has its own GDT (the TSS descriptor's busy bit is
 * per CPU) and TSS whose IST pointers select dedicated stacks for #DF, NMI, #MC and #VC,
 * so those exceptions run on a known-good stack whatever state the CPU is in
 * (APM vol 2 §8.9.4 "Interrupt-stack table").
 */
#include <x86/desc.h>
#include <x86/msr.h>
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/setup.h"
#include "svsmk/arch/trap.h"
#include "svsmk/layout.h"
#include "svsmk/percpu.h"
#include "svsmk/string.h"

static uint64_t ist_top(unsigned int first_page)
{
	return PCPU_VA(first_page + PCPU_IST_PAGES);
}

static void set_tss_desc(uint64_t *gdt, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss;
	struct sys_desc64 d = {
		.limit_lo = sizeof(*tss) - 1,
		.base_lo = (uint16_t)base,
		.base_mid = (uint8_t)(base >> 16),
		.type_attr = DESC_PRESENT | SYSDESC_TYPE_TSS64_AVAIL,
		.limit_hi_flags = 0,
		.base_hi = (uint8_t)(base >> 24),
		.base_top = (uint32_t)(base >> 32),
		.reserved = 0,
	};
	memcpy(&gdt[KERNEL_TSS / 8], &d, sizeof(d));
}

void arch_cpu_init(struct cpu_local *cl)
{
	cl->gdt[0] = 0;
	cl->gdt[KERNEL_CS / 8] = DESC_CODE64;
	cl->gdt[KERNEL_DS / 8] = DESC_DATA64;
	memset(&cl->tss, 0, sizeof(cl->tss));
	cl->tss.rsp[0] = PCPU_VA(PCPU_PG_STACK + PCPU_STACK_PAGES);
	cl->tss.ist[IST_DF - 1] = ist_top(PCPU_PG_IST_DF);
	cl->tss.ist[IST_NMI - 1] = ist_top(PCPU_PG_IST_NMI);
	cl->tss.ist[IST_MC - 1] = ist_top(PCPU_PG_IST_MC);
	cl->tss.ist[IST_VC - 1] = ist_top(PCPU_PG_IST_VC);
	cl->tss.iopb_offset = sizeof(cl->tss); /* no I/O permission bitmap */
	set_tss_desc(cl->gdt, &cl->tss);

	struct desc_ptr64 gdtr = {sizeof(cl->gdt) - 1, (uint64_t)(uintptr_t)cl->gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(KERNEL_TSS)
			 : "rax", "memory");
	/* Loading GS cleared its base: set it after the selector load. */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)cl);
	idt_load();
}

uint32_t arch_cpu_apic_id(void)
{
	uint32_t a, b, c, d;
	cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}
