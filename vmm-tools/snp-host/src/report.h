/* SPDX-License-Identifier: MIT */
/* Reports: a (coloured) table for people, JSON for automation. */
#ifndef SNP_HOST_REPORT_H
#define SNP_HOST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "readiness.h"

struct report_meta {
	bool is_root;
	enum target target;
	int exit_status;
};

void report_text(FILE *out, const struct check_list *l, const struct readiness *r,
		 const struct report_meta *m, bool colour);
/* Returns the JSON document (caller puts it). */
json_object *report_json(const struct check_list *l, const struct readiness *r,
			 const struct report_meta *m);
const char *target_name(enum target t);

#endif
