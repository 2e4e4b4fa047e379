/* SPDX-License-Identifier: MIT */
/*
 * IGVM (Independent Guest Virtual Machine) file format: on-disk ABI.
 *
 * Source: the IGVM format specification as published in the microsoft/igvm
 * repository (crate igvm_defs, src/lib.rs: IGVM_FIXED_HEADER, IGVM_FIXED_HEADER_V2,
 * IgvmVariableHeaderType, IGVM_VHS_* structures). Everything is little endian.
 *
 * File layout (spec "Structure"): a fixed header at offset 0, a variable header
 * region of TLV entries (type, length, body; every entry starts 8-byte aligned and
 * its padding is zero), and a file data region referenced by file_offset fields.
 */
#ifndef IGVM_IGVM_FORMAT_H
#define IGVM_IGVM_FORMAT_H

#include <stdint.h>

#define IGVM_PACKED __attribute__((packed))

/* ASCII "IGVM" read as a little-endian u32 (IGVM_MAGIC_VALUE). */
#define IGVM_MAGIC_VALUE      0x4D564749u
#define IGVM_FORMAT_VERSION_1 1u
#define IGVM_FORMAT_VERSION_2 2u /* work in progress upstream (feature "unstable") */

/* Page size of version 1 files; version 2 may declare another (power of two). */
#define IGVM_PAGE_SIZE_4K 4096u
#define IGVM_PAGE_SIZE_2M 0x200000u

/* IGVM_FIXED_HEADER: at file offset 0 of every file. */
struct igvm_fixed_header {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset; /* >= sizeof(fixed header), 8-byte aligned */
	uint32_t variable_header_size;
	uint32_t total_file_size;
	uint32_t checksum; /* CRC-32 over fixed + variable header, this field taken as 0 */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_fixed_header) == 24, "IGVM_FIXED_HEADER size");

/* IgvmArchitecture (version 2 fixed header). */
#define IGVM_ARCH_X64	  0u
#define IGVM_ARCH_AARCH64 1u

/* IGVM_FIXED_HEADER_V2: format_version >= 2. */
struct igvm_fixed_header_v2 {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset;
	uint32_t variable_header_size;
	uint32_t total_file_size;
	uint32_t checksum;
	uint32_t architecture; /* IGVM_ARCH_* */
	uint32_t page_size;    /* power of two; 4K in version 1 */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_fixed_header_v2) == 32, "IGVM_FIXED_HEADER_V2 size");
_Static_assert(__builtin_offsetof(struct igvm_fixed_header_v2, checksum) == 20, "checksum offset");

/* IgvmVariableHeaderType. Bit 31 set: a loader that does not know the type may ignore it. */
#define IGVM_VHT_IGNORABLE_BIT		      0x80000000u
#define IGVM_VHT_INVALID		      0x000u
/* Platform section: 0x1..0x100. */
#define IGVM_VHT_SUPPORTED_PLATFORM	      0x001u
/* Initialization section: 0x101..0x200. */
#define IGVM_VHT_GUEST_POLICY		      0x101u
#define IGVM_VHT_RELOCATABLE_REGION	      0x102u
#define IGVM_VHT_PAGE_TABLE_RELOCATION_REGION 0x103u
/* Directive section: 0x301..0x400. */
#define IGVM_VHT_PARAMETER_AREA		      0x301u
#define IGVM_VHT_PAGE_DATA		      0x302u
#define IGVM_VHT_PARAMETER_INSERT	      0x303u
#define IGVM_VHT_VP_CONTEXT		      0x304u
#define IGVM_VHT_REQUIRED_MEMORY	      0x305u
#define IGVM_VHT_RESERVED_DO_NOT_USE	      0x306u
#define IGVM_VHT_VP_COUNT_PARAMETER	      0x307u
#define IGVM_VHT_SRAT			      0x308u
#define IGVM_VHT_MADT			      0x309u
#define IGVM_VHT_MMIO_RANGES		      0x30Au
#define IGVM_VHT_SNP_ID_BLOCK		      0x30Bu
#define IGVM_VHT_MEMORY_MAP		      0x30Cu
#define IGVM_VHT_ERROR_RANGE		      0x30Du
#define IGVM_VHT_COMMAND_LINE		      0x30Eu
#define IGVM_VHT_SLIT			      0x30Fu
#define IGVM_VHT_PPTT			      0x310u
#define IGVM_VHT_VBS_MEASUREMENT	      0x311u
#define IGVM_VHT_DEVICE_TREE		      0x312u
#define IGVM_VHT_ENVIRONMENT_INFO_PARAMETER   0x313u

#define IGVM_VHT_RANGE_PLATFORM_FIRST  0x001u
#define IGVM_VHT_RANGE_PLATFORM_LAST   0x100u
#define IGVM_VHT_RANGE_INIT_FIRST      0x101u
#define IGVM_VHT_RANGE_INIT_LAST       0x200u
#define IGVM_VHT_RANGE_DIRECTIVE_FIRST 0x301u
#define IGVM_VHT_RANGE_DIRECTIVE_LAST  0x400u

/* IGVM_VHS_VARIABLE_HEADER: length counts the body only, not these 8 bytes. */
struct igvm_vhs_variable_header {
	uint32_t type;
	uint32_t length;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_variable_header) == 8, "IGVM_VHS_VARIABLE_HEADER size");

/* IgvmPlatformType (u8). */
#define IGVM_PLATFORM_NATIVE	    0x00u
#define IGVM_PLATFORM_VSM_ISOLATION 0x01u
#define IGVM_PLATFORM_SEV_SNP	    0x02u
#define IGVM_PLATFORM_TDX	    0x03u
#define IGVM_PLATFORM_SEV	    0x04u /* unstable upstream */
#define IGVM_PLATFORM_SEV_ES	    0x05u /* unstable upstream */
/* Every defined platform has version 1 (IGVM_*_PLATFORM_VERSION). */
#define IGVM_PLATFORM_VERSION_1	    0x1u

/* IGVM_VHS_SUPPORTED_PLATFORM: compatibility_mask has exactly one bit set. */
struct igvm_vhs_supported_platform {
	uint32_t compatibility_mask;
	uint8_t highest_vtl; /* 0 or 2 */
	uint8_t platform_type;
	uint16_t platform_version;
	uint64_t shared_gpa_boundary;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_supported_platform) == 16, "SUPPORTED_PLATFORM size");

/* IGVM_VHS_GUEST_POLICY; for SEV-SNP the policy is the SNP guest policy (ABI 56860 4.3). */
struct igvm_vhs_guest_policy {
	uint64_t policy;
	uint32_t compatibility_mask;
	uint32_t reserved; /* must be zero */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_guest_policy) == 16, "GUEST_POLICY size");

/* IGVM_VHS_RELOCATABLE_REGION flags. */
#define IGVM_VHF_RELOCATABLE_REGION_IS_VTL2    0x1u
#define IGVM_VHF_RELOCATABLE_REGION_APPLY_RIP  0x2u
#define IGVM_VHF_RELOCATABLE_REGION_APPLY_GDTR 0x4u

struct igvm_vhs_relocatable_region {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t flags;
	uint64_t relocation_alignment; /* multiple of 4K */
	uint64_t relocation_region_gpa;
	uint64_t relocation_region_size;
	uint64_t minimum_relocation_gpa;
	uint64_t maximum_relocation_gpa;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_relocatable_region) == 48, "RELOCATABLE_REGION size");

struct igvm_vhs_page_table_relocation {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t reserved;
	uint64_t gpa;
	uint64_t size;
	uint64_t used_size;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_page_table_relocation) == 32, "PAGE_TABLE_RELOCATION size");

/* IGVM_VHS_PARAMETER_AREA: number_of_bytes page aligned; file_offset 0 = zero filled. */
struct igvm_vhs_parameter_area {
	uint64_t number_of_bytes;
	uint32_t parameter_area_index;
	uint32_t file_offset;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter_area) == 16, "PARAMETER_AREA size");

/* IgvmPageDataType (u16). */
#define IGVM_PAGE_DATA_TYPE_NORMAL     0x0u
#define IGVM_PAGE_DATA_TYPE_SECRETS    0x1u
#define IGVM_PAGE_DATA_TYPE_CPUID_DATA 0x2u
#define IGVM_PAGE_DATA_TYPE_CPUID_XF   0x3u

/* IgvmPageDataFlags (u32). */
#define IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE 0x1u
#define IGVM_PAGE_DATA_FLAG_UNMEASURED	0x2u
#define IGVM_PAGE_DATA_FLAG_SHARED	0x4u
#define IGVM_PAGE_DATA_FLAGS_RESERVED	0xFFFFFFF8u

/* IGVM_VHS_PAGE_DATA: gpa page aligned (2M aligned with IS_2MB_PAGE); file_offset is
 * from the start of the file, 0 meaning a page of zeroes. */
struct igvm_vhs_page_data {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint32_t flags;
	uint16_t data_type;
	uint16_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_page_data) == 24, "PAGE_DATA size");

/* IGVM_VHS_PARAMETER_INSERT: imports a parameter area as unmeasured pages at gpa. */
struct igvm_vhs_parameter_insert {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t parameter_area_index;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter_insert) == 16, "PARAMETER_INSERT size");

/* IGVM_VHS_PARAMETER: body of VP_COUNT, SRAT, MADT, MMIO_RANGES, MEMORY_MAP, COMMAND_LINE,
 * SLIT, PPTT, DEVICE_TREE and ENVIRONMENT_INFO parameter headers. */
struct igvm_vhs_parameter {
	uint32_t parameter_area_index;
	uint32_t byte_offset;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter) == 8, "PARAMETER size");

/* IGVM_VHS_VP_CONTEXT: for SEV-SNP gpa is where the VMSA goes and file_offset points
 * at one page holding the VMSA (SEV-SNP: APM vol 2 Table B-4). Not 8-byte sized. */
struct igvm_vhs_vp_context {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint16_t vp_index;
	uint16_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_vp_context) == 20, "VP_CONTEXT size");

/* IGVM_VHS_ERROR_RANGE. */
struct igvm_vhs_error_range {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t size_bytes;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_error_range) == 16, "ERROR_RANGE size");

/* IGVM_VHS_REQUIRED_MEMORY; gpa and number_of_bytes page aligned. */
#define IGVM_REQUIRED_MEMORY_FLAG_VTL2_PROTECTABLE 0x1u
struct igvm_vhs_required_memory {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t number_of_bytes;
	uint32_t flags;
	uint32_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_required_memory) == 24, "REQUIRED_MEMORY size");

/* IGVM_VHS_MEMORY_RANGE and IGVM_VHS_MMIO_RANGES (written by the loader). */
struct igvm_vhs_memory_range {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_memory_range) == 16, "MEMORY_RANGE size");

struct igvm_vhs_mmio_ranges {
	struct igvm_vhs_memory_range mmio_ranges[2];
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_mmio_ranges) == 32, "MMIO_RANGES size");

/* MemoryMapEntryType (u16) and IGVM_VHS_MEMORY_MAP_ENTRY (written by the loader; a
 * final entry with number_of_pages 0 ends the list). */
#define IGVM_MEMORY_MAP_ENTRY_MEMORY		0x0u
#define IGVM_MEMORY_MAP_ENTRY_PLATFORM_RESERVED 0x1u
#define IGVM_MEMORY_MAP_ENTRY_PERSISTENT	0x2u
#define IGVM_MEMORY_MAP_ENTRY_VTL2_PROTECTABLE	0x3u
struct igvm_vhs_memory_map_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type;
	uint16_t flags;
	uint32_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_memory_map_entry) == 24, "MEMORY_MAP_ENTRY size");

/* IgvmEnvironmentInfo (u32 written by the loader). */
#define IGVM_ENVIRONMENT_INFO_MEMORY_IS_SHARED 0x1u

/* IGVM_VHS_SNP_ID_BLOCK_SIGNATURE / _PUBLIC_KEY / IGVM_VHS_SNP_ID_BLOCK. The field
 * meanings are those of the SNP ID block and ID authentication structure (ABI 56860
 * Tables "ID Block" and "ID Authentication Information Structure"). */
struct igvm_vhs_snp_id_block_signature {
	uint8_t r_comp[72];
	uint8_t s_comp[72];
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_snp_id_block_signature) == 144, "ID_BLOCK_SIGNATURE size");

struct igvm_vhs_snp_id_block_public_key {
	uint32_t curve;
	uint32_t reserved;
	uint8_t qx[72];
	uint8_t qy[72];
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_snp_id_block_public_key) == 152, "ID_BLOCK_PUBLIC_KEY size");

struct igvm_vhs_snp_id_block {
	uint32_t compatibility_mask;
	uint8_t author_key_enabled; /* 1: author key fields populated, else zero */
	uint8_t reserved[3];
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version;
	uint32_t guest_svn;
	uint32_t id_key_algorithm;
	uint32_t author_key_algorithm;
	struct igvm_vhs_snp_id_block_signature id_key_signature;
	struct igvm_vhs_snp_id_block_public_key id_public_key;
	struct igvm_vhs_snp_id_block_signature author_key_signature;
	struct igvm_vhs_snp_id_block_public_key author_public_key;
} IGVM_PACKED;
_Static_assert(__builtin_offsetof(struct igvm_vhs_snp_id_block, ld) == 8, "ID_BLOCK ld offset");
_Static_assert(__builtin_offsetof(struct igvm_vhs_snp_id_block, id_key_signature) == 104,
	       "ID_BLOCK id_key_signature offset");
_Static_assert(__builtin_offsetof(struct igvm_vhs_snp_id_block, author_key_signature) == 400,
	       "ID_BLOCK author_key_signature offset");
_Static_assert(sizeof(struct igvm_vhs_snp_id_block) == 696, "SNP_ID_BLOCK size");

#endif /* IGVM_IGVM_FORMAT_H */
