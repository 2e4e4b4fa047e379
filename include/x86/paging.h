/* SPDX-License-Identifier: MIT */
/*
 * 4-level long-mode paging: AMD64 APM vol 2 §5.3 (figures 5-17..5-25, 4-Kbyte and 2-Mbyte
 * translation) and §5.4 (page-translation-table entry fields).
 */
#ifndef X86_PAGING_H
#define X86_PAGING_H

#include "x86/const.h"

#define PAGE_SHIFT	 12
#define PAGE_SIZE	 (X86_ULL(1) << PAGE_SHIFT)
#define LARGE_PAGE_SHIFT 21
#define LARGE_PAGE_SIZE	 (X86_ULL(1) << LARGE_PAGE_SHIFT)
#define HUGE_PAGE_SHIFT	 30
#define PT_ENTRIES	 512

/* Entry fields, APM vol 2 §5.4.1. */
#define PTE_P		 X86_ULL(0x1)
#define PTE_RW		 X86_ULL(0x2)
#define PTE_US		 X86_ULL(0x4)
#define PTE_PWT		 X86_ULL(0x8)
#define PTE_PCD		 X86_ULL(0x10)
#define PTE_A		 X86_ULL(0x20)
#define PTE_D		 X86_ULL(0x40)
#define PTE_PS		 X86_ULL(0x80) /* in PDE/PDPE: maps a 2M/1G page */
#define PTE_G		 X86_ULL(0x100)
#define PTE_NX		 X86_ULL(0x8000000000000000)
/* Physical-address field: bits 51:12 (APM vol 2 §5.3.3, max 52-bit physical addresses). */
#define PTE_ADDR_MASK	 X86_ULL(0x000ffffffffff000)
#define PTE_ADDR_MASK_2M X86_ULL(0x000fffffffe00000)

/* Index of VA bits per level: PML4 47:39, PDPT 38:30, PD 29:21, PT 20:12. */
#define PT_LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * ((level)-1))

#endif /* X86_PAGING_H */
