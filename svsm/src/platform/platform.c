// SPDX-License-Identifier: MIT
/*
 * Platform selection: the only place that names a concrete platform. SEV_STATUS (read with a
 * #GP-tolerant RDMSR, since the MSR does not exist outside AMD SEV-capable CPUs) picks SNP;
 * an SEV guest that is not SNP, or SNP not at VMPL0, is refused with a GHCB MSR-protocol
 * termination carrying the reason.
 */
#include <sev/sev-status.h>
#include "svsmk/arch/boot_asm.h"
#include "svsmk/platform.h"
#include "svsmk/snp.h"
#include "snp/snp_hw.h"

_Static_assert(BOOT_MSR_SEV_STATUS == MSR_SEV_STATUS, "head.S SEV_STATUS MSR number");
_Static_assert(BOOT_SEV_STATUS_SNP == SEV_STATUS_SNP, "head.S SEV_STATUS SNP bit");

extern const struct platform_ops native_platform;
extern const struct platform_ops snp_platform;
enum snp_env snp_probe(void);

const struct platform_ops *platform = &native_platform;
enum snp_env platform_env;

void platform_select(const struct boot_info *bi)
{
	(void)bi;
	platform_env = snp_probe();
	switch (platform_env) {
	case SNP_ENV_OK:
		platform = &snp_platform;
		break;
	case SNP_ENV_NOT_SNP:
		snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_NOT_SNP);
	case SNP_ENV_NOT_VMPL0:
		snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_NOT_VMPL0);
	case SNP_ENV_NATIVE:
		platform = &native_platform;
		break;
	}
}
