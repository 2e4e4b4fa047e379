/* SPDX-License-Identifier: MIT */
/* --fix: turn failed checks into a plan; apply its automatic steps only with --yes. */
#ifndef SNP_HOST_FIX_PLAN_H
#define SNP_HOST_FIX_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "provider.h"

#define FIX_MAX_STEPS 16

enum step_kind {
	STEP_WRITE_FILE, /* automatic: write path with content */
	STEP_COMMAND,	 /* automatic: run argv */
	STEP_MANUAL,	 /* printed only */
};

struct fix_step {
	enum step_kind kind;
	const char *text;    /* what it does, for people */
	const char *path;    /* STEP_WRITE_FILE */
	const char *content; /* STEP_WRITE_FILE */
	const char *id;	     /* STEP_COMMAND: provider probe id ("fix-...") */
	const char *argv[6]; /* STEP_COMMAND */
	const char *because; /* check id that asked for it */
};

struct fix_plan {
	struct fix_step steps[FIX_MAX_STEPS];
	size_t count;
	size_t manual;
};

void fix_plan_build(const struct check_list *l, struct fix_plan *plan);
void fix_plan_print(FILE *out, const struct fix_plan *plan);
/* Apply the automatic steps in order, stopping at the first failure.
 * Returns 0 when all applied, -1 on a failure (reported on out). */
int fix_plan_apply(FILE *out, struct provider *p, const struct fix_plan *plan);

#endif
