/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP firmware ABI structures shared by the host tools (launch digest,
 * ID block), the SVSM (guest messages, attestation) and verifiers.
 *
 * Source: AMD "SEV Secure Nested Paging Firmware ABI Specification",
 * pub. 56860 (rev. 1.55-1.58). Section/table references use the 1.58 numbering
 * where known; table numbers shift between revisions, section titles do not:
 *   - TCB_VERSION: section 2.2, Tables 3 (Milan/Genoa) and 4 (Turin)
 *   - Guest policy: section 4.3 "Guest Policy", Table 9
 *   - PLATFORM_INFO, attestation report: section 7.3 "MSG_REPORT_REQ/RSP",
 *     Tables 22-24 (ATTESTATION_REPORT = Table 23)
 *   - Guest message header: section 7.1 "Guest Messages" / 8.26
 *     "SNP_GUEST_REQUEST" (header table; AEAD and message type tables)
 *   - PAGE_INFO / page types: section 8.17 "SNP_LAUNCH_UPDATE" (PAGE_INFO
 *     table, PAGE_TYPE table)
 *   - ID block / ID authentication info: section 8.18 "SNP_LAUNCH_FINISH"
 *   - ECDSA signature / public key: chapter 10 "Cryptographic Formats"
 *     (Table 141 signature, public key table)
 *
 * The PDF itself is not in our reference corpora: offsets were cross-checked
 * against virtee/sev, virtee/sev-snp-measure, Project Oak's sev_serial, Linux
 * and COCONUT-SVSM readings of the same tables.
 */
#ifndef SEV_SNP_FIRMWARE_H
#define SEV_SNP_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#define SNP_SHA384_LEN 48u /* launch digest, key digests */

/* ---------------------------------------------------------------------------
 * TCB_VERSION (section 2.2): one 64-bit value, byte positions by CPU family.
 */
/* Milan (family 19h model 0xh) and Genoa (19h model 1xh), Table 3. */
#define SNP_TCB_V1_BOOT_LOADER_BYTE 0
#define SNP_TCB_V1_TEE_BYTE	    1
#define SNP_TCB_V1_SNP_BYTE	    6
#define SNP_TCB_V1_MICROCODE_BYTE   7
/* Turin (family 1Ah) and later, Table 4: adds FMC. */
#define SNP_TCB_V2_FMC_BYTE	    0
#define SNP_TCB_V2_BOOT_LOADER_BYTE 1
#define SNP_TCB_V2_TEE_BYTE	    2
#define SNP_TCB_V2_SNP_BYTE	    3
#define SNP_TCB_V2_MICROCODE_BYTE   7

static inline uint8_t snp_tcb_byte(uint64_t tcb, unsigned int byte)
{
	return (uint8_t)(tcb >> (8u * byte));
}

/* ---------------------------------------------------------------------------
 * Guest policy (section 4.3, Table 9). Bit 17 is reserved and must be 1.
 */
#define SNP_POLICY_ABI_MINOR_SHIFT   0
#define SNP_POLICY_ABI_MINOR_MASK    0xffull
#define SNP_POLICY_ABI_MAJOR_SHIFT   8
#define SNP_POLICY_ABI_MAJOR_MASK    (0xffull << 8)
#define SNP_POLICY_SMT		     (1ull << 16)
#define SNP_POLICY_RESERVED_MBO	     (1ull << 17)
#define SNP_POLICY_MIGRATE_MA	     (1ull << 18)
#define SNP_POLICY_DEBUG	     (1ull << 19)
#define SNP_POLICY_SINGLE_SOCKET     (1ull << 20)
#define SNP_POLICY_CXL_ALLOW	     (1ull << 21)
#define SNP_POLICY_MEM_AES_256_XTS   (1ull << 22)
#define SNP_POLICY_RAPL_DIS	     (1ull << 23)
#define SNP_POLICY_CIPHERTEXT_HIDING (1ull << 24)
#define SNP_POLICY_PAGE_SWAP_DISABLE (1ull << 25)
/* Bits 63:26 reserved, must be zero. */
#define SNP_POLICY_RESERVED_MASK     (~0ull << 26)

static inline uint64_t snp_policy_make(uint8_t abi_major, uint8_t abi_minor, uint64_t flags)
{
	return ((uint64_t)abi_major << SNP_POLICY_ABI_MAJOR_SHIFT) |
	       ((uint64_t)abi_minor << SNP_POLICY_ABI_MINOR_SHIFT) | SNP_POLICY_RESERVED_MBO |
	       flags;
}

/* ---------------------------------------------------------------------------
 * PLATFORM_INFO (attestation report offset 40h; section 7.3).
 */
#define SNP_PLATFORM_INFO_SMT_EN	       (1ull << 0)
#define SNP_PLATFORM_INFO_TSME_EN	       (1ull << 1)
#define SNP_PLATFORM_INFO_ECC_EN	       (1ull << 2)
#define SNP_PLATFORM_INFO_RAPL_DIS	       (1ull << 3)
#define SNP_PLATFORM_INFO_CIPHERTEXT_HIDING_EN (1ull << 4)
#define SNP_PLATFORM_INFO_ALIAS_CHECK_COMPLETE (1ull << 5)
#define SNP_PLATFORM_INFO_TIO_EN	       (1ull << 7)

/* ---------------------------------------------------------------------------
 * Cryptographic formats (chapter 10). All integers little-endian,
 * zero-extended to 72 bytes.
 */
#define SNP_SIG_ALGO_INVALID	       0u
#define SNP_SIG_ALGO_ECDSA_P384_SHA384 1u
#define SNP_ECDSA_CURVE_P384	       2u

struct snp_ecdsa_sig {
	uint8_t r[72];	       /* 000h */
	uint8_t s[72];	       /* 048h */
	uint8_t reserved[368]; /* 090h */
};

_Static_assert(sizeof(struct snp_ecdsa_sig) == 512, "ECDSA signature size");
_Static_assert(offsetof(struct snp_ecdsa_sig, r) == 0x000, "sig r");
_Static_assert(offsetof(struct snp_ecdsa_sig, s) == 0x048, "sig s");
_Static_assert(offsetof(struct snp_ecdsa_sig, reserved) == 0x090, "sig reserved");

struct snp_ecdsa_pubkey {
	uint32_t curve;	       /* 000h: SNP_ECDSA_CURVE_* */
	uint8_t qx[72];	       /* 004h */
	uint8_t qy[72];	       /* 04Ch */
	uint8_t reserved[880]; /* 094h */
};

_Static_assert(sizeof(struct snp_ecdsa_pubkey) == 1028, "ECDSA public key size");
_Static_assert(offsetof(struct snp_ecdsa_pubkey, curve) == 0x000, "pubkey curve");
_Static_assert(offsetof(struct snp_ecdsa_pubkey, qx) == 0x004, "pubkey qx");
_Static_assert(offsetof(struct snp_ecdsa_pubkey, qy) == 0x04c, "pubkey qy");
_Static_assert(offsetof(struct snp_ecdsa_pubkey, reserved) == 0x094, "pubkey reserved");

/* ---------------------------------------------------------------------------
 * SNP_LAUNCH_UPDATE (section 8.17): page types and the PAGE_INFO structure
 * hashed into the launch digest:
 *     LD_new = SHA-384(PAGE_INFO) with PAGE_INFO.DIGEST_CUR = LD_old.
 */
#define SNP_PAGE_TYPE_NORMAL	 0x1u /* CONTENTS = SHA-384 of the page */
#define SNP_PAGE_TYPE_VMSA	 0x2u /* CONTENTS = SHA-384 of the VMSA page */
#define SNP_PAGE_TYPE_ZERO	 0x3u /* CONTENTS = 0 */
#define SNP_PAGE_TYPE_UNMEASURED 0x4u /* CONTENTS = 0 */
#define SNP_PAGE_TYPE_SECRETS	 0x5u /* CONTENTS = 0 */
#define SNP_PAGE_TYPE_CPUID	 0x6u /* CONTENTS = 0 */

#define SNP_PAGE_INFO_IMI_PAGE (1u << 0) /* IMI_PAGE byte, bit 0 */

/*
 * GPA that KVM (and the measurement tools that model it: sev-snp-measure,
 * COCONUT igvmmeasure) records for VMSA pages: (u64)-1 page-aligned and cut
 * to 52 bits. A hypervisor convention, not a firmware constant.
 */
#define SNP_PAGE_INFO_KVM_VMSA_GPA 0xfffffffff000ull

struct snp_page_info {
	uint8_t digest_cur[48]; /* 000h: launch digest so far */
	uint8_t contents[48];	/* 030h: SHA-384 of page, or zero by type */
	uint16_t length;	/* 060h: sizeof(struct snp_page_info) = 70h */
	uint8_t page_type;	/* 062h: SNP_PAGE_TYPE_* */
	uint8_t imi_page;	/* 063h: SNP_PAGE_INFO_IMI_PAGE */
	uint8_t vmpl3_perms;	/* 064h */
	uint8_t vmpl2_perms;	/* 065h */
	uint8_t vmpl1_perms;	/* 066h */
	uint8_t reserved;	/* 067h */
	uint64_t gpa;		/* 068h */
};

#define SNP_PAGE_INFO_SIZE 0x70u

_Static_assert(sizeof(struct snp_page_info) == SNP_PAGE_INFO_SIZE, "PAGE_INFO size");
_Static_assert(offsetof(struct snp_page_info, digest_cur) == 0x00, "page_info digest_cur");
_Static_assert(offsetof(struct snp_page_info, contents) == 0x30, "page_info contents");
_Static_assert(offsetof(struct snp_page_info, length) == 0x60, "page_info length");
_Static_assert(offsetof(struct snp_page_info, page_type) == 0x62, "page_info page_type");
_Static_assert(offsetof(struct snp_page_info, imi_page) == 0x63, "page_info imi_page");
_Static_assert(offsetof(struct snp_page_info, vmpl3_perms) == 0x64, "page_info vmpl3_perms");
_Static_assert(offsetof(struct snp_page_info, vmpl2_perms) == 0x65, "page_info vmpl2_perms");
_Static_assert(offsetof(struct snp_page_info, vmpl1_perms) == 0x66, "page_info vmpl1_perms");
_Static_assert(offsetof(struct snp_page_info, reserved) == 0x67, "page_info reserved");
_Static_assert(offsetof(struct snp_page_info, gpa) == 0x68, "page_info gpa");

/* ---------------------------------------------------------------------------
 * SNP_LAUNCH_FINISH (section 8.18): ID block and ID authentication info.
 */
#define SNP_ID_BLOCK_VERSION 1u

struct snp_id_block {
	uint8_t ld[48];	       /* 000h: expected launch digest */
	uint8_t family_id[16]; /* 030h */
	uint8_t image_id[16];  /* 040h */
	uint32_t version;      /* 050h: SNP_ID_BLOCK_VERSION */
	uint32_t guest_svn;    /* 054h */
	uint64_t policy;       /* 058h: SNP_POLICY_* */
};

_Static_assert(sizeof(struct snp_id_block) == 0x60, "ID block size");
_Static_assert(offsetof(struct snp_id_block, ld) == 0x00, "id_block ld");
_Static_assert(offsetof(struct snp_id_block, family_id) == 0x30, "id_block family_id");
_Static_assert(offsetof(struct snp_id_block, image_id) == 0x40, "id_block image_id");
_Static_assert(offsetof(struct snp_id_block, version) == 0x50, "id_block version");
_Static_assert(offsetof(struct snp_id_block, guest_svn) == 0x54, "id_block guest_svn");
_Static_assert(offsetof(struct snp_id_block, policy) == 0x58, "id_block policy");

struct snp_id_auth_info {
	uint32_t id_key_algo;		    /* 000h: SNP_SIG_ALGO_* */
	uint32_t auth_key_algo;		    /* 004h: SNP_SIG_ALGO_* */
	uint8_t reserved_008[56];	    /* 008h */
	struct snp_ecdsa_sig id_block_sig;  /* 040h: ID key over the ID block */
	struct snp_ecdsa_pubkey id_key;	    /* 240h */
	uint8_t reserved_644[60];	    /* 644h */
	struct snp_ecdsa_sig id_key_sig;    /* 680h: author key over id_key */
	struct snp_ecdsa_pubkey author_key; /* 880h */
	uint8_t reserved_c84[892];	    /* C84h */
};

_Static_assert(sizeof(struct snp_id_auth_info) == 0x1000, "ID auth info size");
_Static_assert(offsetof(struct snp_id_auth_info, id_key_algo) == 0x000, "auth id_key_algo");
_Static_assert(offsetof(struct snp_id_auth_info, auth_key_algo) == 0x004, "auth auth_key_algo");
_Static_assert(offsetof(struct snp_id_auth_info, reserved_008) == 0x008, "auth reserved_008");
_Static_assert(offsetof(struct snp_id_auth_info, id_block_sig) == 0x040, "auth id_block_sig");
_Static_assert(offsetof(struct snp_id_auth_info, id_key) == 0x240, "auth id_key");
_Static_assert(offsetof(struct snp_id_auth_info, reserved_644) == 0x644, "auth reserved_644");
_Static_assert(offsetof(struct snp_id_auth_info, id_key_sig) == 0x680, "auth id_key_sig");
_Static_assert(offsetof(struct snp_id_auth_info, author_key) == 0x880, "auth author_key");
_Static_assert(offsetof(struct snp_id_auth_info, reserved_c84) == 0xc84, "auth reserved_c84");

/* ---------------------------------------------------------------------------
 * Attestation report (section 7.3, Table 23).
 *
 * Version history: v2 is the original layout; v3 (firmware 1.55+) adds
 * CPUID_FAM_ID/MOD_ID/STEP at 188h; v5 (Turin firmware) adds
 * LAUNCH_MIT_VECTOR/CURRENT_MIT_VECTOR at 1F8h/200h. Those bytes are zero in
 * older versions, so one layout serves all. Signed bytes: 000h-29Fh.
 */
#define SNP_REPORT_VERSION_2  2u
#define SNP_REPORT_VERSION_3  3u
#define SNP_REPORT_VERSION_5  5u
#define SNP_REPORT_SIGNED_LEN 0x2a0u

/* KEY_INFO word at 048h. */
#define SNP_REPORT_KEY_AUTHOR_KEY_EN (1u << 0)
#define SNP_REPORT_KEY_MASK_CHIP_KEY (1u << 1)
#define SNP_REPORT_KEY_SIGNING_SHIFT 2
#define SNP_REPORT_KEY_SIGNING_MASK  (0x7u << 2)
#define SNP_REPORT_SIGNING_KEY_VCEK  0u
#define SNP_REPORT_SIGNING_KEY_VLEK  1u
#define SNP_REPORT_SIGNING_KEY_NONE  7u

struct snp_attestation_report {
	uint32_t version;		/* 000h */
	uint32_t guest_svn;		/* 004h */
	uint64_t policy;		/* 008h */
	uint8_t family_id[16];		/* 010h */
	uint8_t image_id[16];		/* 020h */
	uint32_t vmpl;			/* 030h */
	uint32_t signature_algo;	/* 034h: SNP_SIG_ALGO_* */
	uint64_t current_tcb;		/* 038h */
	uint64_t platform_info;		/* 040h: SNP_PLATFORM_INFO_* */
	uint32_t key_info;		/* 048h: SNP_REPORT_KEY_* */
	uint32_t reserved_04c;		/* 04Ch */
	uint8_t report_data[64];	/* 050h */
	uint8_t measurement[48];	/* 090h */
	uint8_t host_data[32];		/* 0C0h */
	uint8_t id_key_digest[48];	/* 0E0h */
	uint8_t author_key_digest[48];	/* 110h */
	uint8_t report_id[32];		/* 140h */
	uint8_t report_id_ma[32];	/* 160h */
	uint64_t reported_tcb;		/* 180h */
	uint8_t cpuid_fam_id;		/* 188h: v3+ */
	uint8_t cpuid_mod_id;		/* 189h: v3+ */
	uint8_t cpuid_step;		/* 18Ah: v3+ */
	uint8_t reserved_18b[21];	/* 18Bh */
	uint8_t chip_id[64];		/* 1A0h */
	uint64_t committed_tcb;		/* 1E0h */
	uint8_t current_build;		/* 1E8h */
	uint8_t current_minor;		/* 1E9h */
	uint8_t current_major;		/* 1EAh */
	uint8_t reserved_1eb;		/* 1EBh */
	uint8_t committed_build;	/* 1ECh */
	uint8_t committed_minor;	/* 1EDh */
	uint8_t committed_major;	/* 1EEh */
	uint8_t reserved_1ef;		/* 1EFh */
	uint64_t launch_tcb;		/* 1F0h */
	uint64_t launch_mit_vector;	/* 1F8h: v5+ */
	uint64_t current_mit_vector;	/* 200h: v5+ */
	uint8_t reserved_208[152];	/* 208h */
	struct snp_ecdsa_sig signature; /* 2A0h */
};

#define SNP_ATTESTATION_REPORT_SIZE 0x4a0u

_Static_assert(sizeof(struct snp_attestation_report) == SNP_ATTESTATION_REPORT_SIZE,
	       "attestation report size");
_Static_assert(offsetof(struct snp_attestation_report, version) == 0x000, "report version");
_Static_assert(offsetof(struct snp_attestation_report, guest_svn) == 0x004, "report guest_svn");
_Static_assert(offsetof(struct snp_attestation_report, policy) == 0x008, "report policy");
_Static_assert(offsetof(struct snp_attestation_report, family_id) == 0x010, "report family_id");
_Static_assert(offsetof(struct snp_attestation_report, image_id) == 0x020, "report image_id");
_Static_assert(offsetof(struct snp_attestation_report, vmpl) == 0x030, "report vmpl");
_Static_assert(offsetof(struct snp_attestation_report, signature_algo) == 0x034,
	       "report signature_algo");
_Static_assert(offsetof(struct snp_attestation_report, current_tcb) == 0x038, "report current_tcb");
_Static_assert(offsetof(struct snp_attestation_report, platform_info) == 0x040,
	       "report platform_info");
_Static_assert(offsetof(struct snp_attestation_report, key_info) == 0x048, "report key_info");
_Static_assert(offsetof(struct snp_attestation_report, reserved_04c) == 0x04c,
	       "report reserved_04c");
_Static_assert(offsetof(struct snp_attestation_report, report_data) == 0x050, "report report_data");
_Static_assert(offsetof(struct snp_attestation_report, measurement) == 0x090, "report measurement");
_Static_assert(offsetof(struct snp_attestation_report, host_data) == 0x0c0, "report host_data");
_Static_assert(offsetof(struct snp_attestation_report, id_key_digest) == 0x0e0,
	       "report id_key_digest");
_Static_assert(offsetof(struct snp_attestation_report, author_key_digest) == 0x110,
	       "report author_key_digest");
_Static_assert(offsetof(struct snp_attestation_report, report_id) == 0x140, "report report_id");
_Static_assert(offsetof(struct snp_attestation_report, report_id_ma) == 0x160,
	       "report report_id_ma");
_Static_assert(offsetof(struct snp_attestation_report, reported_tcb) == 0x180,
	       "report reported_tcb");
_Static_assert(offsetof(struct snp_attestation_report, cpuid_fam_id) == 0x188,
	       "report cpuid_fam_id");
_Static_assert(offsetof(struct snp_attestation_report, cpuid_mod_id) == 0x189,
	       "report cpuid_mod_id");
_Static_assert(offsetof(struct snp_attestation_report, cpuid_step) == 0x18a, "report cpuid_step");
_Static_assert(offsetof(struct snp_attestation_report, reserved_18b) == 0x18b,
	       "report reserved_18b");
_Static_assert(offsetof(struct snp_attestation_report, chip_id) == 0x1a0, "report chip_id");
_Static_assert(offsetof(struct snp_attestation_report, committed_tcb) == 0x1e0,
	       "report committed_tcb");
_Static_assert(offsetof(struct snp_attestation_report, current_build) == 0x1e8,
	       "report current_build");
_Static_assert(offsetof(struct snp_attestation_report, current_minor) == 0x1e9,
	       "report current_minor");
_Static_assert(offsetof(struct snp_attestation_report, current_major) == 0x1ea,
	       "report current_major");
_Static_assert(offsetof(struct snp_attestation_report, reserved_1eb) == 0x1eb,
	       "report reserved_1eb");
_Static_assert(offsetof(struct snp_attestation_report, committed_build) == 0x1ec,
	       "report committed_build");
_Static_assert(offsetof(struct snp_attestation_report, committed_minor) == 0x1ed,
	       "report committed_minor");
_Static_assert(offsetof(struct snp_attestation_report, committed_major) == 0x1ee,
	       "report committed_major");
_Static_assert(offsetof(struct snp_attestation_report, reserved_1ef) == 0x1ef,
	       "report reserved_1ef");
_Static_assert(offsetof(struct snp_attestation_report, launch_tcb) == 0x1f0, "report launch_tcb");
_Static_assert(offsetof(struct snp_attestation_report, launch_mit_vector) == 0x1f8,
	       "report launch_mit_vector");
_Static_assert(offsetof(struct snp_attestation_report, current_mit_vector) == 0x200,
	       "report current_mit_vector");
_Static_assert(offsetof(struct snp_attestation_report, reserved_208) == 0x208,
	       "report reserved_208");
_Static_assert(offsetof(struct snp_attestation_report, signature) == SNP_REPORT_SIGNED_LEN,
	       "report signature");

/* ---------------------------------------------------------------------------
 * Guest messages (section 7.1 and SNP_GUEST_REQUEST): header, AEAD and
 * message types, and the report / derived-key payloads.
 */
#define SNP_AEAD_INVALID     0u
#define SNP_AEAD_AES_256_GCM 1u
#define SNP_MSG_HDR_VERSION  1u
#define SNP_MSG_AUTHTAG_LEN  16u /* AES-256-GCM tag bytes used of AUTHTAG[32] */

enum snp_msg_type {
	SNP_MSG_TYPE_INVALID = 0,
	SNP_MSG_CPUID_REQ = 1,
	SNP_MSG_CPUID_RSP = 2,
	SNP_MSG_KEY_REQ = 3,
	SNP_MSG_KEY_RSP = 4,
	SNP_MSG_REPORT_REQ = 5,
	SNP_MSG_REPORT_RSP = 6,
	SNP_MSG_EXPORT_REQ = 7,
	SNP_MSG_EXPORT_RSP = 8,
	SNP_MSG_IMPORT_REQ = 9,
	SNP_MSG_IMPORT_RSP = 10,
	SNP_MSG_ABSORB_REQ = 11,
	SNP_MSG_ABSORB_RSP = 12,
	SNP_MSG_VMRK_REQ = 13,
	SNP_MSG_VMRK_RSP = 14,
	SNP_MSG_ABSORB_NOMA_REQ = 15,
	SNP_MSG_ABSORB_NOMA_RSP = 16,
	SNP_MSG_TSC_INFO_REQ = 17,
	SNP_MSG_TSC_INFO_RSP = 18,
};

/* Header; the AEAD's additional data is bytes 030h..05Fh (ALGO onward). */
struct snp_guest_msg_hdr {
	uint8_t authtag[32];	  /* 000h */
	uint64_t msg_seqno;	  /* 020h */
	uint8_t reserved_028[8];  /* 028h */
	uint8_t algo;		  /* 030h: SNP_AEAD_* */
	uint8_t hdr_version;	  /* 031h: SNP_MSG_HDR_VERSION */
	uint16_t hdr_sz;	  /* 032h: 60h */
	uint8_t msg_type;	  /* 034h: enum snp_msg_type */
	uint8_t msg_version;	  /* 035h */
	uint16_t msg_sz;	  /* 036h: payload bytes */
	uint32_t reserved_038;	  /* 038h */
	uint8_t msg_vmpck;	  /* 03Ch: which VMPCK protects the message */
	uint8_t reserved_03d[35]; /* 03Dh */
};

#define SNP_GUEST_MSG_HDR_SIZE	 0x60u
#define SNP_GUEST_MSG_AAD_OFFSET 0x30u
#define SNP_GUEST_MSG_AAD_LEN	 0x30u

_Static_assert(sizeof(struct snp_guest_msg_hdr) == SNP_GUEST_MSG_HDR_SIZE, "msg hdr size");
_Static_assert(offsetof(struct snp_guest_msg_hdr, authtag) == 0x00, "hdr authtag");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_seqno) == 0x20, "hdr msg_seqno");
_Static_assert(offsetof(struct snp_guest_msg_hdr, reserved_028) == 0x28, "hdr reserved_028");
_Static_assert(offsetof(struct snp_guest_msg_hdr, algo) == SNP_GUEST_MSG_AAD_OFFSET, "hdr algo");
_Static_assert(offsetof(struct snp_guest_msg_hdr, hdr_version) == 0x31, "hdr hdr_version");
_Static_assert(offsetof(struct snp_guest_msg_hdr, hdr_sz) == 0x32, "hdr hdr_sz");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_type) == 0x34, "hdr msg_type");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_version) == 0x35, "hdr msg_version");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_sz) == 0x36, "hdr msg_sz");
_Static_assert(offsetof(struct snp_guest_msg_hdr, reserved_038) == 0x38, "hdr reserved_038");
_Static_assert(offsetof(struct snp_guest_msg_hdr, msg_vmpck) == 0x3c, "hdr msg_vmpck");
_Static_assert(offsetof(struct snp_guest_msg_hdr, reserved_03d) == 0x3d, "hdr reserved_03d");

/* A guest message is one 4 KiB page: header followed by the payload. */
struct snp_guest_msg {
	struct snp_guest_msg_hdr hdr;			/* 000h */
	uint8_t payload[4096 - SNP_GUEST_MSG_HDR_SIZE]; /* 060h */
};

_Static_assert(sizeof(struct snp_guest_msg) == 4096, "guest msg is one page");
_Static_assert(offsetof(struct snp_guest_msg, hdr) == 0x00, "msg hdr");
_Static_assert(offsetof(struct snp_guest_msg, payload) == 0x60, "msg payload");

/* MSG_REPORT_REQ (section 7.3, Table 22). */
#define SNP_REPORT_REQ_KEY_SEL_MASK 0x3u
#define SNP_REPORT_REQ_KEY_SEL_ANY  0u /* VLEK if installed, else VCEK */
#define SNP_REPORT_REQ_KEY_SEL_VCEK 1u
#define SNP_REPORT_REQ_KEY_SEL_VLEK 2u

struct snp_msg_report_req {
	uint8_t report_data[64];  /* 000h */
	uint32_t vmpl;		  /* 040h */
	uint32_t key_sel;	  /* 044h: bits 1:0, SNP_REPORT_REQ_KEY_SEL_* */
	uint8_t reserved_048[24]; /* 048h */
};

_Static_assert(sizeof(struct snp_msg_report_req) == 0x60, "report req size");
_Static_assert(offsetof(struct snp_msg_report_req, report_data) == 0x00, "report_req data");
_Static_assert(offsetof(struct snp_msg_report_req, vmpl) == 0x40, "report_req vmpl");
_Static_assert(offsetof(struct snp_msg_report_req, key_sel) == 0x44, "report_req key_sel");
_Static_assert(offsetof(struct snp_msg_report_req, reserved_048) == 0x48, "report_req reserved");

/* MSG_REPORT_RSP (section 7.3, Table 24) and its STATUS values. */
#define SNP_REPORT_RSP_SUCCESS	       0x00u
#define SNP_REPORT_RSP_INVALID_PARAMS  0x16u
#define SNP_REPORT_RSP_INVALID_KEY_SEL 0x27u

struct snp_msg_report_rsp {
	uint32_t status;		      /* 000h */
	uint32_t report_size;		      /* 004h */
	uint8_t reserved_008[24];	      /* 008h */
	struct snp_attestation_report report; /* 020h */
};

_Static_assert(sizeof(struct snp_msg_report_rsp) == 0x20 + SNP_ATTESTATION_REPORT_SIZE,
	       "report rsp size");
_Static_assert(offsetof(struct snp_msg_report_rsp, status) == 0x00, "report_rsp status");
_Static_assert(offsetof(struct snp_msg_report_rsp, report_size) == 0x04, "report_rsp size");
_Static_assert(offsetof(struct snp_msg_report_rsp, reserved_008) == 0x08, "report_rsp reserved");
_Static_assert(offsetof(struct snp_msg_report_rsp, report) == 0x20, "report_rsp report");

/*
 * MSG_KEY_REQ / MSG_KEY_RSP (section 7.2). LAUNCH_MIT_VECTOR (020h) and its
 * field-select bit 6 come with the mitigation-vector revisions (1.58); older
 * firmware reads only the first 20h bytes (MSG_SZ tells it how many).
 */
#define SNP_KEY_REQ_ROOT_KEY_VMRK	(1u << 0) /* 0 = VCEK-derived root */
#define SNP_KEY_REQ_KEY_SEL_SHIFT	1
#define SNP_KEY_REQ_KEY_SEL_MASK	(0x3u << 1) /* SNP_REPORT_REQ_KEY_SEL_* */
#define SNP_KEY_FIELD_GUEST_POLICY	(1ull << 0)
#define SNP_KEY_FIELD_IMAGE_ID		(1ull << 1)
#define SNP_KEY_FIELD_FAMILY_ID		(1ull << 2)
#define SNP_KEY_FIELD_MEASUREMENT	(1ull << 3)
#define SNP_KEY_FIELD_GUEST_SVN		(1ull << 4)
#define SNP_KEY_FIELD_TCB_VERSION	(1ull << 5)
#define SNP_KEY_FIELD_LAUNCH_MIT_VECTOR (1ull << 6)

struct snp_msg_key_req {
	uint32_t key_select;	     /* 000h: SNP_KEY_REQ_* */
	uint32_t reserved_004;	     /* 004h */
	uint64_t guest_field_select; /* 008h: SNP_KEY_FIELD_* */
	uint32_t vmpl;		     /* 010h */
	uint32_t guest_svn;	     /* 014h */
	uint64_t tcb_version;	     /* 018h */
	uint64_t launch_mit_vector;  /* 020h */
};

_Static_assert(sizeof(struct snp_msg_key_req) == 0x28, "key req size");
_Static_assert(offsetof(struct snp_msg_key_req, key_select) == 0x00, "key_req key_select");
_Static_assert(offsetof(struct snp_msg_key_req, reserved_004) == 0x04, "key_req reserved");
_Static_assert(offsetof(struct snp_msg_key_req, guest_field_select) == 0x08, "key_req fields");
_Static_assert(offsetof(struct snp_msg_key_req, vmpl) == 0x10, "key_req vmpl");
_Static_assert(offsetof(struct snp_msg_key_req, guest_svn) == 0x14, "key_req guest_svn");
_Static_assert(offsetof(struct snp_msg_key_req, tcb_version) == 0x18, "key_req tcb_version");
_Static_assert(offsetof(struct snp_msg_key_req, launch_mit_vector) == 0x20, "key_req mit_vector");

struct snp_msg_key_rsp {
	uint32_t status;	  /* 000h */
	uint8_t reserved_004[28]; /* 004h */
	uint8_t derived_key[32];  /* 020h */
};

_Static_assert(sizeof(struct snp_msg_key_rsp) == 0x40, "key rsp size");
_Static_assert(offsetof(struct snp_msg_key_rsp, status) == 0x00, "key_rsp status");
_Static_assert(offsetof(struct snp_msg_key_rsp, reserved_004) == 0x04, "key_rsp reserved");
_Static_assert(offsetof(struct snp_msg_key_rsp, derived_key) == 0x20, "key_rsp derived_key");

#endif /* SEV_SNP_FIRMWARE_H */
