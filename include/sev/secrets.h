/* SPDX-License-Identifier: MIT */
/*
 * SNP secrets page (installed by SNP_LAUNCH_UPDATE with PAGE_TYPE_SECRETS).
 *
 * Sources:
 *   - AMD SEV-SNP Firmware ABI, pub. 56860, section 8.17.2.5
 *     "PAGE_TYPE_SECRETS" (secrets page layout table): version, IMI_EN, FMS,
 *     GOSVW, VMPCK0-3, OS area, VMSA tweak bitmap, TSC_FACTOR,
 *     LAUNCH_MIT_VECTOR.
 *   - AMD GHCB spec, pub. 56421, section 2.7 "SEV-SNP Secrets Page" (Table 4):
 *     layout of the 96-byte OS-reserved area.
 *   - AMD SVSM spec, pub. 58019, section 4 "SVSM Discovery" (secrets page
 *     SVSM fields at 140h-15Fh, inside the firmware's guest-OS area).
 * Cross-checked against Linux asm/sev.h (snp_secrets_page, secrets_os_area),
 * EDK2 SnpSecretsPage.h and Project Oak sev_guest secrets.rs. Linux folds
 * the OS area's sequence-number high halves and version into one reserved
 * array (older GHCB revision); we follow the GHCB spec 2.01+ layout.
 */
#ifndef SEV_SECRETS_H
#define SEV_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#define SNP_VMPCK_LEN	      32u
#define SNP_VMPCK_COUNT	      4u
#define SNP_SECRETS_PAGE_SIZE 4096u
#define SNP_SECRETS_IMI_EN    (1u << 0)

/* GHCB spec Table 4: the guest OS's bookkeeping area. */
struct snp_secrets_os_area {
	uint32_t msg_seqno_lo[4];  /* 00h: VMPCK0-3 sequence numbers [31:0] */
	uint64_t ap_jump_table_pa; /* 10h */
	uint32_t msg_seqno_hi[4];  /* 18h: [63:32], GHCB rev 2.01+ */
	uint8_t reserved_28[22];   /* 28h */
	uint16_t version;	   /* 3Eh: 1 = GHCB rev 2.01 layout */
	uint8_t guest_usage[32];   /* 40h */
};

_Static_assert(sizeof(struct snp_secrets_os_area) == 0x60, "secrets OS area size");
_Static_assert(offsetof(struct snp_secrets_os_area, msg_seqno_lo) == 0x00, "os_area seqno_lo");
_Static_assert(offsetof(struct snp_secrets_os_area, ap_jump_table_pa) == 0x10, "os_area jump");
_Static_assert(offsetof(struct snp_secrets_os_area, msg_seqno_hi) == 0x18, "os_area seqno_hi");
_Static_assert(offsetof(struct snp_secrets_os_area, reserved_28) == 0x28, "os_area reserved");
_Static_assert(offsetof(struct snp_secrets_os_area, version) == 0x3e, "os_area version");
_Static_assert(offsetof(struct snp_secrets_os_area, guest_usage) == 0x40, "os_area usage");

struct snp_secrets_page {
	uint32_t version;			       /* 000h */
	uint32_t imi_en;			       /* 004h: SNP_SECRETS_IMI_EN */
	uint32_t fms;				       /* 008h: CPUID Fn0000_0001_EAX */
	uint32_t reserved_00c;			       /* 00Ch */
	uint8_t gosvw[16];			       /* 010h */
	uint8_t vmpck[SNP_VMPCK_COUNT][SNP_VMPCK_LEN]; /* 020h: VMPCK0..3 */
	struct snp_secrets_os_area os_area;	       /* 0A0h */
	uint8_t vmsa_tweak_bitmap[64];		       /* 100h */
	/* 140h-15Fh: guest-OS area in 56860; SVSM spec 58019 defines it: */
	uint64_t svsm_base;	    /* 140h: SVSM memory base GPA */
	uint64_t svsm_size;	    /* 148h: SVSM memory size */
	uint64_t svsm_caa;	    /* 150h: calling area GPA of the BSP */
	uint32_t svsm_max_version;  /* 158h: highest SVSM protocol version */
	uint8_t svsm_guest_vmpl;    /* 15Ch: VMPL the guest OS runs at */
	uint8_t reserved_15d[3];    /* 15Dh */
	uint32_t tsc_factor;	    /* 160h */
	uint32_t reserved_164;	    /* 164h */
	uint64_t launch_mit_vector; /* 168h */
	uint8_t reserved_170[3728]; /* 170h..FFFh */
};

_Static_assert(sizeof(struct snp_secrets_page) == SNP_SECRETS_PAGE_SIZE, "secrets page size");
_Static_assert(offsetof(struct snp_secrets_page, version) == 0x000, "secrets version");
_Static_assert(offsetof(struct snp_secrets_page, imi_en) == 0x004, "secrets imi_en");
_Static_assert(offsetof(struct snp_secrets_page, fms) == 0x008, "secrets fms");
_Static_assert(offsetof(struct snp_secrets_page, reserved_00c) == 0x00c, "secrets reserved_00c");
_Static_assert(offsetof(struct snp_secrets_page, gosvw) == 0x010, "secrets gosvw");
_Static_assert(offsetof(struct snp_secrets_page, vmpck) == 0x020, "secrets vmpck0");
_Static_assert(offsetof(struct snp_secrets_page, vmpck[1]) == 0x040, "secrets vmpck1");
_Static_assert(offsetof(struct snp_secrets_page, vmpck[2]) == 0x060, "secrets vmpck2");
_Static_assert(offsetof(struct snp_secrets_page, vmpck[3]) == 0x080, "secrets vmpck3");
_Static_assert(offsetof(struct snp_secrets_page, os_area) == 0x0a0, "secrets os_area");
_Static_assert(offsetof(struct snp_secrets_page, vmsa_tweak_bitmap) == 0x100, "secrets tweak");
_Static_assert(offsetof(struct snp_secrets_page, svsm_base) == 0x140, "secrets svsm_base");
_Static_assert(offsetof(struct snp_secrets_page, svsm_size) == 0x148, "secrets svsm_size");
_Static_assert(offsetof(struct snp_secrets_page, svsm_caa) == 0x150, "secrets svsm_caa");
_Static_assert(offsetof(struct snp_secrets_page, svsm_max_version) == 0x158, "secrets svsm_ver");
_Static_assert(offsetof(struct snp_secrets_page, svsm_guest_vmpl) == 0x15c, "secrets svsm_vmpl");
_Static_assert(offsetof(struct snp_secrets_page, reserved_15d) == 0x15d, "secrets reserved_15d");
_Static_assert(offsetof(struct snp_secrets_page, tsc_factor) == 0x160, "secrets tsc_factor");
_Static_assert(offsetof(struct snp_secrets_page, reserved_164) == 0x164, "secrets reserved_164");
_Static_assert(offsetof(struct snp_secrets_page, launch_mit_vector) == 0x168, "secrets mit");
_Static_assert(offsetof(struct snp_secrets_page, reserved_170) == 0x170, "secrets reserved_170");

#endif /* SEV_SECRETS_H */
