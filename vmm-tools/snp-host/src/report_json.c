// SPDX-License-Identifier: MIT
#include "report.h"

static json_object *level_json(const struct level_eval *e)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(level_state_name(e->state)));
	json_object_object_add(o, "blocked_by",
			       e->blocker ? json_object_new_string(e->blocker) : NULL);
	return o;
}

json_object *report_json(const struct check_list *l, const struct readiness *r,
			 const struct report_meta *m)
{
	json_object *doc = json_object_new_object();
	json_object_object_add(doc, "tool", json_object_new_string("snp-host"));
	json_object_object_add(doc, "format", json_object_new_int(1));
	json_object_object_add(doc, "root", json_object_new_boolean(m->is_root));
	json_object *checks = json_object_new_array();
	json_object *needs_root = json_object_new_array();
	for (size_t i = 0; i < l->count; i++) {
		const struct check_result *c = &l->items[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(c->id));
		json_object_object_add(o, "category", json_object_new_string(c->category));
		json_object_object_add(o, "title", json_object_new_string(c->title));
		json_object_object_add(o, "status",
				       json_object_new_string(check_status_name(c->status)));
		json_object_object_add(o, "detail",
				       json_object_new_string(c->detail ? c->detail : ""));
		json_object_object_add(o, "fix", c->fix ? json_object_new_string(c->fix) : NULL);
		json_object_object_add(o, "needs_root", json_object_new_boolean(c->needs_root));
		if (c->data)
			json_object_object_add(o, "data", json_object_get(c->data));
		json_object_array_add(checks, o);
		if (c->needs_root)
			json_object_array_add(needs_root, json_object_new_string(c->id));
	}
	json_object_object_add(doc, "checks", checks);
	json_object_object_add(doc, "needs_root", needs_root);
	json_object *rd = json_object_new_object();
	json_object_object_add(rd, "snp", level_json(&r->snp));
	json_object_object_add(rd, "snp_svsm", level_json(&r->svsm));
	json_object_object_add(rd, "emulated", level_json(&r->emulated));
	json_object_object_add(rd, "summary", json_object_new_string(r->summary));
	json_object_object_add(doc, "readiness", rd);
	json_object_object_add(doc, "target", json_object_new_string(target_name(m->target)));
	json_object_object_add(doc, "exit_status", json_object_new_int(m->exit_status));
	return doc;
}
