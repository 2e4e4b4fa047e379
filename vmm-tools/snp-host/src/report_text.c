// SPDX-License-Identifier: MIT
#include "report.h"

#include <string.h>

#define C_RED	 "\033[31m"
#define C_GREEN	 "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BLUE	 "\033[34m"
#define C_BOLD	 "\033[1m"
#define C_DIM	 "\033[2m"
#define C_RESET	 "\033[0m"

const char *target_name(enum target t)
{
	switch (t) {
	case TARGET_SVSM:
		return "svsm";
	case TARGET_SNP:
		return "snp";
	case TARGET_EMULATED:
		return "emulated";
	}
	return "?";
}

static const char *status_colour(enum check_status st)
{
	switch (st) {
	case CHECK_PASS:
		return C_GREEN;
	case CHECK_WARN:
		return C_YELLOW;
	case CHECK_FAIL:
		return C_RED;
	case CHECK_UNKNOWN:
		return C_BLUE;
	case CHECK_SKIP:
		return C_DIM;
	}
	return "";
}

static const char *level_colour(enum level_state s)
{
	return s == LEVEL_YES ? C_GREEN : s == LEVEL_NO ? C_RED : C_BLUE;
}

void report_text(FILE *out, const struct check_list *l, const struct readiness *r,
		 const struct report_meta *m, bool colour)
{
	const char *category = "";
	for (size_t i = 0; i < l->count; i++) {
		const struct check_result *c = &l->items[i];
		if (strcmp(c->category, category) != 0) {
			category = c->category;
			fprintf(out, "%s%s%s\n", colour ? C_BOLD : "", category,
				colour ? C_RESET : "");
		}
		fprintf(out, "  %s%-7s%s %-30s %s\n", colour ? status_colour(c->status) : "",
			check_status_name(c->status), colour ? C_RESET : "", c->title,
			c->detail ? c->detail : "");
		if (c->fix && c->status != CHECK_PASS && c->status != CHECK_SKIP)
			fprintf(out, "  %-7s %-30s fix: %s\n", "", "", c->fix);
	}
	bool any_root = false;
	for (size_t i = 0; i < l->count; i++)
		any_root |= l->items[i].needs_root;
	if (any_root && !m->is_root) {
		fprintf(out, "\nNot running as root; these checks need root:");
		for (size_t i = 0; i < l->count; i++) {
			if (l->items[i].needs_root)
				fprintf(out, " %s", l->items[i].id);
		}
		fprintf(out, "\n");
	}
	fprintf(out, "\n%sReadiness%s\n", colour ? C_BOLD : "", colour ? C_RESET : "");
	const struct {
		const char *name;
		const struct level_eval *e;
	} levels[] = {
		{"plain SEV-SNP guests", &r->snp},
		{"SEV-SNP with SVSM", &r->svsm},
		{"emulated SNP (TCG)", &r->emulated},
	};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		const struct level_eval *e = levels[i].e;
		fprintf(out, "  %-22s %s%-7s%s%s%s\n", levels[i].name,
			colour ? level_colour(e->state) : "", level_state_name(e->state),
			colour ? C_RESET : "", e->blocker ? " blocked by " : "",
			e->blocker ? e->blocker : "");
	}
	fprintf(out, "\n%s\n", r->summary);
	fprintf(out, "exit status %d (target: %s)\n", m->exit_status, target_name(m->target));
}
