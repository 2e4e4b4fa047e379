/* SPDX-License-Identifier: MIT */
/*
 * OVMF SEV metadata. OVMF ends with a GUIDed table (OvmfPkg ResetVector, consumed by
 * QEMU hw/i386/pc_sysfw_ovmf.c): the 16-byte footer GUID sits 32 bytes before the end
 * of the image, preceded by the table's total length (u16). Entries are walked from
 * the end backwards, each laid out as data | u16 length (data + 18) | GUID.
 * The SEV metadata entry holds the offset (from the image end) of an "ASEV" header
 * {signature, length, version, count} followed by count {base, length, type} u32 triples.
 */
#include <string.h>

#include "guid.h"
#include "internal.h"

#define OVMF_TABLE_FOOTER_GUID	 "96b582de-1fb2-45f7-baea-a366c55a082d"
#define OVMF_SEV_METADATA_GUID	 "dc886566-984a-4798-a75e-5585a7bf67cc"
#define OVMF_SEV_ES_RESET_GUID	 "00f771de-1a7e-4fcb-890e-68c77e2fb44e"
#define OVMF_SEV_HASH_TABLE_GUID "7255371f-3a3b-4b04-927b-1da6efa8d454"
#define FOUR_GIB		 0x100000000ull
#define ENTRY_TRAILER		 18u /* u16 length + GUID */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

const char *cigvm_ovmf_section_name(uint32_t type)
{
	switch (type) {
	case CIGVM_OVMF_SECTION_SNP_SEC_MEM:
		return "SNP_SEC_MEM";
	case CIGVM_OVMF_SECTION_SNP_SECRETS:
		return "SNP_SECRETS";
	case CIGVM_OVMF_SECTION_CPUID:
		return "CPUID";
	case CIGVM_OVMF_SECTION_SVSM_CAA:
		return "SVSM_CAA";
	case CIGVM_OVMF_SECTION_SNP_KERNEL_HASHES:
		return "SNP_KERNEL_HASHES";
	default:
		return "UNKNOWN";
	}
}

static int parse_metadata(const uint8_t *img, size_t len, uint32_t off_from_end,
			  struct cigvm_ovmf_info *info, struct cigvm_error *err)
{
	const uint8_t *m;
	uint32_t mlen, count;

	if (off_from_end < 16 || off_from_end > len)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF SEV metadata offset 0x%x is outside the image",
				  off_from_end);
	m = img + len - off_from_end;
	if (memcmp(m, "ASEV", 4) != 0)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF SEV metadata has no \"ASEV\" signature");
	mlen = rd32(m + 4);
	count = rd32(m + 12);
	if (mlen < 16 || mlen > off_from_end || (uint64_t)count * 12 > mlen - 16)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF SEV metadata: %u sections do not fit its length %u", count,
				  mlen);
	if (count > CIGVM_OVMF_MAX_SECTIONS)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF SEV metadata: %u sections (at most %u supported)", count,
				  CIGVM_OVMF_MAX_SECTIONS);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *d = m + 16 + 12 * i;

		info->sections[i].gpa = rd32(d);
		info->sections[i].size = rd32(d + 4);
		info->sections[i].type = rd32(d + 8);
	}
	info->n_sections = count;
	return CIGVM_OK;
}

int cigvm_ovmf_parse(const void *image, size_t len, struct cigvm_ovmf_info *info,
		     struct cigvm_error *err)
{
	const uint8_t *img = image;
	uint8_t footer[16], meta[16], reset[16], hashes[16];
	size_t end, table_len;
	bool have_meta = false;
	uint32_t meta_off = 0;

	if (!image || !info)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	memset(info, 0, sizeof(*info));
	if (len < 4096 || len % 4096 || len > FOUR_GIB)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF image size %zu is not a multiple of 4 KiB below 4 GiB",
				  len);
	info->size = len;
	info->gpa = FOUR_GIB - len;
	cigvm_guid_parse(OVMF_TABLE_FOOTER_GUID, footer);
	cigvm_guid_parse(OVMF_SEV_METADATA_GUID, meta);
	cigvm_guid_parse(OVMF_SEV_ES_RESET_GUID, reset);
	cigvm_guid_parse(OVMF_SEV_HASH_TABLE_GUID, hashes);
	if (memcmp(img + len - 48, footer, 16) != 0)
		return cigvm_fail(
			err, CIGVM_ERR_FORMAT, -1,
			"no OVMF GUIDed table footer 32 bytes before the end of the image");
	table_len = rd16(img + len - 50);
	if (table_len < ENTRY_TRAILER || table_len > len - 32)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1, "OVMF table length %zu is invalid",
				  table_len);
	/* Walk entries between the table start and the footer entry. */
	end = len - 32 - ENTRY_TRAILER;
	{
		size_t start = len - 32 - table_len;

		while (end - start >= ENTRY_TRAILER) {
			const uint8_t *guid = img + end - 16;
			size_t elen = rd16(img + end - ENTRY_TRAILER);
			const uint8_t *data;

			if (elen < ENTRY_TRAILER || elen > end - start)
				return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
						  "OVMF table entry length %zu is invalid", elen);
			data = img + end - elen;
			if (!memcmp(guid, meta, 16) && elen >= ENTRY_TRAILER + 4) {
				have_meta = true;
				meta_off = rd32(data);
			} else if (!memcmp(guid, reset, 16) && elen >= ENTRY_TRAILER + 4) {
				info->has_reset_eip = true;
				info->sev_es_reset_eip = rd32(data);
			} else if (!memcmp(guid, hashes, 16) && elen >= ENTRY_TRAILER + 8) {
				info->has_hashes_table = true;
				info->hashes_table_gpa = rd32(data);
				info->hashes_table_size = rd32(data + 4);
			}
			end -= elen;
		}
	}
	if (!have_meta)
		return cigvm_fail(err, CIGVM_ERR_FORMAT, -1,
				  "OVMF image has no SEV metadata (not an SNP-capable build)");
	return parse_metadata(img, len, meta_off, info, err);
}
