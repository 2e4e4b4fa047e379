/* SPDX-License-Identifier: MIT */
/*
 * snp-guest #VC handler (vc-entry.S, 31-vc.c, 32-vc-nae.c): the frame the
 * entry stub passes to vc_handle(). Test-guest choices, not ABI.
 */
#ifndef SNP_GUEST_VC_H
#define SNP_GUEST_VC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib.h"

/* CR2, then PUSHAD order reversed (lowest address first), then the CPU's. */
struct vc_frame {
	uint32_t cr2;
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	uint32_t error_code; /* the SVM exit code (APM vol. 2 15.35.5) */
	uint32_t eip, cs, eflags;
};

void vc_handle(struct vc_frame *f);

/*
 * 32-vc-nae.c: resolve a Non-Automatic Exit through the GHCB once
 * vc_nae_ready(); returns false if it is not one it handles.
 */
int vc_nae(struct vc_frame *f);

/*
 * Set up paging, the #VC handler, the GHCB (in paging.h's shared window)
 * and the console through it. A guest where port I/O raises #VC from the
 * first instruction (started from snp-guest.igvm) calls this before any
 * output. False if the hypervisor refused the GHCB.
 */
bool vc_nae_console_init(const struct snp_guest_env *env);

#endif
