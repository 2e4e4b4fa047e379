// SPDX-License-Identifier: MIT
/*
 * Answers CPUID from the SNP CPUID page (SNP firmware ABI 56860, 8.17.2.6): the firmware
 * checked these values at launch, the hypervisor's live answers are not trusted.
 * Matching is data-driven: an entry whose (leaf, subleaf) matches wins; otherwise a leaf the
 * table lists only with subleaf 0 is not subleaf-indexed and that entry answers any subleaf.
 */
#include "svsmk/compiler.h"
#include "svsmk/snp.h"

int snp_cpuid_lookup(const struct snp_cpuid_table *t, uint32_t leaf, uint32_t subleaf,
		     struct cpuid_result *out)
{
	if (t->count > SNP_CPUID_COUNT_MAX)
		return -EINVAL;
	const struct snp_cpuid_fn *any = NULL;
	bool indexed = false;
	for (uint32_t i = 0; i < t->count; i++) {
		const struct snp_cpuid_fn *f = &t->fn[i];
		if (f->eax_in != leaf)
			continue;
		if (f->ecx_in == subleaf) {
			*out = (struct cpuid_result){f->eax, f->ebx, f->ecx, f->edx};
			return 0;
		}
		if (f->ecx_in != 0)
			indexed = true;
		else
			any = f;
	}
	if (any && !indexed) {
		*out = (struct cpuid_result){any->eax, any->ebx, any->ecx, any->edx};
		return 0;
	}
	*out = (struct cpuid_result){0};
	return -ENOENT;
}
