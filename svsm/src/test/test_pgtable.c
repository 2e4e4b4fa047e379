// SPDX-License-Identifier: MIT
/* In-SVSM page-table tests: the live kernel mappings and a scratch table. */
#include <x86/paging.h>
#include "svsmk/guest_access.h"
#include "svsmk/kmalloc.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/smp.h"
#include "svsmk/test.h"

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
static int some_data = 5;

SVSM_TEST(kernel_mappings_wx)
{
	const struct pgtable *pt = &this_cpu()->shared->pt;
	uint64_t pa, flags, size;
	KT_ASSERT_EQ(pt_lookup(pt, (uint64_t)(uintptr_t)__image_start, &pa, &flags, &size), 0);
	KT_ASSERT_EQ(pa, svsm_load_pa);
	KT_ASSERT(!(flags & PTE_RW) && !(flags & PTE_NX));
	KT_ASSERT_EQ(pt_lookup(pt, (uint64_t)(uintptr_t)__text_end, &pa, &flags, &size), 0);
	KT_ASSERT(!(flags & PTE_RW) && (flags & PTE_NX));
	KT_ASSERT_EQ(pt_lookup(pt, (uint64_t)(uintptr_t)&some_data, &pa, &flags, &size), 0);
	KT_ASSERT((flags & PTE_RW) && (flags & PTE_NX));
	KT_ASSERT_EQ(pa, virt_to_phys(&some_data));
}

SVSM_TEST(heap_uses_2m_and_4k_pages)
{
	const struct pgtable *pt = &this_cpu()->shared->pt;
	uint64_t pa, size;
	/* The region's second 2 MiB is heap mapped with one 2M page. */
	KT_ASSERT_EQ(pt_lookup(pt, KERNEL_VBASE + LARGE_PAGE_SIZE + 0x1234, &pa, NULL, &size), 0);
	KT_ASSERT_EQ(size, LARGE_PAGE_SIZE);
	KT_ASSERT_EQ(pa, svsm_load_pa + LARGE_PAGE_SIZE + 0x1234);
	/* Just after the image, before the first 2 MiB boundary: 4K pages. */
	uint64_t after = ALIGN_UP((uint64_t)(uintptr_t)__image_end, PAGE_SIZE);
	KT_ASSERT_EQ(pt_lookup(pt, after, &pa, NULL, &size), 0);
	KT_ASSERT_EQ(size, PAGE_SIZE);
	/* The private pool is in no global mapping. */
	KT_ASSERT_EQ(pt_lookup(pt, (uint64_t)(uintptr_t)phys_to_virt(private_pool_base()), NULL,
			       NULL, NULL),
		     -ENOENT);
}

SVSM_TEST(scratch_table_map_unmap)
{
	struct pgtable pt = {0, &kernel_pt_ops, kernel_pt.enc_mask};
	void *root = alloc_page_zeroed();
	KT_ASSERT(root != NULL);
	pt.root_pa = virt_to_phys(root);
	KT_ASSERT_EQ(pt_map(&pt, 0x40000000, 0x200000, LARGE_PAGE_SIZE, LARGE_PAGE_SIZE, PTE_RW),
		     0);
	KT_ASSERT_EQ(pt_map(&pt, 0x40200000, 0x5000, PAGE_SIZE, PAGE_SIZE, 0), 0);
	KT_ASSERT_EQ(pt_map(&pt, 0x40200000, 0x6000, PAGE_SIZE, PAGE_SIZE, 0), -EEXIST);
	uint64_t pa, size;
	KT_ASSERT_EQ(pt_lookup(&pt, 0x40100000, &pa, NULL, &size), 0);
	KT_ASSERT_EQ(pa, 0x300000);
	KT_ASSERT_EQ(size, LARGE_PAGE_SIZE);
	KT_ASSERT_EQ(pt_unmap(&pt, 0x40200000), 0);
	KT_ASSERT_EQ(pt_lookup(&pt, 0x40200000, NULL, NULL, NULL), -ENOENT);
	/* Free the tables: walk PML4 -> PDPT -> PD -> PT (only index paths we used). */
	uint64_t *pml4 = root;
	uint64_t *pdpt = phys_to_virt(pml4[0] & PTE_ADDR_MASK);
	uint64_t *pd = phys_to_virt(pdpt[1] & PTE_ADDR_MASK);
	free_pages(phys_to_virt(pd[1] & PTE_ADDR_MASK), 0);
	free_pages(pd, 0);
	free_pages(pdpt, 0);
	free_pages(root, 0);
}

SVSM_TEST(temp_window_roundtrip)
{
	uint64_t gpa = 0x200000; /* guest RAM, not SVSM memory */
	char *w = percpu_map_temp(gpa, true);
	KT_ASSERT(w != NULL);
	uint64_t pa;
	KT_ASSERT_EQ(pt_lookup(&this_cpu()->shared->pt, (uint64_t)(uintptr_t)w, &pa, NULL, NULL),
		     0);
	KT_ASSERT_EQ(pa, gpa);
	for (int i = 0; i < 64; i++)
		w[i] = (char)(i * 3);
	percpu_unmap_temp(w);
	char back[64];
	KT_ASSERT_EQ(copy_from_guest(back, gpa, sizeof(back)), 0);
	for (int i = 0; i < 64; i++)
		KT_ASSERT_EQ((unsigned char)back[i], (unsigned char)(i * 3));
	/* Unmapped again: touching the window now faults (caught by the fixup). */
	uint64_t v;
	KT_ASSERT_EQ(read_u64_safe(w, &v), -EFAULT);
	/* Across a page boundary. */
	char out[16] = "cross-page-copy", in[16] = {0};
	KT_ASSERT_EQ(copy_to_guest(gpa + 4096 - 7, out, sizeof(out)), 0);
	KT_ASSERT_EQ(copy_from_guest(in, gpa + 4096 - 7, sizeof(in)), 0);
	KT_ASSERT_EQ(in[10], out[10]);
	KT_ASSERT_EQ(in[15], 0);
}

static void *vmapped;
static volatile int vmap_rc[MAX_CPUS];
static volatile uint64_t vmap_val[MAX_CPUS];

static void read_vmapped(void *arg)
{
	(void)arg;
	uint64_t v = 0;
	uint32_t me = smp_this_index();
	vmap_rc[me] = read_u64_safe(vmapped, &v);
	vmap_val[me] = v;
}

SVSM_TEST(global_vmap_and_tlb_shootdown)
{
	static const uint64_t gpa = 0x400000, magic = 0x676c6f62616c2121ULL;
	KT_ASSERT_EQ(copy_to_guest(gpa, &magic, sizeof(magic)), 0);
	vmapped = mm_vmap(gpa, PAGE_SIZE, PTE_NX);
	KT_ASSERT(vmapped != NULL);
	/* Every CPU sees the new global mapping (and caches it in its TLB). */
	smp_call_all(read_vmapped, NULL);
	for (uint32_t i = 0; i < nr_cpus; i++) {
		KT_ASSERT_EQ(vmap_rc[i], 0);
		KT_ASSERT_EQ(vmap_val[i], magic);
	}
	/* After unmap + shootdown no CPU can still read it through a stale TLB entry. */
	mm_vunmap(vmapped, PAGE_SIZE);
	smp_call_all(read_vmapped, NULL);
	for (uint32_t i = 0; i < nr_cpus; i++)
		KT_ASSERT_EQ(vmap_rc[i], -EFAULT);
}
