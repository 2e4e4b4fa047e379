/* SPDX-License-Identifier: MIT */
/*
 * PAE paging with the C-bit (paging.h): the C-bit of a page-table entry is an
 * address bit the guest may set, not a reserved bit, and it is not part of
 * the physical address (AMD APM vol. 2 15.34.6); the bits above the physical
 * address width stay reserved (APM vol. 2 5.3.3, #PF with RSV = 1).
 */
#include <stdbool.h>
#include <stdint.h>

#include "x86/cr.h"
#include "x86/paging.h"

#include "lib.h"
#include "paging.h"

/* PAE: a 4-entry PDPT (32-byte aligned), four page directories, one table. */
static uint64_t pdpt[4] __attribute__((aligned(32)));
static uint64_t pd[4][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t pt_4k[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static uint64_t c_bit;
static bool enabled;

/* Filled in by pf_handler (vc-entry.S). */
volatile uint32_t pf_count;
volatile uint32_t pf_error;
volatile uint32_t pf_cr2;
void pf_handler(void);

#define X86_VEC_PF	14
#define PF_ERR_RSV	0x8u   /* APM vol. 2 8.4.2: page-fault error code */
#define PDPTE_PRESENT	0x1ull /* PAE PDPTE: only P, PWT, PCD (APM vol. 2 5.3) */
#define PTE_KERNEL_USER (PTE_P | PTE_RW | PTE_US)

bool paging_enabled(void)
{
	return enabled;
}

uint64_t paging_c_bit(void)
{
	return c_bit;
}

uint32_t paging_4k_table(void)
{
	return (uint32_t)(uintptr_t)pt_4k;
}

static inline void invlpg(uint32_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void paging_map_4k(uint32_t va, uint32_t pa, bool private)
{
	uint32_t idx = (va - PAGING_4K_REGION) >> PAGE_SHIFT;

	pt_4k[idx] = (uint64_t)pa | PTE_KERNEL_USER | (private ? c_bit : 0);
	invlpg(va);
}

void paging_enable(const struct snp_guest_env *env)
{
	uint32_t cr0, cr4;

	if (enabled) {
		return;
	}
	c_bit = env->cbitpos ? 1ull << env->cbitpos : 0;
	for (uint32_t i = 0; i < 4; i++) {
		for (uint32_t j = 0; j < PT_ENTRIES; j++) {
			uint32_t pa = (i << 30) | (j << LARGE_PAGE_SHIFT);

			/* RAM private, device space (above 1 GiB here) shared. */
			pd[i][j] = (uint64_t)pa | PTE_KERNEL_USER | PTE_PS |
				   (pa < PAGING_RAM_TOP ? c_bit : 0);
		}
		/* Page tables live in private memory (15.34.5). */
		pdpt[i] = (uint64_t)(uintptr_t)pd[i] | PDPTE_PRESENT | c_bit;
	}
	for (uint32_t j = 0; j < PT_ENTRIES; j++) {
		uint32_t pa = PAGING_4K_REGION + (j << PAGE_SHIFT);

		pt_4k[j] =
			(uint64_t)pa | PTE_KERNEL_USER | (pa == PAGING_SHARED_WINDOW ? 0 : c_bit);
	}
	pd[0][PAGING_4K_REGION >> LARGE_PAGE_SHIFT] =
		(uint64_t)(uintptr_t)pt_4k | PTE_KERNEL_USER | c_bit;
	set_gate(X86_VEC_PF, pf_handler, 0);

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PAE));
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint32_t)(uintptr_t)pdpt) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
	enabled = true;
}

static volatile uint32_t probe_word = 0x5eb0c0deu;

static void check_paging_on(const struct snp_guest_env *env)
{
	uint32_t cr0;

	paging_enable(env);
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* Still running and reading our data: the C=1 2 MiB leaves map RAM. */
	expect((cr0 & CR0_PG) && probe_word == 0x5eb0c0deu,
	       "PAE paging on: identity map with the C-bit on every RAM leaf", cr0, CR0_PG);
}
SNP_GUEST_TEST(check_paging_on, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_PLAIN | SNP_GUEST_MODE_RMP);

/* Two private 4 KiB mappings of one page: the C-bit is not an address bit. */
static void check_c_bit_alias(const struct snp_guest_env *env)
{
	const uint32_t va_a = PAGING_4K_REGION + 0x10000u, va_b = PAGING_4K_REGION + 0x11000u;
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	volatile uint32_t *a = (volatile uint32_t *)(uintptr_t)va_a;
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	volatile uint32_t *b = (volatile uint32_t *)(uintptr_t)va_b;
	uint32_t before = pf_count;

	paging_enable(env);
	paging_map_4k(va_b, va_a, true);
	*a = 0xc0b17e57u;
	expect(*b == 0xc0b17e57u && pf_count == before,
	       "C-bit stripped from the address: two C=1 mappings reach one page (15.34.6)", *b,
	       0xc0b17e57u);
	paging_map_4k(va_b, va_b, true);
}
SNP_GUEST_TEST(check_c_bit_alias, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP);

/* The bit below the C-bit (above 40 physical-address bits) stays reserved. */
static void check_reserved_bit(const struct snp_guest_env *env)
{
	const uint32_t va = PAGING_4K_REGION + 0x12000u;
	uint32_t before = pf_count, v = 0;

	paging_enable(env);
	if (env->cbitpos < 42) {
		expect(false, "reserved bit below the C-bit: cbitpos too low to test", env->cbitpos,
		       42);
		return;
	}
	pt_4k[(va - PAGING_4K_REGION) >> PAGE_SHIFT] =
		(uint64_t)va | PTE_KERNEL_USER | c_bit | (1ull << (env->cbitpos - 1));
	invlpg(va);
	gp_skip = 2; /* movl (%eax), %ecx: 8B 08 */
	__asm__ volatile("movl (%1), %0" : "=c"(v) : "a"(va) : "memory");
	/*
	 * APM vol. 2 8.4.2: RSV = 1. (Hardware also sets P = 1 for a present
	 * entry; QEMU 10.0's TCG leaves P clear, so P is not checked here.)
	 */
	expect(pf_count == before + 1 && (pf_error & PF_ERR_RSV) && pf_cr2 == va,
	       "a reserved address bit still faults: #PF RSV with CR2 (APM vol. 2 5.3.3)", pf_error,
	       PF_ERR_RSV);
	paging_map_4k(va, va, true);
	(void)v;
}
SNP_GUEST_TEST(check_reserved_bit, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP);
