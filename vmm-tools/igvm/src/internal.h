/* SPDX-License-Identifier: MIT */
/* libcigvm internals shared between the library's source files (not installed). */
#ifndef CIGVM_INTERNAL_H
#define CIGVM_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "cigvm.h"

struct cigvm_file {
	uint32_t format_version;
	uint32_t architecture;
	uint32_t page_size;
	uint32_t checksum;
	uint64_t total_size;
	uint64_t data_start; /* first byte after the variable header region */
	size_t n_headers;
	struct cigvm_header *headers;
	uint8_t *vh; /* copy of the variable header region; header bodies point into it */
	/* Data source: either an in-memory copy of the whole file or a file descriptor. */
	uint8_t *image;
	int fd;
};

/* Fill `err` (when not NULL) and return `status`. */
int cigvm_fail(struct cigvm_error *err, int status, int64_t header_index, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Size of the fixed header of a format version (24 or 32). */
size_t cigvm_fixed_size(uint32_t format_version);

/* Validate the fixed header. `fixed` holds the first `avail` bytes of the file (at most 32);
 * `actual_size` is the real file size. Fills the version fields of `f` and the variable
 * header region location. */
int cigvm_parse_fixed(struct cigvm_file *f, const uint8_t *fixed, size_t avail,
		      uint64_t actual_size, uint32_t *vh_offset, uint32_t *vh_size,
		      struct cigvm_error *err);

/* Verify the checksum (unless CIGVM_PARSE_NO_CHECKSUM), split f->vh (vh_size bytes) into
 * headers and validate every rule of the format. */
int cigvm_parse_variable(struct cigvm_file *f, const uint8_t *fixed, uint32_t vh_size,
			 unsigned flags, struct cigvm_error *err);

/* IEEE CRC-32 (zlib) of the fixed header (checksum field as zero) and variable headers. */
uint32_t cigvm_header_crc(const uint8_t *fixed, size_t fixed_size, const uint8_t *vh,
			  size_t vh_size);

/* A reusable SHA-384 context, so that hashing a page costs no allocation. */
struct cigvm_hasher {
	void *ctx; /* EVP_MD_CTX */
	void *md;  /* EVP_MD */
};
int cigvm_hasher_init(struct cigvm_hasher *h, struct cigvm_error *err);
void cigvm_hasher_fini(struct cigvm_hasher *h);
/* Like cigvm_ld_update, hashing with `h` (NULL: one-shot EVP_Digest). */
int cigvm_ld_update_with(struct cigvm_ld *ld, struct cigvm_hasher *h, uint64_t gpa,
			 uint8_t page_type, const void *page, struct cigvm_error *err);

/* x86 reset vector: CS base 0xffff0000, IP 0xfff0 (APM vol 2 14.1.3). */
#define CIGVM_BSP_RESET_EIP 0xfffffff0u
/* The reset-state VMSA page (4096 bytes) QEMU/KVM give a vCPU starting at `eip`
 * (measure-qemu.c documents every field). */
void cigvm_qemu_reset_vmsa(void *page, uint32_t eip, uint32_t vcpu_sig, uint64_t sev_features);

static inline int cigvm_is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

#endif
