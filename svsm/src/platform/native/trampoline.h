/* SPDX-License-Identifier: MIT */
/* Native AP trampoline parameter block (shared by trampoline.S and start_cpu.c). */
#ifndef SVSM_NATIVE_TRAMPOLINE_H
#define SVSM_NATIVE_TRAMPOLINE_H

#include "svsmk/layout.h"

#define TRAMP_PARAMS_OFFSET  0xf00
#define TRAMP_PARAMS_PA	     (NATIVE_TRAMPOLINE_PA + TRAMP_PARAMS_OFFSET)
#define TRAMP_PARAM_BOOT_CR3 0	/* boot page tables (identity + kernel), below 4 GiB */
#define TRAMP_PARAM_ENTRY    8	/* native_ap_high, kernel VA */
#define TRAMP_PARAM_CR3	     16 /* the CPU's own page tables */
#define TRAMP_PARAM_RSP	     24
#define TRAMP_PARAM_RIP	     32
#define TRAMP_PARAM_ARG	     40

#ifndef __ASSEMBLER__
#include <stdint.h>
struct tramp_params {
	uint64_t boot_cr3;
	uint64_t entry;
	uint64_t cr3;
	uint64_t rsp;
	uint64_t rip;
	uint64_t arg;
};
_Static_assert(__builtin_offsetof(struct tramp_params, arg) == TRAMP_PARAM_ARG, "layout");
extern const char trampoline_start[], trampoline_end[];
void native_ap_high(void);
#endif

#endif /* SVSM_NATIVE_TRAMPOLINE_H */
