// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* vasprintf */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *check_status_name(enum check_status st)
{
	switch (st) {
	case CHECK_PASS:
		return "PASS";
	case CHECK_WARN:
		return "WARN";
	case CHECK_FAIL:
		return "FAIL";
	case CHECK_UNKNOWN:
		return "UNKNOWN";
	case CHECK_SKIP:
		return "SKIP";
	}
	return "?";
}

void check_list_free(struct check_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].detail);
		free(l->items[i].fix);
		if (l->items[i].data)
			json_object_put(l->items[i].data);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static char *vformat(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

struct check_result *check_add(struct check_list *l, const char *id, const char *category,
			       const char *title, enum check_status st, const char *fix,
			       const char *fmt, ...)
{
	if (l->count == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct check_result *n = realloc(l->items, ncap * sizeof(*n));
		if (!n) {
			fprintf(stderr, "snp-host: out of memory\n");
			exit(2);
		}
		l->items = n;
		l->cap = ncap;
	}
	struct check_result *r = &l->items[l->count++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->category = category;
	r->title = title;
	r->status = st;
	va_list ap;
	va_start(ap, fmt);
	r->detail = vformat(fmt, ap);
	va_end(ap);
	r->fix = fix ? strdup(fix) : NULL;
	return r;
}

void check_set_fix(struct check_result *r, enum fix_kind kind, const char *fmt, ...)
{
	free(r->fix);
	va_list ap;
	va_start(ap, fmt);
	r->fix = vformat(fmt, ap);
	va_end(ap);
	r->fix_kind = kind;
}

const struct check_result *check_find(const struct check_list *l, const char *id)
{
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	}
	return NULL;
}

enum check_status check_status_of(const struct check_list *l, const char *id)
{
	const struct check_result *r = check_find(l, id);
	return r ? r->status : CHECK_SKIP;
}

json_object *check_data(struct check_result *r)
{
	if (!r->data)
		r->data = json_object_new_object();
	return r->data;
}

struct check_result *check_add_probe_failure(struct check_list *l, const char *id,
					     const char *category, const char *title,
					     enum probe_status st, const char *what)
{
	struct check_result *r;
	if (st == PROBE_DENIED) {
		r = check_add(l, id, category, title, CHECK_UNKNOWN, "run snp-host as root",
			      "cannot read %s: needs root", what);
		r->needs_root = true;
	} else {
		r = check_add(l, id, category, title, CHECK_UNKNOWN, NULL, "cannot read %s: %s",
			      what, probe_status_name(st));
	}
	return r;
}
