/* SPDX-License-Identifier: MIT */
/*
 * VM Save Area (VMSA): the encrypted per-vCPU register state page of an
 * SEV-ES / SEV-SNP guest.
 *
 * Source: AMD64 Architecture Programmer's Manual vol. 2 (pub. 24593),
 * Appendix B, Table B-4 "VMSA Layout, State Save Area for SEV-ES", Table B-1
 * (segment attribute format, shared with the plain VMCB save area), and
 * section 15.35.x "SEV_FEATURES" (VMSA offset 3B0h).
 *
 * The APM text itself is not in our reference corpora; every offset below was
 * cross-checked against three independent readings of Table B-4 (Linux
 * arch/x86/include/asm/svm.h struct sev_es_save_area, COCONUT-SVSM
 * cpuarch/src/vmsa.rs, OpenVMM x86defs snp.rs). Where they name or cover a
 * field differently it is noted at the field.
 *
 * Layout only: no bitfields, fixed-width types, every offset asserted.
 */
#ifndef SEV_VMSA_H
#define SEV_VMSA_H

#include <stddef.h>
#include <stdint.h>

/* The VMSA occupies exactly one 4 KiB page (APM vol. 2, 15.35.x). */
#define SEV_VMSA_SIZE 4096u

/*
 * Segment register in the save area (APM vol. 2, Table B-1/B-4): selector,
 * compressed attribute, 32-bit limit, 64-bit base.
 */
struct sev_vmsa_seg {
	uint16_t selector; /* 00h */
	uint16_t attrib;   /* 02h: see SEV_SEG_ATTR_* */
	uint32_t limit;	   /* 04h */
	uint64_t base;	   /* 08h */
};

_Static_assert(sizeof(struct sev_vmsa_seg) == 16, "vmsa segment size");
_Static_assert(offsetof(struct sev_vmsa_seg, selector) == 0x0, "seg selector");
_Static_assert(offsetof(struct sev_vmsa_seg, attrib) == 0x2, "seg attrib");
_Static_assert(offsetof(struct sev_vmsa_seg, limit) == 0x4, "seg limit");
_Static_assert(offsetof(struct sev_vmsa_seg, base) == 0x8, "seg base");

/*
 * Segment attribute (APM vol. 2, 15.5.1 / Table B-1): descriptor bits 47:40
 * land in attrib 7:0 and descriptor bits 55:52 in attrib 11:8.
 */
#define SEV_SEG_ATTR_TYPE_MASK 0x000fu /* descriptor type, bits 3:0 */
#define SEV_SEG_ATTR_S	       0x0010u /* code/data (1) vs system (0) */
#define SEV_SEG_ATTR_DPL_SHIFT 5
#define SEV_SEG_ATTR_DPL_MASK  0x0060u
#define SEV_SEG_ATTR_P	       0x0080u /* present */
#define SEV_SEG_ATTR_AVL       0x0100u
#define SEV_SEG_ATTR_L	       0x0200u /* 64-bit code segment */
#define SEV_SEG_ATTR_DB	       0x0400u /* default operand size */
#define SEV_SEG_ATTR_G	       0x0800u /* granularity */

/* Convert a raw 8-byte GDT descriptor into the compressed attribute form. */
static inline uint16_t sev_seg_attr_from_descriptor(uint64_t desc)
{
	return (uint16_t)(((desc >> 40) & 0xffu) | ((desc >> 44) & 0xf00u));
}

/*
 * SEV_FEATURES (VMSA offset 3B0h; APM vol. 2, 15.35, "SEV_FEATURES").
 * Bit n here is reported as SEV_STATUS bit n+2 (see sev/sev-status.h).
 */
#define SEV_FEAT_SNP_ACTIVE	      (1ull << 0)
#define SEV_FEAT_VIRTUAL_TOM	      (1ull << 1)
#define SEV_FEAT_REFLECT_VC	      (1ull << 2)
#define SEV_FEAT_RESTRICTED_INJECTION (1ull << 3)
#define SEV_FEAT_ALTERNATE_INJECTION  (1ull << 4)
#define SEV_FEAT_DEBUG_SWAP	      (1ull << 5)
#define SEV_FEAT_PREVENT_HOST_IBS     (1ull << 6)
#define SEV_FEAT_BTB_ISOLATION	      (1ull << 7)
#define SEV_FEAT_VMPL_SSS	      (1ull << 8)
#define SEV_FEAT_SECURE_TSC	      (1ull << 9)
#define SEV_FEAT_VMGEXIT_PARAMETER    (1ull << 10)
/* Bit 11: OpenVMM names it PmcVirtualization; Linux (SEV_STATUS bit 13) keeps it reserved. */
#define SEV_FEAT_PMC_VIRT	      (1ull << 11)
#define SEV_FEAT_IBS_VIRT	      (1ull << 12)
/* Bit 13 reserved. */
#define SEV_FEAT_VMSA_REG_PROT	      (1ull << 14)
#define SEV_FEAT_SMT_PROTECTION	      (1ull << 15)
#define SEV_FEAT_SECURE_AVIC	      (1ull << 16)
/* Bits 20:17 reserved. */
#define SEV_FEAT_IBPB_ON_ENTRY	      (1ull << 21)

/*
 * VINTR_CTRL (offset 3B8h), same encoding as the VMCB V_INTR control fields
 * (APM vol. 2, Table B-1 offset 60h) plus the VMSA busy bit.
 */
#define SEV_VINTR_V_TPR_MASK	      0xffull
#define SEV_VINTR_V_IRQ		      (1ull << 8)
#define SEV_VINTR_V_GIF		      (1ull << 9)
#define SEV_VINTR_INT_SHADOW	      (1ull << 10)
#define SEV_VINTR_V_NMI		      (1ull << 11)
#define SEV_VINTR_V_NMI_MASK	      (1ull << 12)
#define SEV_VINTR_V_INTR_PRIO_SHIFT   16
#define SEV_VINTR_V_INTR_PRIO_MASK    (0xfull << 16)
#define SEV_VINTR_V_IGN_TPR	      (1ull << 20)
#define SEV_VINTR_V_NMI_ENABLE	      (1ull << 26)
#define SEV_VINTR_V_INTR_VECTOR_SHIFT 32
#define SEV_VINTR_V_INTR_VECTOR_MASK  (0xffull << 32)
#define SEV_VINTR_BUSY		      (1ull << 63)

/*
 * EVENTINJ / EXITINTINFO format (APM vol. 2, 15.20 "Event Injection"),
 * used by the VMSA EVENT_INJ (3E0h) and GUEST_EXITINTINFO (3A0h) fields.
 */
#define SEV_EVENTINJ_VECTOR_MASK   0xffull
#define SEV_EVENTINJ_TYPE_SHIFT	   8
#define SEV_EVENTINJ_TYPE_MASK	   (0x7ull << 8)
#define SEV_EVENTINJ_TYPE_INTR	   0u
#define SEV_EVENTINJ_TYPE_NMI	   2u
#define SEV_EVENTINJ_TYPE_EXCEPT   3u
#define SEV_EVENTINJ_TYPE_SOFT	   4u
#define SEV_EVENTINJ_EV		   (1ull << 11) /* error code valid */
#define SEV_EVENTINJ_VALID	   (1ull << 31)
#define SEV_EVENTINJ_ERRCODE_SHIFT 32

/* Values hardware leaves in GUEST_EXIT_CODE (3C0h) (APM vol. 2, 15.35). */
#define SEV_VMSA_EXIT_INVALID 0xffffffffffffffffull /* VMRUN consistency failure */
#define SEV_VMSA_EXIT_BUSY    0xfffffffffffffffeull /* VMSA in use by another CPU */

/* APM vol. 2, Table B-4. Offsets in the trailing comments. */
struct sev_vmsa {
	struct sev_vmsa_seg es;	   /* 000h */
	struct sev_vmsa_seg cs;	   /* 010h */
	struct sev_vmsa_seg ss;	   /* 020h */
	struct sev_vmsa_seg ds;	   /* 030h */
	struct sev_vmsa_seg fs;	   /* 040h */
	struct sev_vmsa_seg gs;	   /* 050h */
	struct sev_vmsa_seg gdtr;  /* 060h */
	struct sev_vmsa_seg ldtr;  /* 070h */
	struct sev_vmsa_seg idtr;  /* 080h */
	struct sev_vmsa_seg tr;	   /* 090h */
	uint64_t pl0_ssp;	   /* 0A0h */
	uint64_t pl1_ssp;	   /* 0A8h */
	uint64_t pl2_ssp;	   /* 0B0h */
	uint64_t pl3_ssp;	   /* 0B8h */
	uint64_t u_cet;		   /* 0C0h */
	uint8_t reserved_0c8[2];   /* 0C8h */
	uint8_t vmpl;		   /* 0CAh */
	uint8_t cpl;		   /* 0CBh */
	uint8_t reserved_0cc[4];   /* 0CCh */
	uint64_t efer;		   /* 0D0h */
	uint8_t reserved_0d8[104]; /* 0D8h */
	uint64_t xss;		   /* 140h */
	uint64_t cr4;		   /* 148h */
	uint64_t cr3;		   /* 150h */
	uint64_t cr0;		   /* 158h */
	uint64_t dr7;		   /* 160h */
	uint64_t dr6;		   /* 168h */
	uint64_t rflags;	   /* 170h */
	uint64_t rip;		   /* 178h */
	uint64_t dr0;		   /* 180h */
	uint64_t dr1;		   /* 188h */
	uint64_t dr2;		   /* 190h */
	uint64_t dr3;		   /* 198h */
	uint64_t dr0_addr_mask;	   /* 1A0h */
	uint64_t dr1_addr_mask;	   /* 1A8h */
	uint64_t dr2_addr_mask;	   /* 1B0h */
	uint64_t dr3_addr_mask;	   /* 1B8h */
	uint8_t reserved_1c0[24];  /* 1C0h */
	uint64_t rsp;		   /* 1D8h */
	uint64_t s_cet;		   /* 1E0h */
	uint64_t ssp;		   /* 1E8h */
	uint64_t isst_addr;	   /* 1F0h: interrupt SSP table address */
	uint64_t rax;		   /* 1F8h */
	uint64_t star;		   /* 200h */
	uint64_t lstar;		   /* 208h */
	uint64_t cstar;		   /* 210h */
	uint64_t sfmask;	   /* 218h */
	uint64_t kernel_gs_base;   /* 220h */
	uint64_t sysenter_cs;	   /* 228h */
	uint64_t sysenter_esp;	   /* 230h */
	uint64_t sysenter_eip;	   /* 238h */
	uint64_t cr2;		   /* 240h */
	uint8_t reserved_248[32];  /* 248h */
	uint64_t g_pat;		   /* 268h */
	uint64_t dbgctl;	   /* 270h */
	uint64_t br_from;	   /* 278h */
	uint64_t br_to;		   /* 280h */
	uint64_t last_excp_from;   /* 288h */
	uint64_t last_excp_to;	   /* 290h */
	uint8_t reserved_298[72];  /* 298h */
	/* 2E0h: Linux folds this into reserved space; OpenVMM names it SPEC_CTRL. */
	uint64_t spec_ctrl;
	uint32_t pkru; /* 2E8h */
	/* 2ECh: TSC_AUX per Linux/OpenVMM; COCONUT-SVSM leaves it reserved. */
	uint32_t tsc_aux;
	uint64_t guest_tsc_scale;     /* 2F0h: Secure TSC (SEV_FEAT_SECURE_TSC) */
	uint64_t guest_tsc_offset;    /* 2F8h: Secure TSC */
	uint64_t reg_prot_nonce;      /* 300h: VMSA register protection */
	uint64_t rcx;		      /* 308h */
	uint64_t rdx;		      /* 310h */
	uint64_t rbx;		      /* 318h */
	uint64_t reserved_320;	      /* 320h: RSP lives at 1D8h */
	uint64_t rbp;		      /* 328h */
	uint64_t rsi;		      /* 330h */
	uint64_t rdi;		      /* 338h */
	uint64_t r8;		      /* 340h */
	uint64_t r9;		      /* 348h */
	uint64_t r10;		      /* 350h */
	uint64_t r11;		      /* 358h */
	uint64_t r12;		      /* 360h */
	uint64_t r13;		      /* 368h */
	uint64_t r14;		      /* 370h */
	uint64_t r15;		      /* 378h */
	uint8_t reserved_380[16];     /* 380h */
	uint64_t guest_exit_info_1;   /* 390h */
	uint64_t guest_exit_info_2;   /* 398h */
	uint64_t guest_exit_int_info; /* 3A0h: SEV_EVENTINJ_* format */
	uint64_t guest_nrip;	      /* 3A8h */
	uint64_t sev_features;	      /* 3B0h: SEV_FEAT_* */
	uint64_t vintr_ctrl;	      /* 3B8h: SEV_VINTR_* */
	uint64_t guest_exit_code;     /* 3C0h */
	uint64_t virtual_tom;	      /* 3C8h */
	uint64_t tlb_id;	      /* 3D0h */
	uint64_t pcpu_id;	      /* 3D8h */
	uint64_t event_inj;	      /* 3E0h: SEV_EVENTINJ_* format */
	uint64_t xcr0;		      /* 3E8h */
	/* 3F0h: reserved per Linux/COCONUT; OpenVMM calls it the x87 valid bitmap. */
	uint8_t reserved_3f0[16];
	uint64_t x87_dp;	    /* 400h */
	uint32_t mxcsr;		    /* 408h */
	uint16_t x87_ftw;	    /* 40Ch */
	uint16_t x87_fsw;	    /* 40Eh */
	uint16_t x87_fcw;	    /* 410h */
	uint16_t x87_fop;	    /* 412h */
	uint16_t x87_ds;	    /* 414h */
	uint16_t x87_cs;	    /* 416h */
	uint64_t x87_rip;	    /* 418h */
	uint8_t fpreg_x87[80];	    /* 420h: ST0-ST7, 10 bytes each */
	uint8_t fpreg_xmm[256];	    /* 470h: XMM0-15 */
	uint8_t fpreg_ymm[256];	    /* 570h: YMM0-15 high halves */
	uint8_t lbr_stack[256];	    /* 670h */
	uint64_t lbr_select;	    /* 770h */
	uint64_t ibs_fetch_ctl;	    /* 778h */
	uint64_t ibs_fetch_linaddr; /* 780h */
	uint64_t ibs_op_ctl;	    /* 788h */
	uint64_t ibs_op_rip;	    /* 790h */
	uint64_t ibs_op_data;	    /* 798h */
	uint64_t ibs_op_data2;	    /* 7A0h */
	uint64_t ibs_op_data3;	    /* 7A8h */
	uint64_t ibs_dc_linaddr;    /* 7B0h */
	uint64_t bp_ibstgt_rip;	    /* 7B8h */
	uint64_t ic_ibs_extd_ctl;   /* 7C0h */
	uint8_t reserved_7c8[2104]; /* 7C8h..FFFh */
};

_Static_assert(sizeof(struct sev_vmsa) == SEV_VMSA_SIZE, "VMSA is one page");
_Static_assert(offsetof(struct sev_vmsa, es) == 0x000, "vmsa es");
_Static_assert(offsetof(struct sev_vmsa, cs) == 0x010, "vmsa cs");
_Static_assert(offsetof(struct sev_vmsa, ss) == 0x020, "vmsa ss");
_Static_assert(offsetof(struct sev_vmsa, ds) == 0x030, "vmsa ds");
_Static_assert(offsetof(struct sev_vmsa, fs) == 0x040, "vmsa fs");
_Static_assert(offsetof(struct sev_vmsa, gs) == 0x050, "vmsa gs");
_Static_assert(offsetof(struct sev_vmsa, gdtr) == 0x060, "vmsa gdtr");
_Static_assert(offsetof(struct sev_vmsa, ldtr) == 0x070, "vmsa ldtr");
_Static_assert(offsetof(struct sev_vmsa, idtr) == 0x080, "vmsa idtr");
_Static_assert(offsetof(struct sev_vmsa, tr) == 0x090, "vmsa tr");
_Static_assert(offsetof(struct sev_vmsa, pl0_ssp) == 0x0a0, "vmsa pl0_ssp");
_Static_assert(offsetof(struct sev_vmsa, pl1_ssp) == 0x0a8, "vmsa pl1_ssp");
_Static_assert(offsetof(struct sev_vmsa, pl2_ssp) == 0x0b0, "vmsa pl2_ssp");
_Static_assert(offsetof(struct sev_vmsa, pl3_ssp) == 0x0b8, "vmsa pl3_ssp");
_Static_assert(offsetof(struct sev_vmsa, u_cet) == 0x0c0, "vmsa u_cet");
_Static_assert(offsetof(struct sev_vmsa, reserved_0c8) == 0x0c8, "vmsa reserved_0c8");
_Static_assert(offsetof(struct sev_vmsa, vmpl) == 0x0ca, "vmsa vmpl");
_Static_assert(offsetof(struct sev_vmsa, cpl) == 0x0cb, "vmsa cpl");
_Static_assert(offsetof(struct sev_vmsa, reserved_0cc) == 0x0cc, "vmsa reserved_0cc");
_Static_assert(offsetof(struct sev_vmsa, efer) == 0x0d0, "vmsa efer");
_Static_assert(offsetof(struct sev_vmsa, reserved_0d8) == 0x0d8, "vmsa reserved_0d8");
_Static_assert(offsetof(struct sev_vmsa, xss) == 0x140, "vmsa xss");
_Static_assert(offsetof(struct sev_vmsa, cr4) == 0x148, "vmsa cr4");
_Static_assert(offsetof(struct sev_vmsa, cr3) == 0x150, "vmsa cr3");
_Static_assert(offsetof(struct sev_vmsa, cr0) == 0x158, "vmsa cr0");
_Static_assert(offsetof(struct sev_vmsa, dr7) == 0x160, "vmsa dr7");
_Static_assert(offsetof(struct sev_vmsa, dr6) == 0x168, "vmsa dr6");
_Static_assert(offsetof(struct sev_vmsa, rflags) == 0x170, "vmsa rflags");
_Static_assert(offsetof(struct sev_vmsa, rip) == 0x178, "vmsa rip");
_Static_assert(offsetof(struct sev_vmsa, dr0) == 0x180, "vmsa dr0");
_Static_assert(offsetof(struct sev_vmsa, dr1) == 0x188, "vmsa dr1");
_Static_assert(offsetof(struct sev_vmsa, dr2) == 0x190, "vmsa dr2");
_Static_assert(offsetof(struct sev_vmsa, dr3) == 0x198, "vmsa dr3");
_Static_assert(offsetof(struct sev_vmsa, dr0_addr_mask) == 0x1a0, "vmsa dr0_addr_mask");
_Static_assert(offsetof(struct sev_vmsa, dr1_addr_mask) == 0x1a8, "vmsa dr1_addr_mask");
_Static_assert(offsetof(struct sev_vmsa, dr2_addr_mask) == 0x1b0, "vmsa dr2_addr_mask");
_Static_assert(offsetof(struct sev_vmsa, dr3_addr_mask) == 0x1b8, "vmsa dr3_addr_mask");
_Static_assert(offsetof(struct sev_vmsa, reserved_1c0) == 0x1c0, "vmsa reserved_1c0");
_Static_assert(offsetof(struct sev_vmsa, rsp) == 0x1d8, "vmsa rsp");
_Static_assert(offsetof(struct sev_vmsa, s_cet) == 0x1e0, "vmsa s_cet");
_Static_assert(offsetof(struct sev_vmsa, ssp) == 0x1e8, "vmsa ssp");
_Static_assert(offsetof(struct sev_vmsa, isst_addr) == 0x1f0, "vmsa isst_addr");
_Static_assert(offsetof(struct sev_vmsa, rax) == 0x1f8, "vmsa rax");
_Static_assert(offsetof(struct sev_vmsa, star) == 0x200, "vmsa star");
_Static_assert(offsetof(struct sev_vmsa, lstar) == 0x208, "vmsa lstar");
_Static_assert(offsetof(struct sev_vmsa, cstar) == 0x210, "vmsa cstar");
_Static_assert(offsetof(struct sev_vmsa, sfmask) == 0x218, "vmsa sfmask");
_Static_assert(offsetof(struct sev_vmsa, kernel_gs_base) == 0x220, "vmsa kernel_gs_base");
_Static_assert(offsetof(struct sev_vmsa, sysenter_cs) == 0x228, "vmsa sysenter_cs");
_Static_assert(offsetof(struct sev_vmsa, sysenter_esp) == 0x230, "vmsa sysenter_esp");
_Static_assert(offsetof(struct sev_vmsa, sysenter_eip) == 0x238, "vmsa sysenter_eip");
_Static_assert(offsetof(struct sev_vmsa, cr2) == 0x240, "vmsa cr2");
_Static_assert(offsetof(struct sev_vmsa, reserved_248) == 0x248, "vmsa reserved_248");
_Static_assert(offsetof(struct sev_vmsa, g_pat) == 0x268, "vmsa g_pat");
_Static_assert(offsetof(struct sev_vmsa, dbgctl) == 0x270, "vmsa dbgctl");
_Static_assert(offsetof(struct sev_vmsa, br_from) == 0x278, "vmsa br_from");
_Static_assert(offsetof(struct sev_vmsa, br_to) == 0x280, "vmsa br_to");
_Static_assert(offsetof(struct sev_vmsa, last_excp_from) == 0x288, "vmsa last_excp_from");
_Static_assert(offsetof(struct sev_vmsa, last_excp_to) == 0x290, "vmsa last_excp_to");
_Static_assert(offsetof(struct sev_vmsa, reserved_298) == 0x298, "vmsa reserved_298");
_Static_assert(offsetof(struct sev_vmsa, spec_ctrl) == 0x2e0, "vmsa spec_ctrl");
_Static_assert(offsetof(struct sev_vmsa, pkru) == 0x2e8, "vmsa pkru");
_Static_assert(offsetof(struct sev_vmsa, tsc_aux) == 0x2ec, "vmsa tsc_aux");
_Static_assert(offsetof(struct sev_vmsa, guest_tsc_scale) == 0x2f0, "vmsa guest_tsc_scale");
_Static_assert(offsetof(struct sev_vmsa, guest_tsc_offset) == 0x2f8, "vmsa guest_tsc_offset");
_Static_assert(offsetof(struct sev_vmsa, reg_prot_nonce) == 0x300, "vmsa reg_prot_nonce");
_Static_assert(offsetof(struct sev_vmsa, rcx) == 0x308, "vmsa rcx");
_Static_assert(offsetof(struct sev_vmsa, rdx) == 0x310, "vmsa rdx");
_Static_assert(offsetof(struct sev_vmsa, rbx) == 0x318, "vmsa rbx");
_Static_assert(offsetof(struct sev_vmsa, reserved_320) == 0x320, "vmsa reserved_320");
_Static_assert(offsetof(struct sev_vmsa, rbp) == 0x328, "vmsa rbp");
_Static_assert(offsetof(struct sev_vmsa, rsi) == 0x330, "vmsa rsi");
_Static_assert(offsetof(struct sev_vmsa, rdi) == 0x338, "vmsa rdi");
_Static_assert(offsetof(struct sev_vmsa, r8) == 0x340, "vmsa r8");
_Static_assert(offsetof(struct sev_vmsa, r9) == 0x348, "vmsa r9");
_Static_assert(offsetof(struct sev_vmsa, r10) == 0x350, "vmsa r10");
_Static_assert(offsetof(struct sev_vmsa, r11) == 0x358, "vmsa r11");
_Static_assert(offsetof(struct sev_vmsa, r12) == 0x360, "vmsa r12");
_Static_assert(offsetof(struct sev_vmsa, r13) == 0x368, "vmsa r13");
_Static_assert(offsetof(struct sev_vmsa, r14) == 0x370, "vmsa r14");
_Static_assert(offsetof(struct sev_vmsa, r15) == 0x378, "vmsa r15");
_Static_assert(offsetof(struct sev_vmsa, reserved_380) == 0x380, "vmsa reserved_380");
_Static_assert(offsetof(struct sev_vmsa, guest_exit_info_1) == 0x390, "vmsa exit_info_1");
_Static_assert(offsetof(struct sev_vmsa, guest_exit_info_2) == 0x398, "vmsa exit_info_2");
_Static_assert(offsetof(struct sev_vmsa, guest_exit_int_info) == 0x3a0, "vmsa exit_int_info");
_Static_assert(offsetof(struct sev_vmsa, guest_nrip) == 0x3a8, "vmsa guest_nrip");
_Static_assert(offsetof(struct sev_vmsa, sev_features) == 0x3b0, "vmsa sev_features");
_Static_assert(offsetof(struct sev_vmsa, vintr_ctrl) == 0x3b8, "vmsa vintr_ctrl");
_Static_assert(offsetof(struct sev_vmsa, guest_exit_code) == 0x3c0, "vmsa guest_exit_code");
_Static_assert(offsetof(struct sev_vmsa, virtual_tom) == 0x3c8, "vmsa virtual_tom");
_Static_assert(offsetof(struct sev_vmsa, tlb_id) == 0x3d0, "vmsa tlb_id");
_Static_assert(offsetof(struct sev_vmsa, pcpu_id) == 0x3d8, "vmsa pcpu_id");
_Static_assert(offsetof(struct sev_vmsa, event_inj) == 0x3e0, "vmsa event_inj");
_Static_assert(offsetof(struct sev_vmsa, xcr0) == 0x3e8, "vmsa xcr0");
_Static_assert(offsetof(struct sev_vmsa, reserved_3f0) == 0x3f0, "vmsa reserved_3f0");
_Static_assert(offsetof(struct sev_vmsa, x87_dp) == 0x400, "vmsa x87_dp");
_Static_assert(offsetof(struct sev_vmsa, mxcsr) == 0x408, "vmsa mxcsr");
_Static_assert(offsetof(struct sev_vmsa, x87_ftw) == 0x40c, "vmsa x87_ftw");
_Static_assert(offsetof(struct sev_vmsa, x87_fsw) == 0x40e, "vmsa x87_fsw");
_Static_assert(offsetof(struct sev_vmsa, x87_fcw) == 0x410, "vmsa x87_fcw");
_Static_assert(offsetof(struct sev_vmsa, x87_fop) == 0x412, "vmsa x87_fop");
_Static_assert(offsetof(struct sev_vmsa, x87_ds) == 0x414, "vmsa x87_ds");
_Static_assert(offsetof(struct sev_vmsa, x87_cs) == 0x416, "vmsa x87_cs");
_Static_assert(offsetof(struct sev_vmsa, x87_rip) == 0x418, "vmsa x87_rip");
_Static_assert(offsetof(struct sev_vmsa, fpreg_x87) == 0x420, "vmsa fpreg_x87");
_Static_assert(offsetof(struct sev_vmsa, fpreg_xmm) == 0x470, "vmsa fpreg_xmm");
_Static_assert(offsetof(struct sev_vmsa, fpreg_ymm) == 0x570, "vmsa fpreg_ymm");
_Static_assert(offsetof(struct sev_vmsa, lbr_stack) == 0x670, "vmsa lbr_stack");
_Static_assert(offsetof(struct sev_vmsa, lbr_select) == 0x770, "vmsa lbr_select");
_Static_assert(offsetof(struct sev_vmsa, ibs_fetch_ctl) == 0x778, "vmsa ibs_fetch_ctl");
_Static_assert(offsetof(struct sev_vmsa, ibs_fetch_linaddr) == 0x780, "vmsa ibs_fetch_linaddr");
_Static_assert(offsetof(struct sev_vmsa, ibs_op_ctl) == 0x788, "vmsa ibs_op_ctl");
_Static_assert(offsetof(struct sev_vmsa, ibs_op_rip) == 0x790, "vmsa ibs_op_rip");
_Static_assert(offsetof(struct sev_vmsa, ibs_op_data) == 0x798, "vmsa ibs_op_data");
_Static_assert(offsetof(struct sev_vmsa, ibs_op_data2) == 0x7a0, "vmsa ibs_op_data2");
_Static_assert(offsetof(struct sev_vmsa, ibs_op_data3) == 0x7a8, "vmsa ibs_op_data3");
_Static_assert(offsetof(struct sev_vmsa, ibs_dc_linaddr) == 0x7b0, "vmsa ibs_dc_linaddr");
_Static_assert(offsetof(struct sev_vmsa, bp_ibstgt_rip) == 0x7b8, "vmsa bp_ibstgt_rip");
_Static_assert(offsetof(struct sev_vmsa, ic_ibs_extd_ctl) == 0x7c0, "vmsa ic_ibs_extd_ctl");
_Static_assert(offsetof(struct sev_vmsa, reserved_7c8) == 0x7c8, "vmsa reserved_7c8");

#endif /* SEV_VMSA_H */
