/* SPDX-License-Identifier: MIT */
/*
 * SVSM calling convention and protocols: what a guest OS at VMPL > 0 and the
 * SVSM at VMPL0 exchange.
 *
 * Source: AMD "Secure VM Service Module for SEV-SNP Guests", pub. 58019
 * (rev. 1.00):
 *   - section 3 "SVSM Calling Convention" (RAX = protocol << 32 | call ID,
 *     parameters in RCX, RDX, R8, R9; result code in RAX) and the Calling
 *     Area (Table 2)
 *   - section 3.x "Result codes" (Table 3) and the per-protocol error spaces
 *   - section 5 "Core Protocol" (Table 5 call IDs; Table 6 PVALIDATE list,
 *     Table 7 PVALIDATE entry)
 *   - section 6 "Attestation Protocol" (Tables 11-13)
 *   - section 8 "vTPM Protocol"
 * Cross-checked against Linux arch/x86/include/asm/sev.h (svsm_ca,
 * SVSM_ERR_*, svsm_pvalidate_*, svsm_attest_call) and COCONUT-SVSM
 * kernel/src/protocols/{mod,core,errors,attest}.rs. Disagreements noted.
 */
#ifndef SVSM_PROTOCOL_H
#define SVSM_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------
 * RAX encoding: [63:32] protocol number, [31:0] call identifier.
 */
#define SVSM_PROTOCOL_CORE	  0u
#define SVSM_PROTOCOL_ATTESTATION 1u
#define SVSM_PROTOCOL_VTPM	  2u
#define SVSM_PROTOCOL_APIC	  3u /* COCONUT-SVSM; later spec revisions */

static inline uint64_t svsm_rax(uint32_t protocol, uint32_t call_id)
{
	return ((uint64_t)protocol << 32) | call_id;
}

static inline uint32_t svsm_rax_protocol(uint64_t rax)
{
	return (uint32_t)(rax >> 32);
}

static inline uint32_t svsm_rax_call_id(uint64_t rax)
{
	return (uint32_t)rax;
}

/* Core protocol call IDs (Table 5). Registers in the trailing comments. */
#define SVSM_CORE_REMAP_CA	 0u /* RCX = new CA GPA */
#define SVSM_CORE_PVALIDATE	 1u /* RCX = GPA of struct svsm_pvalidate_req */
#define SVSM_CORE_CREATE_VCPU	 2u /* RCX = VMSA GPA, RDX = CA GPA, R8[31:0] = APIC ID */
#define SVSM_CORE_DELETE_VCPU	 3u /* RCX = VMSA GPA */
#define SVSM_CORE_DEPOSIT_MEM	 4u /* RCX = GPA of a memory list */
#define SVSM_CORE_WITHDRAW_MEM	 5u /* RCX = GPA of a memory list */
#define SVSM_CORE_QUERY_PROTOCOL 6u /* RCX = protocol << 32 | version */
#define SVSM_CORE_CONFIGURE_VTOM 7u /* RCX bit 0 = query */

#define SVSM_CORE_PROTOCOL_VERSION 1u

/*
 * QUERY_PROTOCOL answer in RCX: [63:32] highest, [31:0] lowest supported
 * version, or 0 if the protocol (at that version) is unsupported.
 */
static inline uint64_t svsm_query_protocol_arg(uint32_t protocol, uint32_t version)
{
	return ((uint64_t)protocol << 32) | version;
}

static inline uint64_t svsm_query_protocol_result(uint32_t min, uint32_t max)
{
	return ((uint64_t)max << 32) | min;
}

/* Attestation protocol call IDs (section 6). */
#define SVSM_ATTEST_SERVICES	   0u /* RCX = GPA of struct svsm_attest_services_req */
#define SVSM_ATTEST_SINGLE_SERVICE 1u /* RCX = GPA of struct svsm_attest_single_req */

/* vTPM protocol call IDs (section 8). */
#define SVSM_VTPM_QUERY 0u
#define SVSM_VTPM_CMD	1u

/* ---------------------------------------------------------------------------
 * Result codes (Table 3), returned in RAX.
 */
#define SVSM_SUCCESS		      0x00000000u
#define SVSM_ERR_INCOMPLETE	      0x80000000u
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001u
#define SVSM_ERR_UNSUPPORTED_CALL     0x80000002u
#define SVSM_ERR_INVALID_ADDRESS      0x80000003u
#define SVSM_ERR_INVALID_FORMAT	      0x80000004u
#define SVSM_ERR_INVALID_PARAMETER    0x80000005u
#define SVSM_ERR_INVALID_REQUEST      0x80000006u
#define SVSM_ERR_BUSY		      0x80000007u
/* Protocol-specific results start here. */
#define SVSM_ERR_PROTOCOL_BASE	      0x80001000u

/*
 * PVALIDATE-specific results: base + the PVALIDATE return code
 * (sev/rmp-instr.h), with 0x10 for "succeeded without changing the page".
 */
#define SVSM_PVALIDATE_FAIL_BASE	 0x80001000u /* + PVALIDATE/RMPADJUST EAX 0..0xF */
#define SVSM_PVALIDATE_FAIL_INPUT	 0x80001001u
#define SVSM_PVALIDATE_FAIL_SIZEMISMATCH 0x80001006u
#define SVSM_PVALIDATE_FAIL_UNCHANGED	 0x80001010u
/* PVALIDATE returned an EAX above 0xF (a future architecture revision). */
#define SVSM_PVALIDATE_FAIL_UNKNOWN	 0x80001011u

/* DELETE_VCPU: the VMSA could not be made non-runnable (in use), like FAIL_INUSE. */
#define SVSM_DELETE_VCPU_FAIL_INUSE 0x80001003u

/*
 * 0x4000_0000-0x7FFF_FFFF: more memory is needed; bits 29:0 = number of 4 KiB pages
 * (Table 4 "Result Codes").
 */
#define SVSM_RESULT_MEM_REQUIRED      0x40000000u
#define SVSM_RESULT_MEM_REQUIRED_MASK 0x3fffffffu

/* ---------------------------------------------------------------------------
 * Calling area (Table 2): one page per vCPU, GPA in the secrets page
 * (BSP) or given to CREATE_VCPU. The guest sets call_pending before
 * VMGEXIT; the SVSM clears it when it has taken the call.
 */
struct svsm_ca {
	uint8_t call_pending;	   /* 000h */
	uint8_t mem_available;	   /* 001h */
	uint8_t reserved_002[6];   /* 002h */
	uint8_t svsm_buffer[4088]; /* 008h: protocol-defined */
};

_Static_assert(sizeof(struct svsm_ca) == 4096, "calling area is one page");
_Static_assert(offsetof(struct svsm_ca, call_pending) == 0x000, "ca call_pending");
_Static_assert(offsetof(struct svsm_ca, mem_available) == 0x001, "ca mem_available");
_Static_assert(offsetof(struct svsm_ca, reserved_002) == 0x002, "ca reserved_002");
_Static_assert(offsetof(struct svsm_ca, svsm_buffer) == 0x008, "ca svsm_buffer");

/* ---------------------------------------------------------------------------
 * Core PVALIDATE request (Tables 6 and 7): header followed by entries. The
 * list may not cross a page; the SVSM advances next as it goes, so a caller
 * that sees SVSM_ERR_INCOMPLETE / a failure can resume or report.
 *
 * Entry: [1:0] page size (0 = 4 KiB, 1 = 2 MiB), [2] action (1 = validate,
 *        0 = rescind), [3] ignore CF (treat "unchanged" as success),
 *        [11:4] reserved, [63:12] GFN.
 */
struct svsm_pvalidate_hdr {
	uint16_t entries;  /* 0h: number of entries */
	uint16_t next;	   /* 2h: index of the next entry to process */
	uint32_t reserved; /* 4h */
};

_Static_assert(sizeof(struct svsm_pvalidate_hdr) == 8, "pvalidate header size");
_Static_assert(offsetof(struct svsm_pvalidate_hdr, entries) == 0, "pvalidate entries");
_Static_assert(offsetof(struct svsm_pvalidate_hdr, next) == 2, "pvalidate next");
_Static_assert(offsetof(struct svsm_pvalidate_hdr, reserved) == 4, "pvalidate reserved");

#define SVSM_PVALIDATE_MAX_ENTRIES ((4096u - 8u) / 8u) /* page-aligned list */

#define SVSM_PVALIDATE_SIZE_4K	 0u
#define SVSM_PVALIDATE_SIZE_2M	 1u
#define SVSM_PVALIDATE_SIZE_MASK 0x3ull
#define SVSM_PVALIDATE_VALIDATE	 (1ull << 2)
#define SVSM_PVALIDATE_IGNORE_CF (1ull << 3)
#define SVSM_PVALIDATE_RESERVED	 (0xffull << 4)
#define SVSM_PVALIDATE_GFN_SHIFT 12

static inline uint64_t svsm_pvalidate_entry(uint64_t gfn, unsigned int size, int validate,
					    int ignore_cf)
{
	return (gfn << SVSM_PVALIDATE_GFN_SHIFT) | ((uint64_t)size & SVSM_PVALIDATE_SIZE_MASK) |
	       (validate ? SVSM_PVALIDATE_VALIDATE : 0) |
	       (ignore_cf ? SVSM_PVALIDATE_IGNORE_CF : 0);
}

static inline uint64_t svsm_pvalidate_entry_gfn(uint64_t e)
{
	return e >> SVSM_PVALIDATE_GFN_SHIFT;
}

static inline unsigned int svsm_pvalidate_entry_size(uint64_t e)
{
	return (unsigned int)(e & SVSM_PVALIDATE_SIZE_MASK);
}

/* ---------------------------------------------------------------------------
 * DEPOSIT_MEM list (core protocol, "Deposit Memory Operation" table): the same
 * header as the PVALIDATE list (entries, next, reserved), then entries with
 * [1:0] page size (0 = 4 KiB, 1 = 2 MiB; GFN bits 8:0 zero for 2 MiB),
 * [11:2] reserved, [63:12] GFN. The list may not cross a 4 KiB boundary.
 */
#define SVSM_DEPOSIT_SIZE_MASK 0x3ull
#define SVSM_DEPOSIT_RESERVED  (0x3ffull << 2)

static inline uint64_t svsm_deposit_entry(uint64_t gfn, unsigned int size)
{
	return (gfn << SVSM_PVALIDATE_GFN_SHIFT) | ((uint64_t)size & SVSM_DEPOSIT_SIZE_MASK);
}

/*
 * WITHDRAW_MEM list ("Withdraw Memory Operation" table), written by the SVSM:
 * a 16-bit entry count, 6 unused bytes, then that many 4 KiB page GPAs. It may
 * not cross a 4 KiB boundary; a list at page offset 0xFF8 has no room for an
 * entry and is refused with SVSM_ERR_INVALID_PARAMETER.
 */
struct svsm_withdraw_hdr {
	uint16_t entries;  /* 0h */
	uint8_t unused[6]; /* 2h */
};

_Static_assert(sizeof(struct svsm_withdraw_hdr) == 8, "withdraw header size");
_Static_assert(offsetof(struct svsm_withdraw_hdr, entries) == 0, "withdraw entries");
_Static_assert(offsetof(struct svsm_withdraw_hdr, unused) == 2, "withdraw unused");

/*
 * CONFIGURE_VTOM ("vTOM Configuration Operation" table). RCX in: bit 0 query
 * (then bits 63:1 must be 0); configure: bit 1 enable, bit 2 set CR3 from RDX,
 * bit 3 set RIP from R8, bit 4 set RSP from R9, bits 11:5 zero, bits 63:12 the
 * vTOM value. RCX out (query): bit 1 = configuration supported, bits 19:12 =
 * vTOM alignment as a power of two; RDX/R8 = minimum/maximum vTOM.
 */
#define SVSM_VTOM_QUERY	      (1ull << 0)
#define SVSM_VTOM_ENABLE      (1ull << 1)
#define SVSM_VTOM_SET_CR3     (1ull << 2)
#define SVSM_VTOM_SET_RIP     (1ull << 3)
#define SVSM_VTOM_SET_RSP     (1ull << 4)
#define SVSM_VTOM_RESERVED    (0x7full << 5)
#define SVSM_VTOM_VALUE_MASK  (~0xfffull)
#define SVSM_VTOM_SUPPORTED   (1ull << 1)
#define SVSM_VTOM_ALIGN_SHIFT 12
#define SVSM_VTOM_ALIGN_MASK  (0xffull << 12)

/* ---------------------------------------------------------------------------
 * Attestation protocol (section 6).
 *
 * ATTEST_SERVICES request (Table 11). The SVSM writes the report to
 * report_gpa (REPORT_DATA = SHA-512(nonce || manifest)), the services
 * manifest to manifest_gpa and optional certificates to certificates_gpa,
 * and returns their sizes in R8 (report), RCX (manifest) and RDX
 * (certificates). nonce_size is 16-bit here as COCONUT reads Table 11;
 * Linux declares a 32-bit length over the same bytes (equal for
 * little-endian values below 64 KiB).
 */
struct svsm_attest_services_req {
	uint64_t report_gpa;	    /* 00h */
	uint32_t report_size;	    /* 08h */
	uint8_t reserved_0c[4];	    /* 0Ch */
	uint64_t nonce_gpa;	    /* 10h */
	uint16_t nonce_size;	    /* 18h */
	uint8_t reserved_1a[6];	    /* 1Ah */
	uint64_t manifest_gpa;	    /* 20h */
	uint32_t manifest_size;	    /* 28h */
	uint8_t reserved_2c[4];	    /* 2Ch */
	uint64_t certificates_gpa;  /* 30h */
	uint32_t certificates_size; /* 38h */
	uint8_t reserved_3c[4];	    /* 3Ch */
};

_Static_assert(sizeof(struct svsm_attest_services_req) == 0x40, "attest services size");
_Static_assert(offsetof(struct svsm_attest_services_req, report_gpa) == 0x00, "att report_gpa");
_Static_assert(offsetof(struct svsm_attest_services_req, report_size) == 0x08, "att report_size");
_Static_assert(offsetof(struct svsm_attest_services_req, reserved_0c) == 0x0c, "att reserved_0c");
_Static_assert(offsetof(struct svsm_attest_services_req, nonce_gpa) == 0x10, "att nonce_gpa");
_Static_assert(offsetof(struct svsm_attest_services_req, nonce_size) == 0x18, "att nonce_size");
_Static_assert(offsetof(struct svsm_attest_services_req, reserved_1a) == 0x1a, "att reserved_1a");
_Static_assert(offsetof(struct svsm_attest_services_req, manifest_gpa) == 0x20, "att manifest");
_Static_assert(offsetof(struct svsm_attest_services_req, manifest_size) == 0x28, "att man_size");
_Static_assert(offsetof(struct svsm_attest_services_req, reserved_2c) == 0x2c, "att reserved_2c");
_Static_assert(offsetof(struct svsm_attest_services_req, certificates_gpa) == 0x30, "att certs");
_Static_assert(offsetof(struct svsm_attest_services_req, certificates_size) == 0x38,
	       "att certs_size");
_Static_assert(offsetof(struct svsm_attest_services_req, reserved_3c) == 0x3c, "att reserved_3c");

/* ATTEST_SINGLE_SERVICE request (Table 13): the above plus the service. */
struct svsm_attest_single_req {
	struct svsm_attest_services_req base; /* 00h */
	uint8_t service_guid[16];	      /* 40h */
	uint32_t manifest_version;	      /* 50h */
	uint8_t reserved_54[4];		      /* 54h */
};

_Static_assert(sizeof(struct svsm_attest_single_req) == 0x58, "attest single size");
_Static_assert(offsetof(struct svsm_attest_single_req, base) == 0x00, "single base");
_Static_assert(offsetof(struct svsm_attest_single_req, service_guid) == 0x40, "single guid");
_Static_assert(offsetof(struct svsm_attest_single_req, manifest_version) == 0x50, "single ver");
_Static_assert(offsetof(struct svsm_attest_single_req, reserved_54) == 0x54, "single reserved");

/*
 * Services manifest (Table 12): a GUID table. Header = table GUID, total
 * length, entry count; each entry = service GUID, offset and size of its
 * manifest data from the start of the table. GUIDs are in the usual
 * mixed-endian byte order.
 */
#define SVSM_SERVICES_MANIFEST_GUID "63849ebb-3d92-4670-a1ff-58f9c94b87bb"

struct svsm_guid_table_hdr {
	uint8_t guid[16]; /* 00h: SVSM_SERVICES_MANIFEST_GUID */
	uint32_t length;  /* 10h: whole table, bytes */
	uint32_t count;	  /* 14h: entries */
};

struct svsm_guid_table_entry {
	uint8_t guid[16]; /* 00h */
	uint32_t offset;  /* 10h */
	uint32_t size;	  /* 14h */
};

_Static_assert(sizeof(struct svsm_guid_table_hdr) == 24, "guid table header size");
_Static_assert(offsetof(struct svsm_guid_table_hdr, guid) == 0x00, "guid hdr guid");
_Static_assert(offsetof(struct svsm_guid_table_hdr, length) == 0x10, "guid hdr length");
_Static_assert(offsetof(struct svsm_guid_table_hdr, count) == 0x14, "guid hdr count");
_Static_assert(sizeof(struct svsm_guid_table_entry) == 24, "guid table entry size");
_Static_assert(offsetof(struct svsm_guid_table_entry, guid) == 0x00, "guid entry guid");
_Static_assert(offsetof(struct svsm_guid_table_entry, offset) == 0x10, "guid entry offset");
_Static_assert(offsetof(struct svsm_guid_table_entry, size) == 0x14, "guid entry size");

#endif /* SVSM_PROTOCOL_H */
