// SPDX-License-Identifier: MIT
/*
 * SVSM memory set-up. The region [load_pa, load_pa + SVSM_REGION_SIZE) holds, in order:
 * the image, the heap (buddy + slab, in the global direct map) and the private pool (frames
 * that appear only in the per-CPU area of the CPU owning them). The kernel page tables map
 * the image with 4K pages and section permissions, the heap with 2M pages where aligned.
 */
#include <x86/paging.h>
#include "svsmk/mm.h"
#include "svsmk/bitmap.h"
#include "svsmk/console.h"
#include "svsmk/kmalloc.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/panic.h"
#include "svsmk/smp.h"
#include "svsmk/spinlock.h"
#include "svsmk/string.h"

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

uint64_t svsm_load_pa;
struct memmap boot_memmap;
struct pgtable kernel_pt;
extern const uint32_t boot_cbit_hi; /* head.S */
volatile uint32_t *apic_mmio;

#define POOL_FRAMES (SVSM_PRIVATE_POOL / PAGE_SIZE)
static uint64_t pool_map[BITMAP_WORDS(POOL_FRAMES)];
static struct spinlock pool_lock = SPINLOCK_INIT;
static struct spinlock map_lock = SPINLOCK_INIT;
/* Dynamic global mappings (MMIO, vmap): PML4 511, PDPT 511, the GiB after the kernel's.
 * VAs are handed out once and never reused, so a stale TLB entry can only point at a VA
 * that mm_vunmap has already flushed everywhere. */
#define VMAP_VBASE 0xffffffffc0000000ULL
static uint64_t vmap_next = VMAP_VBASE;

static uint64_t kpt_alloc(void *ctx)
{
	(void)ctx;
	void *p = alloc_page_zeroed();
	return p ? virt_to_phys(p) : 0;
}

static uint64_t *kpt_table_va(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

const struct pt_ops kernel_pt_ops = {kpt_alloc, kpt_table_va, NULL};

uint64_t private_pool_base(void)
{
	return svsm_load_pa + SVSM_REGION_SIZE - SVSM_PRIVATE_POOL;
}

uint64_t private_frame_alloc(void)
{
	spin_lock(&pool_lock);
	size_t i = bitmap_find_clear(pool_map, POOL_FRAMES);
	if (i < POOL_FRAMES)
		bitmap_set(pool_map, i);
	spin_unlock(&pool_lock);
	return i < POOL_FRAMES ? private_pool_base() + i * PAGE_SIZE : 0;
}

void private_frame_free(uint64_t pa)
{
	size_t i = (pa - private_pool_base()) / PAGE_SIZE;
	BUG_ON(pa < private_pool_base() || i >= POOL_FRAMES);
	spin_lock(&pool_lock);
	bitmap_clear(pool_map, i);
	spin_unlock(&pool_lock);
}

static void map_or_panic(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	int rc = pt_map(&kernel_pt, va, pa, size, PAGE_SIZE, flags);
	if (rc)
		panic("mm: mapping %llx failed: %d", (unsigned long long)va, rc);
}

void mm_init(void)
{
	uint64_t img = (uint64_t)(uintptr_t)__image_start;
	uint64_t heap_va = ALIGN_UP((uint64_t)(uintptr_t)__image_end, PAGE_SIZE);
	uint64_t heap_end_va = KERNEL_VBASE + SVSM_REGION_SIZE - SVSM_PRIVATE_POOL;
	mm_heap_init(addr_to_ptr(heap_va), heap_end_va - heap_va);

	void *root = alloc_page_zeroed();
	BUG_ON(!root);
	kernel_pt.root_pa = virt_to_phys(root);
	kernel_pt.ops = &kernel_pt_ops;
	kernel_pt.enc_mask = (uint64_t)boot_cbit_hi << 32; /* the C-bit on SEV, else 0 */
	uint64_t text = (uint64_t)(uintptr_t)__text_end, ro = (uint64_t)(uintptr_t)__rodata_end;
	/* W^X: text read-only executable, rodata read-only, data/bss writable. */
	map_or_panic(img, virt_to_phys(__image_start), text - img, PTE_G);
	map_or_panic(text, virt_to_phys(__text_end), ro - text, PTE_G | PTE_NX);
	map_or_panic(ro, virt_to_phys(__rodata_end), heap_va - ro, PTE_G | PTE_NX | PTE_RW);
	int rc = pt_map_range(&kernel_pt, heap_va, virt_to_phys(addr_to_ptr(heap_va)),
			      heap_end_va - heap_va, PTE_G | PTE_NX | PTE_RW);
	if (rc)
		panic("mm: heap mapping failed: %d", rc);
}

void *mm_vmap(uint64_t pa, size_t size, uint64_t flags)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	spin_lock(&map_lock);
	uint64_t va = vmap_next;
	int rc = pt_map(&kernel_pt, va, pa, size, PAGE_SIZE, flags);
	if (!rc)
		vmap_next += size;
	spin_unlock(&map_lock);
	return rc ? NULL : addr_to_ptr(va);
}

volatile uint32_t *mm_map_mmio(uint64_t pa, size_t size)
{
	return mm_vmap(pa, size, PTE_RW | PTE_NX | PTE_PCD | PTE_PWT | PT_FLAG_SHARED);
}

struct flush_range {
	uint64_t va, size;
};

static void flush_local(void *arg)
{
	const struct flush_range *r = arg;
	for (uint64_t off = 0; off < r->size; off += PAGE_SIZE)
		invlpg(r->va + off);
}

void mm_vunmap(void *va, size_t size)
{
	/* Global: the flush request is read by other CPUs, so it cannot live on this stack. */
	static struct flush_range range;
	static struct spinlock flush_lock = SPINLOCK_INIT;
	size = ALIGN_UP(size, PAGE_SIZE);
	spin_lock(&flush_lock);
	spin_lock(&map_lock);
	for (uint64_t off = 0; off < size; off += PAGE_SIZE)
		BUG_ON(pt_unmap(&kernel_pt, (uint64_t)(uintptr_t)va + off));
	spin_unlock(&map_lock);
	range.va = (uint64_t)(uintptr_t)va;
	range.size = size;
	/* TLB shootdown: CPUs are either idle in their mailbox loop or the caller. */
	smp_call_all(flush_local, &range);
	spin_unlock(&flush_lock);
}

void mm_get_stats(struct mm_stats *s)
{
	s->image_bytes = (uintptr_t)__image_end - (uintptr_t)__image_start;
	s->region_bytes = SVSM_REGION_SIZE;
	s->heap_used_bytes = (kernel_buddy.npages - kernel_buddy.free_pages) * PAGE_SIZE;
	spin_lock(&pool_lock);
	s->private_used_bytes = bitmap_count(pool_map, POOL_FRAMES) * PAGE_SIZE;
	spin_unlock(&pool_lock);
}

/*
 * Per-CPU 2 MiB windows for instructions that take a 2 MiB-aligned virtual address
 * (PVALIDATE/RMPADJUST with the 2 MiB size, APM vol. 3). Slots are reserved once in the
 * global area; only the owning CPU maps and uses its slot, so a local INVLPG suffices.
 */
static uint64_t window_2m_base;

void *mm_window_2m_map(unsigned int cpu, uint64_t pa)
{
	if (cpu >= MAX_CPUS || !IS_ALIGNED(pa, 0x200000ull))
		return NULL;
	spin_lock(&map_lock);
	if (!window_2m_base) {
		window_2m_base = ALIGN_UP(vmap_next, 0x200000ull);
		vmap_next = window_2m_base + (uint64_t)MAX_CPUS * 0x200000ull;
	}
	uint64_t va = window_2m_base + (uint64_t)cpu * 0x200000ull;
	int rc = pt_map(&kernel_pt, va, pa, 0x200000ull, 0x200000ull, PTE_RW | PTE_NX);
	spin_unlock(&map_lock);
	return rc ? NULL : addr_to_ptr(va);
}

void mm_window_2m_unmap(void *va)
{
	spin_lock(&map_lock);
	BUG_ON(pt_unmap(&kernel_pt, (uint64_t)(uintptr_t)va));
	spin_unlock(&map_lock);
	invlpg((uint64_t)(uintptr_t)va);
}
