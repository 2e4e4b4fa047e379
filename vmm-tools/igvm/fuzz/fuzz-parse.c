/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the IGVM parser must reject or accept any input without memory
 * errors, and whatever it accepts must be walkable, measurable and re-serializable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cigvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cigvm_error err;
	cigvm_file *f = NULL;
	uint8_t digest[CIGVM_DIGEST_SIZE];
	struct cigvm_ovmf_info info;

	/* The OVMF table walker sees the same bytes. */
	(void)cigvm_ovmf_parse(data, size, &info, &err);
	if (cigvm_parse_buffer(data, size, CIGVM_PARSE_NO_CHECKSUM, &f, &err) != 0)
		return 0;
	for (size_t i = 0; i < cigvm_header_count(f); i++) {
		const struct cigvm_header *h = cigvm_header_at(f, i);
		uint8_t page[4096];
		const struct igvm_vhs_vp_context *vp = cigvm_header_vp_context(h);

		(void)cigvm_header_type_name(h->type);
		if (vp)
			(void)cigvm_vp_context_read(f, vp, page, &err);
	}
	if (cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP))
		(void)cigvm_measure_igvm(f, NULL, digest, &err);
	{
		cigvm_builder *b = NULL;
		void *out = NULL;
		size_t len = 0;

		if (cigvm_builder_from_file(f, NULL, &b, &err) == 0 &&
		    cigvm_builder_write_buffer(b, &out, &len, &err) == 0)
			free(out);
		cigvm_builder_free(b);
	}
	cigvm_close(f);
	return 0;
}
