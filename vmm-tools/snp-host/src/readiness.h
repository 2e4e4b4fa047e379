/* SPDX-License-Identifier: MIT */
/* Readiness summary: what this host can run, derived from the check results. */
#ifndef SNP_HOST_READINESS_H
#define SNP_HOST_READINESS_H

#include "check.h"

enum level_state { LEVEL_YES, LEVEL_NO, LEVEL_UNKNOWN };

enum target {
	TARGET_SVSM,	 /* SNP guests with an SVSM on hardware (default) */
	TARGET_SNP,	 /* plain SNP guests on hardware */
	TARGET_EMULATED, /* the emulated SNP platform under TCG */
};

struct level_eval {
	enum level_state state;
	const char *blocker; /* id of the first check that is FAIL/SKIP/UNKNOWN */
};

struct readiness {
	struct level_eval snp, svsm, emulated;
	char summary[512];
};

const char *level_state_name(enum level_state s);
void readiness_eval(const struct check_list *l, struct readiness *out);
/* Exit status for target: 0 ready, 1 not ready, 2 could not check. */
int readiness_exit_status(const struct readiness *r, enum target t);

#endif
