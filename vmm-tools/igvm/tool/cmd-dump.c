/* SPDX-License-Identifier: MIT */
/* igvmtool dump: every header of an IGVM file as a table or JSON. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

static void add_u64(struct json_object *o, const char *k, uint64_t v)
{
	json_object_object_add(o, k, json_object_new_uint64(v));
}

static void add_hex(struct json_object *o, const char *k, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	json_object_object_add(o, k, json_object_new_string(buf));
}

static void add_bytes(struct json_object *o, const char *k, const uint8_t *p, size_t n)
{
	char buf[2 * 72 + 1];

	tool_hex(p, n, buf);
	json_object_object_add(o, k, json_object_new_string(buf));
}

static const char *platform_name(uint8_t t)
{
	static const char *names[] = {"NATIVE", "VSM_ISOLATION", "SEV_SNP", "TDX", "SEV", "SEV_ES"};

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "UNKNOWN";
}

static const char *data_type_name(uint16_t t)
{
	static const char *names[] = {"NORMAL", "SECRETS", "CPUID_DATA", "CPUID_XF"};

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "UNKNOWN";
}

static void page_flags(struct json_object *o, uint32_t flags)
{
	struct json_object *a = json_object_new_array();

	if (flags & IGVM_PAGE_DATA_FLAG_IS_2MB_PAGE)
		json_object_array_add(a, json_object_new_string("2MB"));
	if (flags & IGVM_PAGE_DATA_FLAG_UNMEASURED)
		json_object_array_add(a, json_object_new_string("UNMEASURED"));
	if (flags & IGVM_PAGE_DATA_FLAG_SHARED)
		json_object_array_add(a, json_object_new_string("SHARED"));
	json_object_object_add(o, "flags", a);
}

/* The fields of one header as a JSON object (shared by the table and --json output). */
static struct json_object *header_json(const cigvm_file *f, size_t i)
{
	const struct cigvm_header *h = cigvm_header_at(f, i);
	struct json_object *o = json_object_new_object();
	const struct igvm_vhs_supported_platform *sp;
	const struct igvm_vhs_guest_policy *gp;
	const struct igvm_vhs_parameter_area *pa;
	const struct igvm_vhs_page_data *pd;
	const struct igvm_vhs_parameter_insert *pi;
	const struct igvm_vhs_vp_context *vp;
	const struct igvm_vhs_required_memory *rm;
	const struct igvm_vhs_error_range *er;
	const struct igvm_vhs_snp_id_block *ib;
	const struct igvm_vhs_parameter *p;

	add_u64(o, "index", i);
	json_object_object_add(o, "type", json_object_new_string(cigvm_header_type_name(h->type)));
	add_hex(o, "type_value", h->type);
	json_object_object_add(o, "ignorable",
			       json_object_new_boolean(!!(h->type & IGVM_VHT_IGNORABLE_BIT)));
	add_hex(o, "offset", h->file_offset);
	add_u64(o, "length", h->length);
	if ((sp = cigvm_header_supported_platform(h))) {
		add_hex(o, "compatibility_mask", sp->compatibility_mask);
		json_object_object_add(o, "platform",
				       json_object_new_string(platform_name(sp->platform_type)));
		add_u64(o, "platform_version", sp->platform_version);
		add_u64(o, "highest_vtl", sp->highest_vtl);
		add_hex(o, "shared_gpa_boundary", sp->shared_gpa_boundary);
	} else if ((gp = cigvm_header_guest_policy(h))) {
		add_hex(o, "compatibility_mask", gp->compatibility_mask);
		add_hex(o, "policy", gp->policy);
	} else if ((pa = cigvm_header_parameter_area(h))) {
		add_u64(o, "parameter_area_index", pa->parameter_area_index);
		add_hex(o, "number_of_bytes", pa->number_of_bytes);
		add_hex(o, "file_offset", pa->file_offset);
	} else if ((pd = cigvm_header_page_data(h))) {
		add_hex(o, "gpa", pd->gpa);
		add_hex(o, "compatibility_mask", pd->compatibility_mask);
		add_hex(o, "file_offset", pd->file_offset);
		page_flags(o, pd->flags);
		json_object_object_add(o, "data_type",
				       json_object_new_string(data_type_name(pd->data_type)));
	} else if ((pi = cigvm_header_parameter_insert(h))) {
		add_hex(o, "gpa", pi->gpa);
		add_hex(o, "compatibility_mask", pi->compatibility_mask);
		add_u64(o, "parameter_area_index", pi->parameter_area_index);
	} else if ((vp = cigvm_header_vp_context(h))) {
		add_hex(o, "gpa", vp->gpa);
		add_hex(o, "compatibility_mask", vp->compatibility_mask);
		add_hex(o, "file_offset", vp->file_offset);
		add_u64(o, "vp_index", vp->vp_index);
	} else if ((rm = cigvm_header_required_memory(h))) {
		add_hex(o, "gpa", rm->gpa);
		add_hex(o, "compatibility_mask", rm->compatibility_mask);
		add_hex(o, "number_of_bytes", rm->number_of_bytes);
		add_hex(o, "flags", rm->flags);
	} else if ((er = cigvm_header_error_range(h))) {
		add_hex(o, "gpa", er->gpa);
		add_hex(o, "compatibility_mask", er->compatibility_mask);
		add_hex(o, "size_bytes", er->size_bytes);
	} else if ((ib = cigvm_header_snp_id_block(h))) {
		add_hex(o, "compatibility_mask", ib->compatibility_mask);
		add_u64(o, "author_key_enabled", ib->author_key_enabled);
		add_bytes(o, "ld", ib->ld, sizeof(ib->ld));
		add_bytes(o, "family_id", ib->family_id, sizeof(ib->family_id));
		add_bytes(o, "image_id", ib->image_id, sizeof(ib->image_id));
		add_u64(o, "version", ib->version);
		add_u64(o, "guest_svn", ib->guest_svn);
		add_u64(o, "id_key_algorithm", ib->id_key_algorithm);
		add_u64(o, "author_key_algorithm", ib->author_key_algorithm);
	} else if ((p = cigvm_header_parameter(h))) {
		add_u64(o, "parameter_area_index", p->parameter_area_index);
		add_hex(o, "byte_offset", p->byte_offset);
	}
	return o;
}

static void print_row(struct json_object *o)
{
	printf("%4" PRId64 "  %-8s %-20s",
	       json_object_get_int64(json_object_object_get(o, "index")),
	       json_object_get_string(json_object_object_get(o, "offset")),
	       json_object_get_string(json_object_object_get(o, "type")));
	json_object_object_foreach(o, key, val)
	{
		static const char *skip[] = {"index",	   "offset", "type",
					     "type_value", "length", "ignorable"};
		size_t k;

		for (k = 0; k < sizeof(skip) / sizeof(skip[0]); k++)
			if (!strcmp(key, skip[k]))
				break;
		if (k < sizeof(skip) / sizeof(skip[0]))
			continue;
		printf(" %s=%s", key,
		       json_object_get_string(val) ? json_object_get_string(val) : "");
	}
	if (json_object_get_boolean(json_object_object_get(o, "ignorable")))
		printf(" (ignorable)");
	putchar('\n');
}

static void dump_usage(FILE *out)
{
	fprintf(out, "usage: igvmtool dump [--json] [--no-checksum] FILE.igvm\n"
		     "  Validates FILE and prints its fixed header and every variable header.\n"
		     "  --json          machine-readable output\n"
		     "  --no-checksum   do not verify the header checksum\n");
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
					     {"no-checksum", no_argument, NULL, 'n'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct cigvm_error err;
	cigvm_file *f = NULL;
	unsigned flags = 0;
	bool json = false;
	struct json_object *root, *arr;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jnh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'n':
			flags |= CIGVM_PARSE_NO_CHECKSUM;
			break;
		case 'h':
			dump_usage(stdout);
			return 0;
		default:
			dump_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		dump_usage(stderr);
		return 2;
	}
	if (cigvm_open(argv[optind], flags, &f, &err))
		return tool_cigvm_error("dump", &err);
	root = json_object_new_object();
	add_u64(root, "format_version", cigvm_format_version(f));
	add_u64(root, "architecture", cigvm_architecture(f));
	add_u64(root, "page_size", cigvm_page_size(f));
	add_u64(root, "total_file_size", cigvm_total_size(f));
	add_hex(root, "checksum", cigvm_checksum(f));
	add_u64(root, "header_count", cigvm_header_count(f));
	arr = json_object_new_array();
	for (size_t i = 0; i < cigvm_header_count(f); i++)
		json_object_array_add(arr, header_json(f, i));
	json_object_object_add(root, "headers", arr);
	if (json) {
		tool_print_json(root);
	} else {
		printf("IGVM format version %u, %" PRIu64 " bytes, checksum 0x%08x, %zu headers\n",
		       cigvm_format_version(f), cigvm_total_size(f), cigvm_checksum(f),
		       cigvm_header_count(f));
		printf("%4s  %-8s %-20s %s\n", "#", "offset", "type", "fields");
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			print_row(json_object_array_get_idx(arr, i));
	}
	json_object_put(root);
	cigvm_close(f);
	return 0;
}
