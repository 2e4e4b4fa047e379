// SPDX-License-Identifier: MIT
/*
 * Decide whether this boot is native, a usable SNP VMPL0, or an SNP/SEV guest we must refuse.
 * SEV_STATUS (APM vol. 2, 15.34.10) says whether SNP is active. VMPL0 is proven with
 * RMPADJUST: it may only lower the permissions of a numerically higher VMPL than the current
 * one (APM vol. 3, RMPADJUST: "target VMPL must be greater than the current VMPL", else
 * FAIL_PERMISSION), so changing VMPL1's permissions succeeds only at VMPL0.
 */
#include <sev/rmp-instr.h>
#include <sev/sev-status.h>
#include "svsmk/snp.h"

enum snp_env snp_classify(uint64_t sev_status, bool msr_ok, uint32_t rmpadjust_eax)
{
	if (!msr_ok || !(sev_status & SEV_STATUS_SEV))
		return SNP_ENV_NATIVE;
	if (!(sev_status & SEV_STATUS_SNP))
		return SNP_ENV_NOT_SNP;
	if (rmpadjust_eax != RMP_INSTR_SUCCESS)
		return SNP_ENV_NOT_VMPL0;
	return SNP_ENV_OK;
}

const char *snp_env_message(enum snp_env e)
{
	switch (e) {
	case SNP_ENV_NATIVE:
		return "no SEV: native platform";
	case SNP_ENV_OK:
		return "SEV-SNP active, running at VMPL0";
	case SNP_ENV_NOT_SNP:
		return "SEV/SEV-ES guest without SNP: the SVSM needs SEV-SNP";
	case SNP_ENV_NOT_VMPL0:
		return "SEV-SNP guest not at VMPL0 (RMPADJUST of VMPL1 refused): the SVSM must run "
		       "at VMPL0";
	}
	return "?";
}
