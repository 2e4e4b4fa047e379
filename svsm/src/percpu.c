// SPDX-License-Identifier: MIT
/*
 * Per-CPU page tables. Every CPU has its own PML4: slot KERNEL_PML4_SLOT points to the one
 * shared kernel PDPT (global area), slot PERCPU_PML4_SLOT to a PDPT of its own (private area)
 * holding its cpu_local, stacks, IST stacks, scratch page and temporary mapping windows.
 * Private frames come from the private pool, which no other page table maps, so one CPU's
 * private memory is not addressable from any other CPU once the boot tables are gone.
 */
#include <x86/paging.h>
#include "svsmk/percpu.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/setup.h"
#include "svsmk/compiler.h"
#include "svsmk/console.h"
#include "svsmk/kmalloc.h"
#include "svsmk/mm.h"
#include "svsmk/panic.h"
#include "svsmk/string.h"

struct cpu_shared cpus[MAX_CPUS];
uint32_t nr_cpus;

static int map_private(struct cpu_shared *cs, unsigned int first_page, unsigned int npages,
		       size_t *frame)
{
	for (unsigned int i = 0; i < npages; i++) {
		uint64_t pa = private_frame_alloc();
		if (!pa)
			return -ENOMEM;
		cs->private_pa[(*frame)++] = pa;
		int rc = pt_map(&cs->pt, PCPU_VA(first_page + i), pa, PAGE_SIZE, PAGE_SIZE,
				PTE_RW | PTE_NX);
		if (rc)
			return rc;
	}
	return 0;
}

int percpu_setup(uint32_t idx, uint32_t apic_id)
{
	if (idx >= MAX_CPUS)
		return -EINVAL;
	struct cpu_shared *cs = &cpus[idx];
	memset(cs, 0, sizeof(*cs));
	cs->index = idx;
	cs->apic_id = apic_id;
	void *root = alloc_page_zeroed();
	if (!root)
		return -ENOMEM;
	cs->pt.root_pa = virt_to_phys(root);
	cs->pt.ops = &kernel_pt_ops;
	cs->pt.enc_mask = kernel_pt.enc_mask;
	pt_share_slot(&cs->pt, &kernel_pt, KERNEL_PML4_SLOT);
	size_t frame = 0;
	int rc = map_private(cs, PCPU_PG_LOCAL, PCPU_LOCAL_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_STACK, PCPU_STACK_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_IST_DF, PCPU_IST_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_IST_NMI, PCPU_IST_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_IST_MC, PCPU_IST_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_IST_VC, PCPU_IST_PAGES, &frame);
	rc = rc ? rc : map_private(cs, PCPU_PG_SCRATCH, 1, &frame);
	if (rc)
		return rc;
	/* The windows' page table exists up front so mapping never allocates. */
	uint64_t *pte = pt_leaf_entry(&cs->pt, PCPU_VA(PCPU_PG_WINDOW), 1);
	if (!pte)
		return -ENOMEM;
	cs->window_pte = pte;
	cs->cr3 = cs->pt.root_pa;
	return 0;
}

void percpu_activate(struct cpu_shared *cs)
{
	write_cr3(cs->cr3);
	struct cpu_local *cl = addr_to_ptr(PCPU_VA(PCPU_PG_LOCAL));
	memset(cl, 0, sizeof(*cl));
	cl->self = cl;
	cl->shared = cs;
	cl->index = cs->index;
	arch_cpu_init(cl);
}

void *percpu_map_temp(uint64_t pa, bool writable)
{
	struct cpu_local *cl = this_cpu();
	if (!IS_ALIGNED(pa, PAGE_SIZE) || (pa & ~PTE_ADDR_MASK))
		return NULL;
	for (unsigned int i = 0; i < PCPU_NR_WINDOWS; i++) {
		if (cl->windows_used & (1U << i))
			continue;
		cl->windows_used |= 1U << i;
		uint64_t va = PCPU_VA(PCPU_PG_WINDOW + i);
		cl->shared->window_pte[i] =
			pa | PTE_P | PTE_NX | (writable ? PTE_RW : 0) | kernel_pt.enc_mask;
		invlpg(va);
		return addr_to_ptr(va);
	}
	return NULL;
}

void percpu_unmap_temp(void *va)
{
	struct cpu_local *cl = this_cpu();
	uint64_t i = ((uint64_t)(uintptr_t)va - PCPU_VA(PCPU_PG_WINDOW)) / PAGE_SIZE;
	BUG_ON(i >= PCPU_NR_WINDOWS || !(cl->windows_used & (1U << i)));
	cl->shared->window_pte[i] = 0;
	invlpg((uint64_t)(uintptr_t)va);
	cl->windows_used &= ~(1U << i);
}
