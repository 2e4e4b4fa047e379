/* SPDX-License-Identifier: MIT */
/*
 * SNP launch digest (SEV-SNP firmware ABI 56860, SNP_LAUNCH_UPDATE, "PAGE_INFO"):
 * each page extends the digest as LD = SHA-384(PAGE_INFO) where PAGE_INFO carries
 * the previous digest, the page's contents hash (or zero), its type and its GPA.
 */
#include <string.h>

#include <openssl/evp.h>

#include <sev/snp-firmware.h>

#include "internal.h"

_Static_assert(CIGVM_DIGEST_SIZE == SNP_SHA384_LEN, "launch digest is SHA-384");

void cigvm_ld_init(struct cigvm_ld *ld)
{
	memset(ld, 0, sizeof(*ld));
}

int cigvm_hasher_init(struct cigvm_hasher *h, struct cigvm_error *err)
{
	h->md = EVP_MD_fetch(NULL, "SHA384", NULL);
	h->ctx = EVP_MD_CTX_new();
	if (!h->md || !h->ctx) {
		cigvm_hasher_fini(h);
		return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "OpenSSL SHA-384 unavailable");
	}
	return CIGVM_OK;
}

void cigvm_hasher_fini(struct cigvm_hasher *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	h->ctx = NULL;
	h->md = NULL;
}

static int sha384(struct cigvm_hasher *h, const void *data, size_t len,
		  uint8_t out[CIGVM_DIGEST_SIZE])
{
	unsigned int n = 0;

	if (!h)
		return EVP_Digest(data, len, out, &n, EVP_sha384(), NULL) == 1 &&
				       n == CIGVM_DIGEST_SIZE
			       ? 0
			       : -1;
	if (EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1 ||
	    EVP_DigestUpdate(h->ctx, data, len) != 1 || EVP_DigestFinal_ex(h->ctx, out, &n) != 1)
		return -1;
	return n == CIGVM_DIGEST_SIZE ? 0 : -1;
}

static int ld_extend(struct cigvm_ld *ld, struct cigvm_hasher *h, uint64_t gpa, uint8_t page_type,
		     const uint8_t contents[CIGVM_DIGEST_SIZE], struct cigvm_error *err)
{
	struct snp_page_info pi;

	if (page_type < SNP_PAGE_TYPE_NORMAL || page_type > SNP_PAGE_TYPE_CPUID)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "unknown SNP page type %u",
				  page_type);
	if (gpa % IGVM_PAGE_SIZE_4K)
		return cigvm_fail(err, CIGVM_ERR_ALIGNMENT, -1, "gpa 0x%llx not page aligned",
				  (unsigned long long)gpa);
	memset(&pi, 0, sizeof(pi));
	memcpy(pi.digest_cur, ld->digest, sizeof(pi.digest_cur));
	if (contents)
		memcpy(pi.contents, contents, sizeof(pi.contents));
	pi.length = SNP_PAGE_INFO_SIZE;
	pi.page_type = page_type;
	pi.gpa = gpa;
	if (sha384(h, &pi, sizeof(pi), ld->digest))
		return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "SHA-384 failed");
	ld->pages++;
	if (ld->cb)
		ld->cb(ld->cb_ctx, gpa, page_type, pi.contents, ld->digest);
	return CIGVM_OK;
}

int cigvm_ld_update_hashed(struct cigvm_ld *ld, uint64_t gpa, uint8_t page_type,
			   const uint8_t contents[CIGVM_DIGEST_SIZE], struct cigvm_error *err)
{
	return ld_extend(ld, NULL, gpa, page_type, contents, err);
}

int cigvm_ld_update(struct cigvm_ld *ld, uint64_t gpa, uint8_t page_type, const void *page,
		    struct cigvm_error *err)
{
	return cigvm_ld_update_with(ld, NULL, gpa, page_type, page, err);
}

int cigvm_ld_update_with(struct cigvm_ld *ld, struct cigvm_hasher *h, uint64_t gpa,
			 uint8_t page_type, const void *page, struct cigvm_error *err)
{
	uint8_t contents[CIGVM_DIGEST_SIZE];

	memset(contents, 0, sizeof(contents));
	/* Only NORMAL and VMSA pages have their contents hashed (56860 PAGE_INFO CONTENTS). */
	if (page_type == SNP_PAGE_TYPE_NORMAL || page_type == SNP_PAGE_TYPE_VMSA) {
		if (!page)
			return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "page contents missing");
		if (sha384(h, page, IGVM_PAGE_SIZE_4K, contents))
			return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "SHA-384 failed");
	}
	return ld_extend(ld, h, gpa, page_type, contents, err);
}
