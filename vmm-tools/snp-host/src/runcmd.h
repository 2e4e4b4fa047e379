/* SPDX-License-Identifier: MIT */
/* Run an external program with a time limit, capturing stdout+stderr. */
#ifndef SNP_HOST_RUNCMD_H
#define SNP_HOST_RUNCMD_H

#include "provider.h"

/* PROBE_ABSENT when argv[0] cannot be executed (not installed). */
enum probe_status runcmd(const char *const argv[], const char *input, unsigned timeout_s,
			 struct cmd_result *res);

#endif
