/* SPDX-License-Identifier: MIT */
/* A VMSA that starts in this vCPU's own flat 32-bit environment (used by the tests that
 * start another context from a VMSA: 41-ghcb-nae.c, 50-vmpl.c). */
#ifndef SNP_GUEST_VMSA_FLAT32_H
#define SNP_GUEST_VMSA_FLAT32_H

#include <stdint.h>

struct sev_vmsa;

/* Zero @v, then fill it from the current GDT/IDT/CR0/CR3/CR4/EFER (EFER.SVME set) with
 * flat 32-bit segments, SNP active, architectural reset values for DR6/DR7/PAT/XCR0/
 * MXCSR/x87, and the given start point, at @vmpl, CPL 0. */
void vmsa_flat32(struct sev_vmsa *v, uint32_t rip, uint32_t rsp, unsigned int vmpl);

#endif
