// SPDX-License-Identifier: MIT
/*
 * snp-host: check (and with --fix, prepare) a host for AMD SEV-SNP guests with
 * an SVSM. Exit status: 0 ready, 1 not ready, 2 could not check.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks.h"
#include "fix_plan.h"
#include "readiness.h"
#include "report.h"

#include <kvm/planes.h>

#define EXIT_READY	0
#define EXIT_NOT_READY	1
#define EXIT_CANT_CHECK 2

struct args {
	bool json, fix, yes;
	int colour; /* -1 auto, 0 never, 1 always */
	enum target target;
	const char *fixture;
	struct check_options opts;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: snp-host [OPTIONS]\n"
		     "Check whether this host can run AMD SEV-SNP guests with an SVSM.\n\n"
		     "  --json              machine-readable report on stdout\n"
		     "  --fix               print a plan to fix what failed (changes nothing)\n"
		     "  --yes               with --fix: apply the plan's automatic steps (root)\n"
		     "  --target=T          what 'ready' means: svsm (default), snp, emulated\n"
		     "  --qemu=PATH         QEMU binary to probe (default qemu-system-x86_64)\n"
		     "  --virsh=PATH        virsh binary (default virsh)\n"
		     "  --libvirt-uri=URI   libvirt connection (default qemu:///system)\n"
		     "  --kvm-vmpl-cap=N    KVM capability number of our VMPL support\n"
		     "  --color=WHEN        auto (default), always, never\n"
		     "  --fixture=DIR       probe a fixture tree instead of this host (tests)\n"
		     "  -h, --help          this help\n\n"
		     "Exit status: 0 ready, 1 not ready, 2 could not check (or usage error).\n");
}

static int parse_args(int argc, char **argv, struct args *a)
{
	enum {
		O_JSON = 256,
		O_FIX,
		O_YES,
		O_TARGET,
		O_QEMU,
		O_VIRSH,
		O_URI,
		O_CAP,
		O_COLOUR,
		O_FIXTURE
	};
	static const struct option longopts[] = {
		{"json", no_argument, NULL, O_JSON},
		{"fix", no_argument, NULL, O_FIX},
		{"yes", no_argument, NULL, O_YES},
		{"target", required_argument, NULL, O_TARGET},
		{"qemu", required_argument, NULL, O_QEMU},
		{"virsh", required_argument, NULL, O_VIRSH},
		{"libvirt-uri", required_argument, NULL, O_URI},
		{"kvm-vmpl-cap", required_argument, NULL, O_CAP},
		{"color", required_argument, NULL, O_COLOUR},
		{"colour", required_argument, NULL, O_COLOUR},
		{"fixture", required_argument, NULL, O_FIXTURE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof(*a));
	a->colour = -1;
	a->target = TARGET_SVSM;
	a->opts.qemu = "qemu-system-x86_64";
	a->opts.virsh = "virsh";
	a->opts.libvirt_uri = "qemu:///system";
	a->opts.kvm_vmpl_cap = KVMP_CAP_PLANES;
	int c;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case O_JSON:
			a->json = true;
			break;
		case O_FIX:
			a->fix = true;
			break;
		case O_YES:
			a->yes = true;
			break;
		case O_TARGET:
			if (strcmp(optarg, "svsm") == 0) {
				a->target = TARGET_SVSM;
			} else if (strcmp(optarg, "snp") == 0) {
				a->target = TARGET_SNP;
			} else if (strcmp(optarg, "emulated") == 0) {
				a->target = TARGET_EMULATED;
			} else {
				fprintf(stderr,
					"snp-host: --target must be svsm, snp or emulated\n");
				return -1;
			}
			break;
		case O_QEMU:
			a->opts.qemu = optarg;
			break;
		case O_VIRSH:
			a->opts.virsh = optarg;
			break;
		case O_URI:
			a->opts.libvirt_uri = optarg;
			break;
		case O_CAP: {
			char *end;
			long v = strtol(optarg, &end, 0);
			if (*optarg == '\0' || *end != '\0' || v <= 0) {
				fprintf(stderr,
					"snp-host: --kvm-vmpl-cap needs a positive number\n");
				return -1;
			}
			a->opts.kvm_vmpl_cap = v;
			break;
		}
		case O_COLOUR:
			if (strcmp(optarg, "auto") == 0) {
				a->colour = -1;
			} else if (strcmp(optarg, "always") == 0) {
				a->colour = 1;
			} else if (strcmp(optarg, "never") == 0) {
				a->colour = 0;
			} else {
				fprintf(stderr,
					"snp-host: --color must be auto, always or never\n");
				return -1;
			}
			break;
		case O_FIXTURE:
			a->fixture = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_READY);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "snp-host: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (a->yes && !a->fix) {
		fprintf(stderr, "snp-host: --yes only makes sense with --fix\n");
		return -1;
	}
	return 0;
}

static json_object *plan_json(const struct fix_plan *plan)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < plan->count; i++) {
		const struct fix_step *s = &plan->steps[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "kind",
				       json_object_new_string(s->kind == STEP_MANUAL ? "manual"
							      : s->kind == STEP_COMMAND
								      ? "command"
								      : "write-file"));
		json_object_object_add(o, "text", json_object_new_string(s->text ? s->text : ""));
		json_object_object_add(o, "for", json_object_new_string(s->because));
		if (s->kind == STEP_WRITE_FILE) {
			json_object_object_add(o, "path", json_object_new_string(s->path));
			json_object_object_add(o, "content", json_object_new_string(s->content));
		} else if (s->kind == STEP_COMMAND) {
			json_object *argv = json_object_new_array();
			for (size_t k = 0; s->argv[k]; k++)
				json_object_array_add(argv, json_object_new_string(s->argv[k]));
			json_object_object_add(o, "argv", argv);
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

/* --fix: print (or with --yes apply) the plan; returns the exit status. */
static int run_fix(const struct args *a, struct provider *p, const struct fix_plan *plan,
		   bool is_root, json_object *doc)
{
	FILE *msg = a->json ? stderr : stdout;
	if (!a->json)
		fix_plan_print(stdout, plan);
	else
		json_object_object_add(doc, "fix_plan", plan_json(plan));
	if (plan->count == 0)
		return EXIT_READY;
	if (!a->yes) {
		fprintf(msg, "Nothing was changed; run again with --fix --yes to apply the "
			     "automatic steps.\n");
		return EXIT_NOT_READY;
	}
	if (!is_root) {
		fprintf(stderr, "snp-host: applying the plan needs root; nothing was changed\n");
		return EXIT_CANT_CHECK;
	}
	if (fix_plan_apply(msg, p, plan) != 0)
		return EXIT_CANT_CHECK;
	return plan->manual ? EXIT_NOT_READY : EXIT_READY;
}

int main(int argc, char **argv)
{
	struct args a;
	if (parse_args(argc, argv, &a) != 0)
		return EXIT_CANT_CHECK;
	struct provider p;
	if (a.fixture ? provider_fixture_open(&p, a.fixture) : provider_live_open(&p)) {
		fprintf(stderr, "snp-host: cannot open %s\n", a.fixture ? a.fixture : "the host");
		return EXIT_CANT_CHECK;
	}
	struct check_list list = {0};
	struct host_facts facts;
	checks_run_all(&p, &a.opts, &facts, &list);
	struct readiness rd;
	readiness_eval(&list, &rd);
	struct report_meta meta = {
		.is_root = p.ops->euid(p.ctx) == 0,
		.target = a.target,
		.exit_status = readiness_exit_status(&rd, a.target),
	};
	int status = meta.exit_status;
	struct fix_plan plan;
	if (a.fix)
		fix_plan_build(&list, &plan);
	if (a.json) {
		json_object *doc = report_json(&list, &rd, &meta);
		if (a.fix) {
			status = run_fix(&a, &p, &plan, meta.is_root, doc);
			/* With --fix the exit status is the plan's outcome. */
			json_object_object_add(doc, "exit_status", json_object_new_int(status));
		}
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
								 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else {
		bool colour = a.colour == 1 || (a.colour == -1 && isatty(STDOUT_FILENO));
		report_text(stdout, &list, &rd, &meta, colour);
		if (a.fix)
			status = run_fix(&a, &p, &plan, meta.is_root, NULL);
	}
	check_list_free(&list);
	provider_close(&p);
	return status;
}
