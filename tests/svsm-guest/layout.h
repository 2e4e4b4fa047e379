/* SPDX-License-Identifier: MIT */
/* Guest physical layout, shared by C and assembly (identity-mapped, see guest.h). */
#ifndef SVSM_GUEST_LAYOUT_H
#define SVSM_GUEST_LAYOUT_H

#define GUEST_MAX_CPUS	   4
#define GUEST_STACK_SIZE   16384
#define GUEST_SHARED_BASE  0x2200000  /* 2 MiB mapped without the C-bit: the GHCB pages */
#define GUEST_TABLE_BASE   0x4000000  /* 16 MiB: the hostile table's guest layout */
#define GUEST_SCRATCH	   0x6000000  /* pages for the valid calls and the rounds */
#define GUEST_BENCH_BASE   0x40000000 /* 1 GiB PVALIDATEd with 2 MiB pages (bench) */
#define GUEST_CONV_BASE	   0x8000000  /* 128 MiB: the conversion regions, 4 MiB per vCPU */
#define GUEST_CONV_SIZE	   0x400000
#define GUEST_COMMON_FRAME 0x9000000 /* after 4 regions: the 2 MiB frame all vCPUs share */
/* VA 4 GiB maps GPA 0..1 GiB with 2 MiB pages WITHOUT the C-bit: shared accesses to any
 * page below 1 GiB (APM vol. 2 15.34.5: C=0 accesses are shared). */
#define GUEST_SHARED_ALIAS 0x100000000

#endif /* SVSM_GUEST_LAYOUT_H */
