/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>

#include "sev/sev-status.h"
#include "sev/vmsa.h"
#include "x86/desc.h"
#include "x86/msr.h"

#include "guest.h"
#include "lib.h"
#include "vmsa-flat32.h"

static void seg(struct sev_vmsa_seg *s, uint16_t sel, uint64_t desc)
{
	s->selector = sel;
	s->attrib = sev_seg_attr_from_descriptor(desc);
	s->limit = 0xffffffffu;
	s->base = 0;
}

/* VMSA layout: APM vol. 2 Table B-4 (include/sev/vmsa.h). */
void vmsa_flat32(struct sev_vmsa *v, uint32_t rip, uint32_t rsp, unsigned int vmpl)
{
	struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) gdtr, idtr;
	uint32_t cr0, cr3, cr4;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	__asm__ volatile("mov %%cr0, %0; mov %%cr3, %1; mov %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	for (size_t i = 0; i < sizeof(*v); i++) {
		((volatile uint8_t *)v)[i] = 0;
	}
	seg(&v->cs, KERNEL_CS, DESC_CODE32);
	seg(&v->ds, KERNEL_DS, DESC_DATA32);
	seg(&v->es, KERNEL_DS, DESC_DATA32);
	seg(&v->ss, KERNEL_DS, DESC_DATA32);
	seg(&v->fs, KERNEL_DS, DESC_DATA32);
	seg(&v->gs, KERNEL_DS, DESC_DATA32);
	v->gdtr.base = gdtr.base;
	v->gdtr.limit = gdtr.limit;
	v->idtr.base = idtr.base;
	v->idtr.limit = idtr.limit;
	v->cr0 = cr0;
	v->cr3 = cr3;
	v->cr4 = cr4;
	/* 15.5.1: VMRUN needs EFER.SVME; an SNP VMSA keeps it set. NXE etc. as we run. */
	v->efer = rdmsr(MSR_EFER) | EFER_SVME;
	v->rflags = 0x2;
	v->rip = rip;
	v->rsp = rsp;
	v->vmpl = (uint8_t)vmpl;
	v->cpl = 0;
	v->sev_features = SEV_FEAT_SNP_ACTIVE;
	v->dr6 = 0xffff0ff0u; /* APM vol. 2 Table 14-1 reset values */
	v->dr7 = 0x400u;
	v->g_pat = 0x0007040600070406ull;
	v->xcr0 = 1;
	v->mxcsr = 0x1f80u;
	v->x87_fcw = 0x40u;
	v->x87_ftw = 0x5555u;
}
