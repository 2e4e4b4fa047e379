// SPDX-License-Identifier: MIT
/*
 * The SNP platform's code that can run on the native platform, run in the kernel build:
 * platform selection (SEV_STATUS probe with the #GP fixup), the guest permission ranges over
 * the real boot memory map, and the 2 MiB -> 4 KiB PVALIDATE fallback against the fake RMP.
 */
#include <sev/rmp-instr.h>
#include <sev/sev-status.h>
#include <x86/msr.h>
#include "svsmk/fake_rmp.h"
#include "svsmk/guest_access.h"
#include "svsmk/layout.h"
#include "svsmk/mm.h"
#include "svsmk/platform.h"
#include "svsmk/snp.h"
#include "svsmk/string.h"
#include "svsmk/test.h"

extern enum snp_env platform_env;

SVSM_TEST(snp_probe_selects_native_here)
{
	uint64_t v = 0;
	/* EFER exists everywhere; SEV_STATUS does not on this CPU: #GP, fixed up. */
	KT_ASSERT_EQ(rdmsr_safe(MSR_EFER, &v), 0);
	KT_ASSERT(v & EFER_LME);
	int rc = rdmsr_safe(MSR_SEV_STATUS, &v);
	KT_ASSERT(rc == -EFAULT || (rc == 0 && !(v & SEV_STATUS_SEV)));
	KT_ASSERT_EQ(platform_env, SNP_ENV_NATIVE);
	KT_ASSERT(strcmp(platform->name, "native") == 0);
}

SVSM_TEST(snp_perm_ranges_on_boot_memmap)
{
	static struct perm_range out[256];
	const struct perm_range excl[] = {
		{svsm_load_pa - SNP_BOOT_PAGES_SIZE, SNP_BOOT_PAGES_SIZE + SVSM_REGION_SIZE, 0}};
	int n = perm_ranges(&boot_memmap, excl, 1, out, 256);
	KT_ASSERT(n > 0);
	uint64_t total = 0;
	for (int i = 0; i < n; i++) {
		KT_ASSERT(memmap_is_ram(&boot_memmap, out[i].gpa, out[i].len));
		KT_ASSERT(!(out[i].gpa < excl[0].gpa + excl[0].len &&
			    excl[0].gpa < out[i].gpa + out[i].len));
		if (out[i].size == RMP_PG_SIZE_2M)
			KT_ASSERT((out[i].gpa | out[i].len) % 0x200000 == 0);
		total += out[i].len;
	}
	/* Everything but the excluded 8 MiB + 16 KiB (all RAM here) is given away. */
	uint64_t ram = memmap_ram_bytes(&boot_memmap);
	KT_ASSERT(total <= ram - SVSM_REGION_SIZE);
	KT_ASSERT(total + SVSM_REGION_SIZE + SNP_BOOT_PAGES_SIZE + 0x100000 >= ram);
}

#define FPAGES 2048 /* 8 MiB of fake RMP */
static struct fake_page fpages[FPAGES];
static uint8_t fchunks[FPAGES / 512];

SVSM_TEST(snp_pvalidate_fallback_in_kernel)
{
	struct fake_rmp f;
	struct core_backend be = {0};
	fake_rmp_init(&f, 0x8000000, FPAGES, fpages, fchunks, 0, 0);
	fake_rmp_backend(&f, &be);
	fchunks[0] = 1; /* first 2 MiB: one 2 MiB RMP entry; the rest 4 KiB entries */
	struct pv_ops ops = {&f, be.pvalidate};
	struct pv_stats st = {0};
	KT_ASSERT_EQ(pvalidate_range(&ops, NULL, 0x8000000, FPAGES, 1, &st), 0);
	KT_ASSERT_EQ(st.ops_2m, 1);
	KT_ASSERT_EQ(st.fallbacks, 3);
	KT_ASSERT_EQ(st.ops_4k, 3 * 512);
	KT_ASSERT(fpages[0].valid && fpages[FPAGES - 1].valid);
}
