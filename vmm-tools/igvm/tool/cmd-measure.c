/* SPDX-License-Identifier: MIT */
/* igvmtool measure: SNP launch digest of an IGVM file or of a QEMU + OVMF launch. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static const char *page_type_name(uint8_t t)
{
	/* SNP_PAGE_TYPE_* values 1..6 (ABI 56860 SNP_LAUNCH_UPDATE). */
	static const char *names[] = {"?",	    "NORMAL",  "VMSA", "ZERO",
				      "UNMEASURED", "SECRETS", "CPUID"};

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

struct verbose {
	bool json;
	struct json_object *pages;
};

static void on_page(void *ctx, uint64_t gpa, uint8_t type, const uint8_t contents[48],
		    const uint8_t digest[48])
{
	struct verbose *v = ctx;
	char c[97], d[97];

	tool_hex(contents, 48, c);
	tool_hex(digest, 48, d);
	if (v->json) {
		struct json_object *o = json_object_new_object();
		char g[32];

		snprintf(g, sizeof(g), "0x%" PRIx64, gpa);
		json_object_object_add(o, "gpa", json_object_new_string(g));
		json_object_object_add(o, "page_type",
				       json_object_new_string(page_type_name(type)));
		json_object_object_add(o, "contents", json_object_new_string(c));
		json_object_object_add(o, "digest", json_object_new_string(d));
		json_object_array_add(v->pages, o);
	} else {
		printf("gpa 0x%012" PRIx64 " %-10s contents %s\n    -> %s\n", gpa,
		       page_type_name(type), c, d);
	}
}

static void measure_usage(FILE *out)
{
	fprintf(out,
		"usage: igvmtool measure [options] FILE.igvm\n"
		"       igvmtool measure [options] --ovmf OVMF.fd [--kernel K [--initrd I] "
		"[--append S]]\n"
		"  SEV-SNP launch digest (SHA-384 PAGE_INFO chain, SNP firmware ABI 56860).\n"
		"IGVM options:\n"
		"  --mask M            compatibility mask (default: the file's SEV-SNP platform)\n"
		"  --native-zero       measure file_offset-0 pages as ZERO pages (default: NORMAL\n"
		"                      pages of zeroes, as QEMU loads them)\n"
		"  --vmsa-in-order     VP contexts where they appear (default: last, as KVM)\n"
		"  --vcpus N           also measure the vCPUs that have no VP context in the "
		"file,\n"
		"                      with QEMU's reset-state VMSA (--vcpu-sig/--vcpu-type,\n"
		"                      --sev-features); default: the file's VP contexts only\n"
		"QEMU + OVMF options:\n"
		"  --ovmf FILE         OVMF image (OVMF.fd) with SEV metadata\n"
		"  --vcpus N           number of vCPUs (default 1)\n"
		"  --vcpu-sig X        CPUID(1).EAX signature of the vCPU model (RDX at reset)\n"
		"  --vcpu-type NAME    QEMU CPU model (EPYC, EPYC-Rome, EPYC-Milan, "
		"EPYC-Genoa...)\n"
		"  --vcpu-type NAME    QEMU CPU model (EPYC, EPYC-Rome, EPYC-Milan, "
		"EPYC-Genoa...)\n"
		"  --vcpu-family F --vcpu-model M --vcpu-stepping S\n"
		"                      compute the signature from family/model/stepping\n"
		"  --sev-features X    VMSA SEV_FEATURES (default 0x1, SNP active)\n"
		"  --policy X          guest policy (reported only; not part of the digest)\n"
		"  --kernel FILE --initrd FILE --append STR\n"
		"                      QEMU kernel-hashes=on: measure the SEV hash table\n"
		"Common:\n"
		"  --verbose           list every page's contribution\n"
		"  --json              JSON output\n");
}

/* CPUID Fn0000_0001_EAX: stepping 3:0, base model 7:4, base family 11:8 (0xf when
 * extended), extended model 19:16, extended family 27:20 (APM vol 3, CPUID Fn0000_0001). */
static uint32_t cpu_signature(uint32_t family, uint32_t model, uint32_t stepping)
{
	uint32_t base_family = family > 0xf ? 0xf : family;
	uint32_t ext_family = family > 0xf ? family - 0xf : 0;

	return (ext_family << 20) | ((model >> 4) << 16) | (base_family << 8) |
	       ((model & 0xf) << 4) | (stepping & 0xf);
}

/* Family/model/stepping of QEMU's AMD EPYC CPU models (QEMU target/i386/cpu.c,
 * builtin_x86_defs; versions of a model share them). */
static const struct {
	const char *name;
	uint32_t family, model, stepping;
} vcpu_types[] = {
	{"EPYC", 23, 1, 2},	  {"EPYC-IBPB", 23, 1, 2},   {"EPYC-Rome", 23, 49, 0},
	{"EPYC-Milan", 25, 1, 1}, {"EPYC-Genoa", 25, 17, 0}, {"EPYC-Turin", 26, 0, 0},
};

/* "EPYC-Milan" or a versioned name such as "EPYC-Milan-v2". */
static bool vcpu_type_sig(const char *name, uint32_t *sig)
{
	for (size_t i = 0; i < sizeof(vcpu_types) / sizeof(vcpu_types[0]); i++) {
		size_t n = strlen(vcpu_types[i].name);

		if (strncmp(name, vcpu_types[i].name, n) != 0)
			continue;
		if (name[n] == 0 || (name[n] == '-' && name[n + 1] == 'v' && name[n + 2] >= '1' &&
				     name[n + 2] <= '9' && name[n + 3] == 0)) {
			*sig = cpu_signature(vcpu_types[i].family, vcpu_types[i].model,
					     vcpu_types[i].stepping);
			return true;
		}
	}
	return false;
}

enum {
	OPT_OVMF = 256,
	OPT_VCPUS,
	OPT_SIG,
	OPT_FAM,
	OPT_MODEL,
	OPT_STEP,
	OPT_FEAT,
	OPT_POLICY,
	OPT_KERNEL,
	OPT_INITRD,
	OPT_APPEND,
	OPT_MASK,
	OPT_NATIVE_ZERO,
	OPT_IN_ORDER,
	OPT_TYPE,
};

int cmd_measure(int argc, char **argv)
{
	static const struct option opts[] = {{"ovmf", required_argument, NULL, OPT_OVMF},
					     {"vcpus", required_argument, NULL, OPT_VCPUS},
					     {"vcpu-sig", required_argument, NULL, OPT_SIG},
					     {"vcpu-family", required_argument, NULL, OPT_FAM},
					     {"vcpu-model", required_argument, NULL, OPT_MODEL},
					     {"vcpu-stepping", required_argument, NULL, OPT_STEP},
					     {"sev-features", required_argument, NULL, OPT_FEAT},
					     {"policy", required_argument, NULL, OPT_POLICY},
					     {"kernel", required_argument, NULL, OPT_KERNEL},
					     {"initrd", required_argument, NULL, OPT_INITRD},
					     {"append", required_argument, NULL, OPT_APPEND},
					     {"mask", required_argument, NULL, OPT_MASK},
					     {"native-zero", no_argument, NULL, OPT_NATIVE_ZERO},
					     {"vmsa-in-order", no_argument, NULL, OPT_IN_ORDER},
					     {"vcpu-type", required_argument, NULL, OPT_TYPE},
					     {"verbose", no_argument, NULL, 'v'},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *ovmf = NULL, *kernel = NULL, *initrd = NULL, *append = NULL, *vtype = NULL;
	uint64_t vcpus = 1, sig = 0, fam = 0, model = 0, step = 0, feat = 1, policy = 0, mask = 0;
	bool have_sig = false, have_fms = false, verbose = false, json = false, vcpus_given = false;
	struct cigvm_measure_opts mo = {0};
	struct verbose vctx = {0};
	struct cigvm_error err;
	uint8_t digest[CIGVM_DIGEST_SIZE];
	char hex[2 * CIGVM_DIGEST_SIZE + 1];
	uint8_t *ovmf_buf = NULL, *k_buf = NULL, *i_buf = NULL;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vjh", opts, NULL)) != -1) {
		uint64_t *target = NULL;

		switch (c) {
		case OPT_OVMF:
			ovmf = optarg;
			break;
		case OPT_KERNEL:
			kernel = optarg;
			break;
		case OPT_INITRD:
			initrd = optarg;
			break;
		case OPT_APPEND:
			append = optarg;
			break;
		case OPT_VCPUS:
			vcpus_given = true;
			target = &vcpus;
			break;
		case OPT_SIG:
			target = &sig;
			have_sig = true;
			break;
		case OPT_FAM:
			target = &fam;
			have_fms = true;
			break;
		case OPT_MODEL:
			target = &model;
			have_fms = true;
			break;
		case OPT_STEP:
			target = &step;
			have_fms = true;
			break;
		case OPT_FEAT:
			target = &feat;
			break;
		case OPT_POLICY:
			target = &policy;
			break;
		case OPT_MASK:
			target = &mask;
			break;
		case OPT_NATIVE_ZERO:
			mo.native_zero = true;
			break;
		case OPT_IN_ORDER:
			mo.vmsa_in_order = true;
			break;
		case OPT_TYPE:
			vtype = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			measure_usage(stdout);
			return 0;
		default:
			measure_usage(stderr);
			return 2;
		}
		if (target && !tool_parse_u64(optarg, target))
			return tool_error("measure", "option --%s: '%s' is not a number",
					  opts[c - OPT_OVMF].name, optarg);
	}
	if ((ovmf != NULL) == (optind < argc) || optind < argc - 1) {
		measure_usage(stderr);
		return 2;
	}
	if (vcpus == 0 || vcpus > 4096 || mask > UINT32_MAX || sig > UINT32_MAX)
		return tool_error("measure", "--vcpus must be 1..4096; --mask/--vcpu-sig 32-bit");
	if (have_sig + have_fms + (vtype != NULL) > 1)
		return tool_error("measure", "use one of --vcpu-sig, --vcpu-type, "
					     "--vcpu-family/model/stepping");
	if (vtype) {
		uint32_t s32;

		if (!vcpu_type_sig(vtype, &s32))
			return tool_error(
				"measure",
				"unknown --vcpu-type '%s' (known: EPYC, EPYC-IBPB, EPYC-Rome, "
				"EPYC-Milan, EPYC-Genoa, EPYC-Turin, optionally -vN)",
				vtype);
		sig = s32;
	}
	if (have_fms) {
		if (fam > 0xff + 0xf || model > 0xff || step > 0xf)
			return tool_error("measure", "family/model/stepping out of range");
		sig = cpu_signature((uint32_t)fam, (uint32_t)model, (uint32_t)step);
	}
	if ((initrd || append) && !kernel)
		return tool_error("measure", "--initrd/--append need --kernel");
	vctx.json = json;
	vctx.pages = json_object_new_array();
	if (ovmf) {
		struct cigvm_qemu_launch l = {0};
		size_t len = 0;

		ovmf_buf = tool_read_file("measure", ovmf, &len);
		if (!ovmf_buf)
			goto out;
		l.ovmf = ovmf_buf;
		l.ovmf_len = len;
		if (kernel) {
			k_buf = tool_read_file("measure", kernel, &l.kernel_len);
			if (!k_buf)
				goto out;
			l.kernel = k_buf;
			if (initrd) {
				i_buf = tool_read_file("measure", initrd, &l.initrd_len);
				if (!i_buf)
					goto out;
				l.initrd = i_buf;
			}
			l.cmdline = append;
		}
		l.vcpus = (unsigned)vcpus;
		l.vcpu_sig = (uint32_t)sig;
		l.sev_features = feat;
		l.guest_policy = policy;
		if (verbose) {
			l.cb = on_page;
			l.cb_ctx = &vctx;
		}
		if (cigvm_measure_qemu_ovmf(&l, digest, &err)) {
			tool_cigvm_error("measure", &err);
			goto out;
		}
	} else {
		cigvm_file *f = NULL;

		if (cigvm_open(argv[optind], 0, &f, &err)) {
			tool_cigvm_error("measure", &err);
			goto out;
		}
		mo.compatibility_mask = (uint32_t)mask;
		if (vcpus_given) {
			mo.vcpus = (unsigned)vcpus;
			mo.vcpu_sig = (uint32_t)sig;
			mo.sev_features = feat;
		}
		if (verbose) {
			mo.cb = on_page;
			mo.cb_ctx = &vctx;
		}
		rc = cigvm_measure_igvm(f, &mo, digest, &err);
		cigvm_close(f);
		if (rc) {
			rc = tool_cigvm_error("measure", &err);
			goto out;
		}
	}
	tool_hex(digest, sizeof(digest), hex);
	if (json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "launch_digest", json_object_new_string(hex));
		if (ovmf) {
			char b[32];

			json_object_object_add(o, "vcpus", json_object_new_uint64(vcpus));
			snprintf(b, sizeof(b), "0x%" PRIx64, sig);
			json_object_object_add(o, "vcpu_sig", json_object_new_string(b));
			snprintf(b, sizeof(b), "0x%" PRIx64, feat);
			json_object_object_add(o, "sev_features", json_object_new_string(b));
			snprintf(b, sizeof(b), "0x%" PRIx64, policy);
			json_object_object_add(o, "guest_policy", json_object_new_string(b));
		}
		if (verbose)
			json_object_object_add(o, "pages", json_object_get(vctx.pages));
		tool_print_json(o);
		json_object_put(o);
	} else {
		printf("%s\n", hex);
	}
	rc = 0;
out:
	json_object_put(vctx.pages);
	free(ovmf_buf);
	free(k_buf);
	free(i_buf);
	return rc;
}
