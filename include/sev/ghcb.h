/* SPDX-License-Identifier: MIT */
/*
 * Guest-Hypervisor Communication Block (GHCB) page and the exit codes used
 * with it.
 *
 * Source: AMD "SEV-ES Guest-Hypervisor Communication Block Standardization",
 * pub. 56421 (rev. 2.0x):
 *   - section 2.3 "GHCB Layout" (Table 3 for the save-area fields, valid
 *     bitmap, shared buffer, protocol version, usage)
 *   - section 4.1 "Invoking VMGEXIT", 4.1.x "SW_EXITINFO1 return values"
 *   - section 4.1.x / Table 7 "List of Supported Non-Automatic Events" (NAE)
 * Hardware exit codes come from AMD APM vol. 2 (pub. 24593), Appendix C
 * "SVM Intercept Exit Codes".
 *
 * The spec PDF is not in our reference corpora; offsets and values were
 * cross-checked against Linux (arch/x86/include/asm/svm.h ghcb_save_area,
 * uapi/asm/svm.h, sev-common.h), EDK2 MdePkg Register/Amd/Ghcb.h and
 * COCONUT-SVSM kernel/src/sev/ghcb.rs. Disagreements are noted inline.
 */
#ifndef SEV_GHCB_H
#define SEV_GHCB_H

#include <stddef.h>
#include <stdint.h>

#define GHCB_PAGE_SIZE		4096u
#define GHCB_PROTOCOL_MIN	1u
#define GHCB_PROTOCOL_MAX	2u /* version 2 adds SEV-SNP */
#define GHCB_USAGE_STANDARD	0u /* GHCB usage: standard format */
#define GHCB_SHARED_BUFFER_SIZE 2032u

/*
 * Save area (first 0x800 bytes). Only the fields the GHCB protocol exchanges
 * exist; everything else is reserved and must be zero. Offsets match the
 * VMSA (sev/vmsa.h) for the same registers.
 */
struct ghcb_save_area {
	uint8_t reserved_000[203];  /* 000h */
	uint8_t cpl;		    /* 0CBh */
	uint8_t reserved_0cc[116];  /* 0CCh */
	uint64_t xss;		    /* 140h */
	uint8_t reserved_148[24];   /* 148h */
	uint64_t dr7;		    /* 160h */
	uint8_t reserved_168[16];   /* 168h */
	uint64_t rip;		    /* 178h: used by newer NAEs; EDK2 v1 leaves it reserved */
	uint8_t reserved_180[88];   /* 180h */
	uint64_t rsp;		    /* 1D8h */
	uint8_t reserved_1e0[24];   /* 1E0h */
	uint64_t rax;		    /* 1F8h */
	uint8_t reserved_200[264];  /* 200h */
	uint64_t rcx;		    /* 308h */
	uint64_t rdx;		    /* 310h */
	uint64_t rbx;		    /* 318h */
	uint8_t reserved_320[8];    /* 320h */
	uint64_t rbp;		    /* 328h */
	uint64_t rsi;		    /* 330h */
	uint64_t rdi;		    /* 338h */
	uint64_t r8;		    /* 340h */
	uint64_t r9;		    /* 348h */
	uint64_t r10;		    /* 350h */
	uint64_t r11;		    /* 358h */
	uint64_t r12;		    /* 360h */
	uint64_t r13;		    /* 368h */
	uint64_t r14;		    /* 370h */
	uint64_t r15;		    /* 378h */
	uint8_t reserved_380[16];   /* 380h */
	uint64_t sw_exit_code;	    /* 390h */
	uint64_t sw_exit_info_1;    /* 398h */
	uint64_t sw_exit_info_2;    /* 3A0h */
	uint64_t sw_scratch;	    /* 3A8h */
	uint8_t reserved_3b0[56];   /* 3B0h */
	uint64_t xcr0;		    /* 3E8h */
	uint8_t valid_bitmap[16];   /* 3F0h: one bit per qword of 000h-3FFh */
	uint64_t x87_state_gpa;	    /* 400h */
	uint8_t reserved_408[1016]; /* 408h..7FFh */
};

struct ghcb {
	struct ghcb_save_area save;			/* 000h */
	uint8_t shared_buffer[GHCB_SHARED_BUFFER_SIZE]; /* 800h */
	uint8_t reserved_ff0[10];			/* FF0h */
	uint16_t protocol_version;			/* FFAh */
	uint32_t ghcb_usage;				/* FFCh */
};

_Static_assert(sizeof(struct ghcb_save_area) == 0x800, "GHCB save area size");
_Static_assert(offsetof(struct ghcb_save_area, reserved_000) == 0x000, "ghcb reserved_000");
_Static_assert(offsetof(struct ghcb_save_area, cpl) == 0x0cb, "ghcb cpl");
_Static_assert(offsetof(struct ghcb_save_area, reserved_0cc) == 0x0cc, "ghcb reserved_0cc");
_Static_assert(offsetof(struct ghcb_save_area, xss) == 0x140, "ghcb xss");
_Static_assert(offsetof(struct ghcb_save_area, reserved_148) == 0x148, "ghcb reserved_148");
_Static_assert(offsetof(struct ghcb_save_area, dr7) == 0x160, "ghcb dr7");
_Static_assert(offsetof(struct ghcb_save_area, reserved_168) == 0x168, "ghcb reserved_168");
_Static_assert(offsetof(struct ghcb_save_area, rip) == 0x178, "ghcb rip");
_Static_assert(offsetof(struct ghcb_save_area, reserved_180) == 0x180, "ghcb reserved_180");
_Static_assert(offsetof(struct ghcb_save_area, rsp) == 0x1d8, "ghcb rsp");
_Static_assert(offsetof(struct ghcb_save_area, reserved_1e0) == 0x1e0, "ghcb reserved_1e0");
_Static_assert(offsetof(struct ghcb_save_area, rax) == 0x1f8, "ghcb rax");
_Static_assert(offsetof(struct ghcb_save_area, reserved_200) == 0x200, "ghcb reserved_200");
_Static_assert(offsetof(struct ghcb_save_area, rcx) == 0x308, "ghcb rcx");
_Static_assert(offsetof(struct ghcb_save_area, rdx) == 0x310, "ghcb rdx");
_Static_assert(offsetof(struct ghcb_save_area, rbx) == 0x318, "ghcb rbx");
_Static_assert(offsetof(struct ghcb_save_area, reserved_320) == 0x320, "ghcb reserved_320");
_Static_assert(offsetof(struct ghcb_save_area, rbp) == 0x328, "ghcb rbp");
_Static_assert(offsetof(struct ghcb_save_area, rsi) == 0x330, "ghcb rsi");
_Static_assert(offsetof(struct ghcb_save_area, rdi) == 0x338, "ghcb rdi");
_Static_assert(offsetof(struct ghcb_save_area, r8) == 0x340, "ghcb r8");
_Static_assert(offsetof(struct ghcb_save_area, r9) == 0x348, "ghcb r9");
_Static_assert(offsetof(struct ghcb_save_area, r10) == 0x350, "ghcb r10");
_Static_assert(offsetof(struct ghcb_save_area, r11) == 0x358, "ghcb r11");
_Static_assert(offsetof(struct ghcb_save_area, r12) == 0x360, "ghcb r12");
_Static_assert(offsetof(struct ghcb_save_area, r13) == 0x368, "ghcb r13");
_Static_assert(offsetof(struct ghcb_save_area, r14) == 0x370, "ghcb r14");
_Static_assert(offsetof(struct ghcb_save_area, r15) == 0x378, "ghcb r15");
_Static_assert(offsetof(struct ghcb_save_area, reserved_380) == 0x380, "ghcb reserved_380");
_Static_assert(offsetof(struct ghcb_save_area, sw_exit_code) == 0x390, "ghcb sw_exit_code");
_Static_assert(offsetof(struct ghcb_save_area, sw_exit_info_1) == 0x398, "ghcb sw_exit_info_1");
_Static_assert(offsetof(struct ghcb_save_area, sw_exit_info_2) == 0x3a0, "ghcb sw_exit_info_2");
_Static_assert(offsetof(struct ghcb_save_area, sw_scratch) == 0x3a8, "ghcb sw_scratch");
_Static_assert(offsetof(struct ghcb_save_area, reserved_3b0) == 0x3b0, "ghcb reserved_3b0");
_Static_assert(offsetof(struct ghcb_save_area, xcr0) == 0x3e8, "ghcb xcr0");
_Static_assert(offsetof(struct ghcb_save_area, valid_bitmap) == 0x3f0, "ghcb valid_bitmap");
_Static_assert(offsetof(struct ghcb_save_area, x87_state_gpa) == 0x400, "ghcb x87_state_gpa");
_Static_assert(offsetof(struct ghcb_save_area, reserved_408) == 0x408, "ghcb reserved_408");

_Static_assert(sizeof(struct ghcb) == GHCB_PAGE_SIZE, "GHCB is one page");
_Static_assert(offsetof(struct ghcb, save) == 0x000, "ghcb save");
_Static_assert(offsetof(struct ghcb, shared_buffer) == 0x800, "ghcb shared_buffer");
_Static_assert(offsetof(struct ghcb, reserved_ff0) == 0xff0, "ghcb reserved_ff0");
_Static_assert(offsetof(struct ghcb, protocol_version) == 0xffa, "ghcb protocol_version");
_Static_assert(offsetof(struct ghcb, ghcb_usage) == 0xffc, "ghcb ghcb_usage");

/*
 * Valid bitmap (section 2.3.1): bit n covers the qword at save-area offset
 * 8*n. Pass offsetof(struct ghcb_save_area, field).
 */
static inline unsigned int ghcb_valid_bit(size_t save_offset)
{
	return (unsigned int)(save_offset / 8u);
}

static inline void ghcb_mark_valid(struct ghcb *g, size_t save_offset)
{
	unsigned int bit = ghcb_valid_bit(save_offset);

	g->save.valid_bitmap[bit / 8u] |= (uint8_t)(1u << (bit % 8u));
}

static inline int ghcb_is_valid(const struct ghcb *g, size_t save_offset)
{
	unsigned int bit = ghcb_valid_bit(save_offset);

	return (g->save.valid_bitmap[bit / 8u] >> (bit % 8u)) & 1u;
}

/* ---------------------------------------------------------------------------
 * Automatic and intercept exit codes the GHCB forwards (APM vol. 2, App. C).
 */
#define SVM_EXIT_READ_DR7	0x027ull
#define SVM_EXIT_WRITE_DR7	0x037ull
#define SVM_EXIT_EXCP_BASE	0x040ull /* + vector */
#define SVM_EXIT_INTR		0x060ull
#define SVM_EXIT_NMI		0x061ull
#define SVM_EXIT_SMI		0x062ull
#define SVM_EXIT_INIT		0x063ull
#define SVM_EXIT_VINTR		0x064ull
#define SVM_EXIT_RDTSC		0x06eull
#define SVM_EXIT_RDPMC		0x06full
#define SVM_EXIT_CPUID		0x072ull
#define SVM_EXIT_INVD		0x076ull
#define SVM_EXIT_PAUSE		0x077ull
#define SVM_EXIT_HLT		0x078ull
#define SVM_EXIT_IOIO		0x07bull
#define SVM_EXIT_MSR		0x07cull
#define SVM_EXIT_SHUTDOWN	0x07full
#define SVM_EXIT_VMMCALL	0x081ull
#define SVM_EXIT_RDTSCP		0x087ull
#define SVM_EXIT_WBINVD		0x089ull
#define SVM_EXIT_MONITOR	0x08aull
#define SVM_EXIT_MWAIT		0x08bull
#define SVM_EXIT_XSETBV		0x08dull
#define SVM_EXIT_CR0_WRITE_TRAP 0x090ull
#define SVM_EXIT_CR4_WRITE_TRAP 0x094ull
#define SVM_EXIT_CR8_WRITE_TRAP 0x098ull
#define SVM_EXIT_NPF		0x400ull
#define SVM_EXIT_VMGEXIT	0x403ull
#define SVM_EXIT_INVALID	0xffffffffffffffffull /* VMEXIT_INVALID */
#define SVM_EXIT_BUSY		0xfffffffffffffffeull /* VMEXIT_BUSY (SNP) */

/*
 * #VC error code (never a #VMEXIT) for a private access to a page that is not
 * validated; the faulting address goes to CR2 (APM vol. 2 15.36.10).
 */
#define SVM_EXIT_PAGE_NOT_VALIDATED 0x404ull

/*
 * IOIO exit information (APM vol. 2, 15.10.2, Figure 15-2), placed in
 * SW_EXITINFO1 for the IOIO NAE.
 */
#define SVM_IOIO_TYPE_IN    (1ull << 0)
#define SVM_IOIO_STR	    (1ull << 2)
#define SVM_IOIO_REP	    (1ull << 3)
#define SVM_IOIO_SZ8	    (1ull << 4)
#define SVM_IOIO_SZ16	    (1ull << 5)
#define SVM_IOIO_SZ32	    (1ull << 6)
#define SVM_IOIO_A16	    (1ull << 7)
#define SVM_IOIO_A32	    (1ull << 8)
#define SVM_IOIO_A64	    (1ull << 9)
#define SVM_IOIO_SEG_SHIFT  10
#define SVM_IOIO_SEG_MASK   (0x7ull << 10)
#define SVM_IOIO_PORT_SHIFT 16
#define SVM_IOIO_PORT_MASK  (0xffffull << 16)

/* ---------------------------------------------------------------------------
 * Non-automatic events (GHCB spec Table 7): software exit codes placed in
 * SW_EXITCODE before VMGEXIT.
 */
#define SVM_VMGEXIT_MMIO_READ	      0x80000001ull /* INFO1 = GPA, INFO2 = len, scratch = buf */
#define SVM_VMGEXIT_MMIO_WRITE	      0x80000002ull
#define SVM_VMGEXIT_NMI_COMPLETE      0x80000003ull
#define SVM_VMGEXIT_AP_RESET_HOLD     0x80000004ull /* "AP HLT loop" in Linux */
#define SVM_VMGEXIT_AP_JUMP_TABLE     0x80000005ull
#define SVM_VMGEXIT_AP_JUMP_TABLE_SET 0u /* SW_EXITINFO1 values */
#define SVM_VMGEXIT_AP_JUMP_TABLE_GET 1u
#define SVM_VMGEXIT_PSC		      0x80000010ull /* scratch = PSC buffer, sev/psc.h */
#define SVM_VMGEXIT_GUEST_REQUEST     0x80000011ull /* INFO1 = req GPA, INFO2 = rsp GPA */
#define SVM_VMGEXIT_EXT_GUEST_REQUEST 0x80000012ull /* + RAX = data GPA, RBX = pages */
#define SVM_VMGEXIT_AP_CREATION	      0x80000013ull
#define SVM_VMGEXIT_HV_DOORBELL_PAGE  0x80000014ull
#define SVM_VMGEXIT_HV_IPI	      0x80000015ull
#define SVM_VMGEXIT_GET_APIC_IDS      0x80000017ull
#define SVM_VMGEXIT_SNP_RUN_VMPL      0x80000018ull
/*
 * 0x8000001A: Linux (AMD authors) uses it for Secure AVIC backing-page
 * registration; COCONUT-SVSM's alternate-injection code uses 0x80000019-1B
 * for other events. We follow Linux and leave 19h/1Bh undefined here.
 */
#define SVM_VMGEXIT_SECURE_AVIC	      0x8000001aull
#define SVM_VMGEXIT_HV_FEATURES	      0x8000fffdull
#define SVM_VMGEXIT_TERM_REQUEST      0x8000fffeull
#define SVM_VMGEXIT_UNSUPPORTED	      0x8000ffffull

/*
 * AP creation (GHCB spec 4.1.9): SW_EXITINFO1[15:0] request, [63:32] APIC ID
 * of the target, SW_EXITINFO2 = VMSA GPA, RAX = SEV_FEATURES of the new VMSA.
 * Multi-VMPL hypervisors take the VMSA's VMPL from bits 16 and up (Linux puts
 * it there; upstream 6.12 KVM reads all of bits 31:0 as the request and so
 * rejects a non-zero VMPL). The field is one byte wide here.
 */
#define SVM_VMGEXIT_AP_CREATE_ON_INIT 0u
#define SVM_VMGEXIT_AP_CREATE	      1u
#define SVM_VMGEXIT_AP_DESTROY	      2u
#define SVM_VMGEXIT_AP_REQUEST_MASK   0xffffull
#define SVM_VMGEXIT_AP_VMPL_SHIFT     16
#define SVM_VMGEXIT_AP_VMPL_MASK      (0xffull << 16)
#define SVM_VMGEXIT_AP_APIC_ID_SHIFT  32

static inline uint64_t ghcb_ap_creation_info1(uint32_t request, uint8_t vmpl, uint32_t apic_id)
{
	return ((uint64_t)apic_id << SVM_VMGEXIT_AP_APIC_ID_SHIFT) |
	       ((uint64_t)vmpl << SVM_VMGEXIT_AP_VMPL_SHIFT) |
	       ((uint64_t)request & SVM_VMGEXIT_AP_REQUEST_MASK);
}

/* Hypervisor doorbell page (SW_EXITINFO1 sub-operations). */
#define SVM_VMGEXIT_HVDB_GET_PREFERRED 0u
#define SVM_VMGEXIT_HVDB_SET	       1u
#define SVM_VMGEXIT_HVDB_QUERY	       2u
#define SVM_VMGEXIT_HVDB_CLEAR	       3u

/* Secure AVIC sub-operations (SW_EXITINFO1). */
#define SVM_VMGEXIT_SAVIC_REGISTER_GPA	 0u
#define SVM_VMGEXIT_SAVIC_UNREGISTER_GPA 1u

/* Termination NAE: SW_EXITINFO1[3:0] reason set, [11:4] reason code. */
static inline uint64_t ghcb_term_info1(uint8_t reason_set, uint8_t reason_code)
{
	return ((uint64_t)reason_set & 0xfu) | (((uint64_t)reason_code & 0xffu) << 4);
}

/*
 * SW_EXITINFO1 on return (section 4.1.x): 0 = OK, 1 = the hypervisor asks the
 * guest to raise the exception described in SW_EXITINFO2 (EVENTINJ format),
 * 2 = malformed input with a reason in SW_EXITINFO2[31:0].
 */
#define GHCB_HV_RESP_NO_ACTION	     0u
#define GHCB_HV_RESP_ISSUE_EXCEPTION 1u
#define GHCB_HV_RESP_MALFORMED_INPUT 2u

#define GHCB_ERR_NOT_REGISTERED	      1u
#define GHCB_ERR_INVALID_USAGE	      2u
#define GHCB_ERR_INVALID_SCRATCH_AREA 3u
#define GHCB_ERR_MISSING_INPUT	      4u
#define GHCB_ERR_INVALID_INPUT	      5u
#define GHCB_ERR_INVALID_EVENT	      6u

/*
 * (Extended) guest request failure, SW_EXITINFO2: [63:32] hypervisor error,
 * [31:0] firmware error. INVALID_LEN returns the needed page count in RBX.
 */
#define SNP_GUEST_VMM_ERR_SHIFT	      32
#define SNP_GUEST_VMM_ERR_INVALID_LEN 1u
#define SNP_GUEST_VMM_ERR_BUSY	      2u

#endif /* SEV_GHCB_H */
