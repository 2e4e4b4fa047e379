// SPDX-License-Identifier: MIT
/*
 * Exception handling: NMIs are counted (and handed to a test hook); a #PF/#GP/#SS on an
 * instruction listed in the fixup table resumes at its fixup; anything else prints the
 * registers and a symbolized backtrace and stops the SVSM.
 */
#include <x86/desc.h>
#include <x86/msr.h>
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/trap.h"
#include "svsmk/console.h"
#include "svsmk/guest_access.h"
#include "svsmk/percpu.h"
#include "svsmk/platform.h"
#include "svsmk/symbols.h"

void (*nmi_hook)(struct trap_frame *tf);
int (*vc_hook)(struct trap_frame *tf);

static const char *const names[X86_NUM_EXCEPTIONS] = {
	[X86_VEC_DE] = "divide error",
	[X86_VEC_DB] = "debug",
	[X86_VEC_NMI] = "NMI",
	[X86_VEC_BP] = "breakpoint",
	[X86_VEC_OF] = "overflow",
	[X86_VEC_BR] = "bound range",
	[X86_VEC_UD] = "invalid opcode",
	[X86_VEC_NM] = "device not available",
	[X86_VEC_DF] = "double fault",
	[X86_VEC_TS] = "invalid TSS",
	[X86_VEC_NP] = "segment not present",
	[X86_VEC_SS] = "stack fault",
	[X86_VEC_GP] = "general protection",
	[X86_VEC_PF] = "page fault",
	[X86_VEC_MF] = "x87 FP",
	[X86_VEC_AC] = "alignment check",
	[X86_VEC_MC] = "machine check",
	[X86_VEC_XF] = "SIMD FP",
	[X86_VEC_CP] = "control protection",
	[X86_VEC_HV] = "hypervisor injection",
	[X86_VEC_VC] = "VMM communication",
	[X86_VEC_SX] = "security",
};

const char *exception_name(unsigned int vector)
{
	return vector < X86_NUM_EXCEPTIONS && names[vector] ? names[vector] : "reserved";
}

static void dump(const struct trap_frame *tf)
{
	uint32_t cpu = 0;
	uint64_t gs;
	gs = rdmsr(MSR_GS_BASE);
	if (gs)
		cpu = this_cpu()->index;
	printk_unlocked("\n*** SVSM exception %llu (%s) on CPU %u, error code 0x%llx\n",
			(unsigned long long)tf->vector, exception_name((unsigned int)tf->vector),
			cpu, (unsigned long long)tf->error_code);
	uint64_t off;
	const char *fn = symbol_lookup(tf->rip, &off);
	printk_unlocked("RIP %016llx <%s+0x%llx>  CS %04llx  RFLAGS %016llx\n",
			(unsigned long long)tf->rip, fn ? fn : "?", (unsigned long long)off,
			(unsigned long long)tf->cs, (unsigned long long)tf->rflags);
	printk_unlocked("RSP %016llx SS %04llx CR2 %016llx CR3 %016llx\n",
			(unsigned long long)tf->rsp, (unsigned long long)tf->ss,
			(unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	printk_unlocked("RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n",
			(unsigned long long)tf->rax, (unsigned long long)tf->rbx,
			(unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	printk_unlocked("RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n",
			(unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
			(unsigned long long)tf->rbp, (unsigned long long)tf->r8);
	printk_unlocked("R9  %016llx R10 %016llx R11 %016llx R12 %016llx\n",
			(unsigned long long)tf->r9, (unsigned long long)tf->r10,
			(unsigned long long)tf->r11, (unsigned long long)tf->r12);
	printk_unlocked("R13 %016llx R14 %016llx R15 %016llx\n", (unsigned long long)tf->r13,
			(unsigned long long)tf->r14, (unsigned long long)tf->r15);
	/* At a function's first instruction its frame is not built yet: the caller's return
	 * address is at [RSP], so show it before following the RBP chain. */
	uint64_t ret;
	if (fn && off == 0 && read_u64_safe(addr_to_ptr(tf->rsp), &ret) == 0) {
		uint64_t roff;
		const char *caller = symbol_lookup(ret - 1, &roff);
		printk_unlocked("  called from [<%016llx>] %s+0x%llx\n", (unsigned long long)ret,
				caller ? caller : "?", (unsigned long long)roff + 1);
	}
	backtrace_print(tf->rip, tf->rbp);
}

void exception_handler(struct trap_frame *tf)
{
	if (tf->vector == X86_VEC_NMI && rdmsr(MSR_GS_BASE)) {
		struct cpu_local *cl = this_cpu();
		cl->nmi_count++;
		cl->last_nmi_rsp = read_rsp();
		if (nmi_hook)
			nmi_hook(tf);
		return;
	}
	if (tf->vector == X86_VEC_VC && vc_hook && vc_hook(tf))
		return;
	if (tf->vector == X86_VEC_PF || tf->vector == X86_VEC_GP || tf->vector == X86_VEC_SS ||
	    tf->vector == X86_VEC_VC) {
		uint64_t fix = fixup_lookup(tf->rip);
		if (fix) {
			tf->rip = fix;
			return;
		}
	}
	dump(tf);
	printk_unlocked("*** SVSM halted\n");
	platform->terminate(2);
}
