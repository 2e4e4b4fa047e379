// SPDX-License-Identifier: MIT
/*
 * VMSA construction (layout: sev/vmsa.h, APM vol. 2 Table B-4). The guest's BSP at VMPL2
 * starts from the IGVM guest context when there is one, else from the x86 reset state
 * (APM vol. 2, 14.1.3 "Processor Initialization State", Table 14-1). SVSM APs start at
 * VMPL0 directly in 64-bit mode with the BSP's control registers.
 */
#include <sev/vmsa.h>
#include <x86/msr.h>
#include "svsmk/platform.h"
#include "svsmk/snp.h"

/* PAT after reset (APM vol. 2, 7.8.2 "PAT Register": 0007_0406_0007_0406h). */
#define PAT_RESET 0x0007040600070406ull

static void zero(void *p, size_t n)
{
	uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		b[i] = 0;
}

static void seg(struct sev_vmsa_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit,
		uint64_t base)
{
	*s = (struct sev_vmsa_seg){sel, attrib, limit, base};
}

static void reset_state(struct sev_vmsa *v)
{
	/* Table 14-1: CS F000h base FFFF_0000h, IP FFF0h, data segments limit FFFFh. */
	seg(&v->cs, 0xf000, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | 0xb, 0xffff, 0xffff0000ull);
	seg(&v->ds, 0, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | 0x3, 0xffff, 0);
	v->es = v->ss = v->fs = v->gs = v->ds;
	seg(&v->gdtr, 0, 0, 0xffff, 0);
	seg(&v->idtr, 0, 0, 0xffff, 0);
	seg(&v->ldtr, 0, SEV_SEG_ATTR_P | 0x2, 0xffff, 0); /* LDT */
	seg(&v->tr, 0, SEV_SEG_ATTR_P | 0xb, 0xffff, 0);   /* busy TSS */
	v->rip = 0xfff0;
	v->cr0 = 0x60000010; /* CD | NW | ET */
	v->rflags = 0x2;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = PAT_RESET;
	v->xcr0 = 0x1;
	v->mxcsr = 0x1f80;
	v->x87_fcw = 0x37f; /* the FNINIT state, as KVM sets it for SEV-ES VMSAs */
}

void vmsa_guest_ctx32(struct sev_vmsa *v, const struct guest_start32 *st)
{
	zero(v, sizeof(*v));
	reset_state(v);
	/* Flat 4 GiB segments (include/svsm/guest-launch.h): code 08h = P, S, type Bh
	 * (execute/read, accessed), D, G; data 10h = P, S, type 3h (read/write, accessed), B, G. */
	seg(&v->cs, 0x08, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G | 0xb,
	    0xffffffff, 0);
	seg(&v->ds, 0x10, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G | 0x3,
	    0xffffffff, 0);
	v->es = v->ss = v->fs = v->gs = v->ds;
	v->cr0 = 0x11; /* PE | ET: protected mode, paging off, caches on */
	v->rip = st->entry;
	v->rax = st->rax;
	v->rbx = st->rbx;
	v->rcx = st->rcx;
	v->rdx = st->rdx;
	v->rsi = st->rsi;
	v->rdi = st->rdi;
}

void vmsa_build_guest(struct sev_vmsa *v, const struct sev_vmsa *ctx, uint8_t vmpl,
		      uint64_t sev_features)
{
	if (ctx)
		*v = *ctx;
	else {
		zero(v, sizeof(*v));
		reset_state(v);
	}
	v->vmpl = vmpl;
	v->efer |= EFER_SVME; /* required in every SEV-ES/SNP VMSA (APM vol. 2, 15.35.x) */
	v->sev_features = sev_features;
	/* Exit state is the SVSM's business, never the loader's. */
	v->guest_exit_code = 0;
	v->guest_exit_info_1 = v->guest_exit_info_2 = v->guest_exit_int_info = 0;
	v->event_inj = 0;
}

void vmsa_build_svsm_ap(struct sev_vmsa *v, const struct cpu_start_state *st,
			const struct svsm_ap_ctl *ctl)
{
	zero(v, sizeof(*v));
	/* 64-bit code segment: P, S, execute/read accessed (type Bh), L. */
	seg(&v->cs, ctl->cs, SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_L | 0xb, 0xffffffff, 0);
	seg(&v->ds, ctl->ds,
	    SEV_SEG_ATTR_P | SEV_SEG_ATTR_S | SEV_SEG_ATTR_DB | SEV_SEG_ATTR_G | 0x3, 0xffffffff,
	    0);
	v->es = v->ss = v->fs = v->gs = v->ds;
	seg(&v->gdtr, 0, 0, ctl->gdt_limit, ctl->gdt_base);
	seg(&v->idtr, 0, 0, ctl->idt_limit, ctl->idt_base);
	seg(&v->ldtr, 0, SEV_SEG_ATTR_P | 0x2, 0xffff, 0);
	seg(&v->tr, 0, SEV_SEG_ATTR_P | 0xb, 0xffff, 0); /* the AP loads its own TSS */
	v->cr0 = ctl->cr0;
	v->cr3 = st->cr3;
	v->cr4 = ctl->cr4;
	v->efer = ctl->efer | EFER_SVME;
	v->rip = st->rip;
	v->rsp = st->rsp;
	v->rdi = st->arg;
	v->rflags = 0x2;
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->g_pat = ctl->pat;
	v->xcr0 = ctl->xcr0;
	v->mxcsr = 0x1f80;
	v->x87_fcw = 0x37f;
	v->sev_features = ctl->sev_features;
	v->vmpl = 0;
}
