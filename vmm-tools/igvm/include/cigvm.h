/* SPDX-License-Identifier: MIT */
/*
 * libcigvm: read, validate, write and measure IGVM files (C API).
 *
 * Conventions:
 *   - Functions returning int return CIGVM_OK (0) or a negative enum cigvm_status;
 *     when an error occurs and `err` is not NULL it is filled with the status and a
 *     human-readable message naming the problem (header index, offset, field).
 *   - Objects are opaque; every *_new/open has a matching free/close that accepts NULL.
 *   - All multi-byte values in the file are little endian; accessors return pointers to
 *     packed structures from <igvm/igvm-format.h> (x86 hosts read them directly).
 *   - Page types passed to the launch-digest API are the SNP firmware PAGE_TYPE_* values
 *     (ABI 56860, SNP_LAUNCH_UPDATE); see <sev/snp-firmware.h>.
 */
#ifndef CIGVM_H
#define CIGVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igvm/igvm-format.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CIGVM_API_VERSION 1

enum cigvm_status {
	CIGVM_OK = 0,
	CIGVM_ERR_INVALID_ARG = -1, /* bad argument to an API call */
	CIGVM_ERR_IO = -2,	    /* open/read/write failed (errno text in message) */
	CIGVM_ERR_NOMEM = -3,
	CIGVM_ERR_TRUNCATED = -4, /* file shorter than a structure or reference needs */
	CIGVM_ERR_MAGIC = -5,
	CIGVM_ERR_VERSION = -6, /* unsupported format version / architecture / page size */
	CIGVM_ERR_CHECKSUM = -7,
	CIGVM_ERR_HEADER = -8, /* malformed variable header (length, type, reserved bits) */
	CIGVM_ERR_ALIGNMENT = -9,
	CIGVM_ERR_BOUNDS = -10,	     /* offset/size outside the file or address space */
	CIGVM_ERR_OVERLAP = -11,     /* two measured imports of the same guest page */
	CIGVM_ERR_MASK = -12,	     /* compatibility mask not declared by a platform header */
	CIGVM_ERR_ORDER = -13,	     /* section order (platform, init, directive) violated */
	CIGVM_ERR_UNSUPPORTED = -14, /* a required (non-ignorable) header type unknown here */
	CIGVM_ERR_PARAMETER = -15,   /* parameter area index misuse */
	CIGVM_ERR_CRYPTO = -16,	     /* OpenSSL failure, bad key */
	CIGVM_ERR_FORMAT = -17,	     /* other input (OVMF image, manifest) malformed */
};

struct cigvm_error {
	int status;	      /* enum cigvm_status */
	int64_t header_index; /* variable header index concerned, or -1 */
	char message[256];
};

/* Short name of a status ("checksum", "overlap", ...). */
const char *cigvm_status_name(int status);

/* ------------------------------------------------------------------ reading */

typedef struct cigvm_file cigvm_file;

/* Parse flags. */
#define CIGVM_PARSE_NO_CHECKSUM 0x1u /* do not verify the header checksum */

/* Parse a complete IGVM image held in memory; the library keeps its own copy. */
int cigvm_parse_buffer(const void *buf, size_t len, unsigned flags, cigvm_file **out,
		       struct cigvm_error *err);
/* Open and parse a file. Only headers are read into memory; file data (page contents)
 * is read on demand with pread, so memory use does not grow with the image. */
int cigvm_open(const char *path, unsigned flags, cigvm_file **out, struct cigvm_error *err);
void cigvm_close(cigvm_file *f);

uint32_t cigvm_format_version(const cigvm_file *f);
uint32_t cigvm_architecture(const cigvm_file *f); /* IGVM_ARCH_X64 for version 1 */
uint32_t cigvm_page_size(const cigvm_file *f);	  /* 4096 for version 1 */
uint64_t cigvm_total_size(const cigvm_file *f);
uint32_t cigvm_checksum(const cigvm_file *f);

/* One variable header. `body` points at `length` bytes owned by the cigvm_file. */
struct cigvm_header {
	uint32_t type;	      /* raw type, including IGVM_VHT_IGNORABLE_BIT */
	uint32_t length;      /* body length in bytes */
	uint64_t file_offset; /* offset of the type field in the file */
	const void *body;
};

size_t cigvm_header_count(const cigvm_file *f);
/* NULL when index >= count. */
const struct cigvm_header *cigvm_header_at(const cigvm_file *f, size_t index);
/* Type without the ignorable bit. */
uint32_t cigvm_header_type(const struct cigvm_header *h);
/* "PAGE_DATA", "VP_CONTEXT", ... or "UNKNOWN". */
const char *cigvm_header_type_name(uint32_t type);

/* Typed accessors: return the body when the header has that type, else NULL. */
const struct igvm_vhs_supported_platform *
cigvm_header_supported_platform(const struct cigvm_header *h);
const struct igvm_vhs_guest_policy *cigvm_header_guest_policy(const struct cigvm_header *h);
const struct igvm_vhs_relocatable_region *
cigvm_header_relocatable_region(const struct cigvm_header *h);
const struct igvm_vhs_page_table_relocation *
cigvm_header_page_table_relocation(const struct cigvm_header *h);
const struct igvm_vhs_parameter_area *cigvm_header_parameter_area(const struct cigvm_header *h);
const struct igvm_vhs_page_data *cigvm_header_page_data(const struct cigvm_header *h);
const struct igvm_vhs_parameter_insert *cigvm_header_parameter_insert(const struct cigvm_header *h);
const struct igvm_vhs_vp_context *cigvm_header_vp_context(const struct cigvm_header *h);
const struct igvm_vhs_required_memory *cigvm_header_required_memory(const struct cigvm_header *h);
const struct igvm_vhs_error_range *cigvm_header_error_range(const struct cigvm_header *h);
const struct igvm_vhs_snp_id_block *cigvm_header_snp_id_block(const struct cigvm_header *h);
/* VP_COUNT, SRAT, MADT, MMIO_RANGES, MEMORY_MAP, COMMAND_LINE, SLIT, PPTT, DEVICE_TREE,
 * ENVIRONMENT_INFO: all carry an igvm_vhs_parameter. */
const struct igvm_vhs_parameter *cigvm_header_parameter(const struct cigvm_header *h);
bool cigvm_type_is_parameter(uint32_t type);

/* Read `len` bytes of file data at `file_offset` (bounds-checked against the file). */
int cigvm_read_data(const cigvm_file *f, uint64_t file_offset, void *buf, size_t len,
		    struct cigvm_error *err);
/* Contents of one page-data header (page_size bytes, or 2 MiB with IS_2MB_PAGE; zeroes
 * when file_offset is 0). `buf_len` must be at least that size. */
int cigvm_page_data_read(const cigvm_file *f, const struct igvm_vhs_page_data *pd, void *buf,
			 size_t buf_len, struct cigvm_error *err);
/* Byte size a page-data header imports (4 KiB or 2 MiB). */
uint64_t cigvm_page_data_size(const cigvm_file *f, const struct igvm_vhs_page_data *pd);
/* The one page of VP context data (for SEV-SNP: the VMSA). `buf` has 4096 bytes. */
int cigvm_vp_context_read(const cigvm_file *f, const struct igvm_vhs_vp_context *vp, void *buf,
			  struct cigvm_error *err);

/* Compatibility mask of the first supported-platform header of `platform_type`
 * (IGVM_PLATFORM_*), or 0 when the file does not support it. */
uint32_t cigvm_platform_mask(const cigvm_file *f, uint8_t platform_type);

/* ------------------------------------------------------------------ writing */

typedef struct cigvm_builder cigvm_builder;

/* format_version: IGVM_FORMAT_VERSION_1 or _2 (version 2 writes x64, 4 KiB pages). */
cigvm_builder *cigvm_builder_new(uint32_t format_version);
void cigvm_builder_free(cigvm_builder *b);

/* Headers are written in the order added (the caller keeps platform, initialization,
 * directive order; writing validates the result with the parser). */
int cigvm_builder_add_platform(cigvm_builder *b, uint32_t compatibility_mask, uint8_t platform_type,
			       uint8_t highest_vtl, uint64_t shared_gpa_boundary,
			       struct cigvm_error *err);
int cigvm_builder_add_guest_policy(cigvm_builder *b, uint32_t compatibility_mask, uint64_t policy,
				   struct cigvm_error *err);
/* Import `len` bytes at `gpa` (page aligned) as consecutive 4 KiB PAGE_DATA headers; the
 * last page is zero padded. data == NULL (or an all-zero page) writes file_offset 0. */
int cigvm_builder_add_pages(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
			    uint32_t flags, uint16_t data_type, const void *data, size_t len,
			    struct cigvm_error *err);
/* Declare parameter area `index` of `size` bytes (page multiple); `initial` may be NULL. */
int cigvm_builder_add_parameter_area(cigvm_builder *b, uint32_t index, uint64_t size,
				     const void *initial, size_t initial_len,
				     struct cigvm_error *err);
/* A parameter header (type: IGVM_VHT_VP_COUNT_PARAMETER, _MEMORY_MAP, _COMMAND_LINE...). */
int cigvm_builder_add_parameter(cigvm_builder *b, uint32_t type, uint32_t index,
				uint32_t byte_offset, struct cigvm_error *err);
int cigvm_builder_add_parameter_insert(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				       uint32_t index, struct cigvm_error *err);
/* VP context: `len` <= 4096 bytes of VMSA, zero padded to a page. */
int cigvm_builder_add_vp_context(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				 uint16_t vp_index, const void *vmsa, size_t len,
				 struct cigvm_error *err);
int cigvm_builder_add_required_memory(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				      uint32_t size, uint32_t flags, struct cigvm_error *err);
int cigvm_builder_add_error_range(cigvm_builder *b, uint64_t gpa, uint32_t compatibility_mask,
				  uint32_t size, struct cigvm_error *err);
int cigvm_builder_add_snp_id_block(cigvm_builder *b, const struct igvm_vhs_snp_id_block *blk,
				   struct cigvm_error *err);
/* Any header verbatim (body without file references), e.g. an ignorable vendor type. */
int cigvm_builder_add_raw(cigvm_builder *b, uint32_t type, const void *body, uint32_t len,
			  struct cigvm_error *err);

/* Serialize into a malloc'd buffer (caller frees). */
int cigvm_builder_write_buffer(cigvm_builder *b, void **out, size_t *out_len,
			       struct cigvm_error *err);
/* Write a file atomically (temporary file + rename): no partial file on failure. */
int cigvm_builder_write_file(cigvm_builder *b, const char *path, struct cigvm_error *err);

/* Copy every header of `f` (and its data) into a new builder, replacing any SNP ID block
 * with `id_block` when not NULL (used by `igvmtool sign --insert`). */
int cigvm_builder_from_file(const cigvm_file *f, const struct igvm_vhs_snp_id_block *id_block,
			    cigvm_builder **out, struct cigvm_error *err);

/* -------------------------------------------- SNP launch digest (ABI 56860) */

#define CIGVM_DIGEST_SIZE 48 /* SHA-384 */

/* Called for each page as it is added: page type, gpa, contents hash (zero for page
 * types that are not hashed) and the digest after the update. */
typedef void (*cigvm_page_cb)(void *ctx, uint64_t gpa, uint8_t page_type,
			      const uint8_t contents[CIGVM_DIGEST_SIZE],
			      const uint8_t digest[CIGVM_DIGEST_SIZE]);

/* Running launch digest: digest_new = SHA-384(PAGE_INFO{digest_cur, contents, length=0x70,
 * page_type, imi_page=0, vmpl perms=0, gpa}). */
struct cigvm_ld {
	uint8_t digest[CIGVM_DIGEST_SIZE];
	uint64_t pages;
	cigvm_page_cb cb;
	void *cb_ctx;
};
void cigvm_ld_init(struct cigvm_ld *ld);
/* page: 4096 bytes, hashed for PAGE_TYPE_NORMAL and PAGE_TYPE_VMSA; ignored (may be NULL)
 * for the others, whose contents field is zero. */
int cigvm_ld_update(struct cigvm_ld *ld, uint64_t gpa, uint8_t page_type, const void *page,
		    struct cigvm_error *err);
/* Same with the contents hash already computed. */
int cigvm_ld_update_hashed(struct cigvm_ld *ld, uint64_t gpa, uint8_t page_type,
			   const uint8_t contents[CIGVM_DIGEST_SIZE], struct cigvm_error *err);

struct cigvm_measure_opts {
	uint32_t compatibility_mask; /* 0: the file's SEV-SNP platform mask */
	bool native_zero;   /* measure file_offset-0 pages as PAGE_TYPE_ZERO (default: NORMAL
			      pages of zeroes, as QEMU does) */
	bool vmsa_in_order; /* measure VP contexts where they appear (default: after every
			       page, as KVM does at SNP_LAUNCH_FINISH) */
	cigvm_page_cb cb;
	void *cb_ctx;
	/* vcpus 0: measure only the file's VP contexts. vcpus N: KVM measures one VMSA per
	 * vCPU 0..N-1; a vCPU without a VP context in the file gets the reset-state VMSA QEMU
	 * gives it (reset vector 0xfffffff0, RDX = vcpu_sig, SEV_FEATURES = sev_features;
	 * the same page as the BSP of cigvm_measure_qemu_ovmf). Not with vmsa_in_order. */
	unsigned vcpus;
	uint32_t vcpu_sig;
	uint64_t sev_features;
};
/* Launch digest of an IGVM file for SEV-SNP. */
int cigvm_measure_igvm(const cigvm_file *f, const struct cigvm_measure_opts *opts,
		       uint8_t digest[CIGVM_DIGEST_SIZE], struct cigvm_error *err);

/* ------------------------------------------------------ OVMF SEV metadata */

/* OVMF SEV metadata section types (OVMF ResetVector SEV metadata). */
#define CIGVM_OVMF_SECTION_SNP_SEC_MEM	     1u
#define CIGVM_OVMF_SECTION_SNP_SECRETS	     2u
#define CIGVM_OVMF_SECTION_CPUID	     3u
#define CIGVM_OVMF_SECTION_SVSM_CAA	     4u
#define CIGVM_OVMF_SECTION_SNP_KERNEL_HASHES 0x10u

#define CIGVM_OVMF_MAX_SECTIONS 32

struct cigvm_ovmf_section {
	uint32_t gpa;
	uint32_t size;
	uint32_t type;
};

struct cigvm_ovmf_info {
	uint64_t size; /* image size; mapped to end at 4 GiB */
	uint64_t gpa;  /* 4 GiB - size */
	bool has_reset_eip;
	uint32_t sev_es_reset_eip; /* AP reset address from the SEV-ES reset block */
	bool has_hashes_table;
	uint32_t hashes_table_gpa; /* SEV hash table (kernel hashes) */
	uint32_t hashes_table_size;
	uint32_t n_sections;
	struct cigvm_ovmf_section sections[CIGVM_OVMF_MAX_SECTIONS];
};

int cigvm_ovmf_parse(const void *image, size_t len, struct cigvm_ovmf_info *info,
		     struct cigvm_error *err);
const char *cigvm_ovmf_section_name(uint32_t type);

/* --------------------------------------- QEMU + OVMF SNP launch digest */

struct cigvm_qemu_launch {
	const void *ovmf; /* the OVMF.fd image */
	size_t ovmf_len;
	unsigned vcpus;
	uint32_t vcpu_sig;     /* CPUID(1).EAX of the vCPU model (goes into RDX) */
	uint64_t sev_features; /* VMSA SEV_FEATURES */
	uint64_t guest_policy; /* informational; not part of the digest */
	/* Optional kernel hashes (QEMU kernel-hashes=on): NULL when not used. */
	const void *kernel;
	size_t kernel_len;
	const void *initrd;
	size_t initrd_len;
	const char *cmdline; /* hashed with its terminating NUL, "" when NULL */
	cigvm_page_cb cb;
	void *cb_ctx;
};
int cigvm_measure_qemu_ovmf(const struct cigvm_qemu_launch *l, uint8_t digest[CIGVM_DIGEST_SIZE],
			    struct cigvm_error *err);

/* ------------------------------------------------------- ID block signing */

#define CIGVM_ID_BLOCK_SIZE 96u	  /* ABI 56860 Table "ID Block" */
#define CIGVM_ID_AUTH_SIZE  4096u /* ABI 56860 Table "ID Authentication Information" */

struct cigvm_sign_opts {
	uint8_t ld[CIGVM_DIGEST_SIZE]; /* expected launch digest */
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t guest_svn;
	uint64_t policy;
	const char *id_key_pem;	    /* ECDSA P-384 private key (PEM file) */
	const char *author_key_pem; /* optional: signs the ID key */
};
/* Produce the ID block and ID authentication information (binary, little endian). */
int cigvm_sign(const struct cigvm_sign_opts *o, uint8_t id_block[CIGVM_ID_BLOCK_SIZE],
	       uint8_t id_auth[CIGVM_ID_AUTH_SIZE], struct cigvm_error *err);
/* The same content as the IGVM SNP_ID_BLOCK header body. */
int cigvm_sign_igvm_id_block(const uint8_t id_block[CIGVM_ID_BLOCK_SIZE],
			     const uint8_t id_auth[CIGVM_ID_AUTH_SIZE], uint32_t compatibility_mask,
			     struct igvm_vhs_snp_id_block *out, struct cigvm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CIGVM_H */
