// SPDX-License-Identifier: MIT
/* Platform selection: the only place that names a concrete platform. */
#include "svsmk/platform.h"

extern const struct platform_ops native_platform;

const struct platform_ops *platform = &native_platform;

void platform_select(const struct boot_info *bi)
{
	/* An SNP platform will be chosen here from SEV_STATUS / the boot protocol magic. */
	(void)bi;
	platform = &native_platform;
}
