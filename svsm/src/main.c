// SPDX-License-Identifier: MIT
/* SVSM start-up: console, boot parameters, memory, per-CPU state, CPUs, then self-tests. */
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/setup.h"
#include "svsmk/arch/trap.h"
#include "svsmk/console.h"
#include "svsmk/kmalloc.h"
#include "svsmk/mm.h"
#include "svsmk/panic.h"
#include "svsmk/percpu.h"
#include "svsmk/platform.h"
#include "svsmk/selftest.h"
#include "svsmk/smp.h"
#include "svsmk/string.h"
#include "svsmk/symbols.h"
#include "svsmk/test.h"

#define SVSM_VERSION "0.1"

extern char boot_pml4[];
static char cmdline[256];
static uint64_t tsc_start;

void svsm_start(uint32_t magic, uint32_t params_pa, uint64_t load_pa);

static const char *cmdline_value(const char *key)
{
	const char *p = strstr_k(cmdline, key);
	return p ? p + strlen(key) : NULL;
}

/* A named function that crashes on purpose, to check the exception report and backtrace. */
__noipa void svsm_crash_on_purpose(void)
{
	printk("Crashing on purpose (crash=ud)\n");
	__asm__ volatile("ud2");
}

/*
 * Overflow the stack on purpose: a push into the guard page below the per-CPU stack faults,
 * the #PF cannot be delivered on that stack, so the CPU raises #DF, which runs on IST1.
 */
__noipa void svsm_stack_overflow_on_purpose(void)
{
	printk("Overflowing the stack on purpose (crash=stack)\n");
	__asm__ volatile(
		"mov %0, %%rsp\n\t"
		"pushq $0"
		:
		: "r"(PCPU_VA(PCPU_PG_STACK)) /* stack bottom: the push lands in the guard */
		: "memory");
}

static void print_memmap(void)
{
	printk("Memory map (%zu entries):\n", boot_memmap.count);
	for (size_t i = 0; i < boot_memmap.count; i++) {
		const struct mem_region *r = &boot_memmap.region[i];
		printk("  [%016llx-%016llx] %s\n", (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size - 1),
		       r->type == MEM_RAM ? "RAM" : "reserved");
	}
}

static __noreturn void finish(int failures)
{
	struct mm_stats s;
	mm_get_stats(&s);
	printk("SVSM memory: image %llu KiB, region %llu KiB, heap used %llu KiB, private %llu "
	       "KiB\n",
	       (unsigned long long)s.image_bytes / 1024, (unsigned long long)s.region_bytes / 1024,
	       (unsigned long long)s.heap_used_bytes / 1024,
	       (unsigned long long)s.private_used_bytes / 1024);
	printk("SVSM %s, exiting\n", failures ? "FAILED" : "done");
	platform->terminate(failures ? 1 : 0);
}

static __noreturn void svsm_main(void)
{
	platform->late_init();
	if (platform->cpu_online)
		platform->cpu_online(0);
	uint32_t n = smp_boot();
	/* Every CPU now runs on its own tables: drop the boot tables' mappings entirely. */
	memset(boot_pml4, 0, 4096);
	printk("CPUs online: %u\n", n);
	for (uint32_t i = 0; i < n; i++)
		printk("  CPU %u: APIC ID %u\n", i, cpus[i].apic_id);
	if (cmdline_value("crash=ud"))
		svsm_crash_on_purpose();
	if (cmdline_value("crash=stack"))
		svsm_stack_overflow_on_purpose();
	uint64_t ready = rdtsc() - tsc_start;
	printk("SVSM ready: boot-to-ready %llu TSC cycles\n", (unsigned long long)ready);
	int failures = selftest_run();
#ifdef SVSM_TEST_BUILD
	failures += ktest_run_all(cmdline_value("ktest="));
#endif
	if (!failures && platform->run_guest)
		platform->run_guest();
	finish(failures);
}

void svsm_start(uint32_t magic, uint32_t params_pa, uint64_t load_pa)
{
	svsm_load_pa = load_pa;
	struct boot_info bi = {load_pa, magic, params_pa};
	/* The IDT first: probing SEV_STATUS may #GP (fixed up) and SNP needs #VC. */
	idt_init();
	idt_load();
	platform_select(&bi);
	platform->console_init();
	printk("\nC SVSM %s on platform '%s', loaded at %#llx\n", SVSM_VERSION, platform->name,
	       (unsigned long long)load_pa);
	/* Boot parameters may sit inside our own region: copy them out before using it. */
	int rc = platform->parse_boot_params(&bi, &boot_memmap, cmdline, sizeof(cmdline));
	if (rc)
		panic("cannot parse boot parameters (magic %#x): %d", magic, rc);
	printk("Command line: '%s'\n", cmdline);
	const char *lvl = cmdline_value("loglevel=");
	if (lvl && *lvl >= '0' && *lvl <= '3')
		console_set_level((enum log_level)(*lvl - '0'));
	print_memmap();
	if (!memmap_is_ram(&boot_memmap, load_pa, SVSM_REGION_SIZE))
		panic("SVSM region %#llx+%#x is not RAM", (unsigned long long)load_pa,
		      SVSM_REGION_SIZE);
	rc = platform->validate_pages(load_pa, SVSM_REGION_SIZE / 4096, 1);
	if (rc)
		panic("validating the SVSM region failed: %d", rc);
	mm_init();
	nr_cpus = 1;
	rc = percpu_setup(0, platform->bsp_apic_id ? platform->bsp_apic_id() : arch_cpu_apic_id());
	if (rc)
		panic("BSP per-CPU setup failed: %d", rc);
	percpu_activate(&cpus[0]);
	cpus[0].online = 1;
	/* Not earlier: where the hypervisor intercepts RDTSC, its #VC needs this CPU's IST. */
	tsc_start = rdtsc();
	switch_stack(PCPU_VA(PCPU_PG_STACK + PCPU_STACK_PAGES), svsm_main);
}
