// SPDX-License-Identifier: MIT
/*
 * svsm-virt: SVSM guests as libvirt domains. Generates the domain XML (libxml2,
 * validated against libvirt's schema) and drives the lifecycle through
 * libvirt's C API. Exit status: 0 success, 1 libvirt refused or the operation
 * failed, 2 bad usage or invalid settings (nothing was changed).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "domain-config.h"
#include "domain-xml.h"
#include "lifecycle.h"
#include "schema.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE   2

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svsm-virt [-c URI] COMMAND [OPTIONS]\n"
		"SVSM guests as libvirt domains (default URI " SVSM_VIRT_DEFAULT_URI ").\n\n"
		"commands:\n"
		"  xml [DOMAIN OPTIONS] [-o FILE]   print the domain XML (validated against the\n"
		"                                   installed libvirt schema)\n"
		"  define [DOMAIN OPTIONS]          check, validate and define the domain\n"
		"  start NAME [--paused]            --paused: vCPUs wait for console --resume\n"
		"  destroy NAME | status NAME\n"
		"  undefine NAME [--force]          --force stops a running domain first\n"
		"  console NAME [--wait-for TEXT] [--timeout S] [--resume]\n"
		"                                   print the serial output (file or pty)\n"
		"  caps [--variant V] [--emulator P] [--machine M]\n"
		"                                   does libvirt offer SEV-SNP for this QEMU?\n"
		"  schema-info                      IGVM element in the installed schema?\n"
		"  check [DOMAIN OPTIONS]           only check the settings (used by\n"
		"                                   launch-scripts/launch-svsm.sh)\n\n"
		"domain options:\n"
		"  --name NAME            domain name (default svsm-guest)\n"
		"  --variant V            kvm (real SNP host), emulated (SNP platform under TCG,\n"
		"                         default), plain (no launch security, TCG)\n"
		"  --memory MIB --vcpus N (default 512, 1)\n"
		"  --emulator PATH        QEMU binary (default $SVSM_QEMU; plain: the system "
		"QEMU)\n"
		"  --machine TYPE         default q35\n"
		"  --igvm FILE            IGVM file (SNP variants: required)\n"
		"  --kernel FILE          plain variant: boot this kernel instead\n"
		"  --disk FILE            disk image (virtio)\n"
		"  --serial-log FILE      serial console to this file (default ./NAME-serial.log)\n"
		"  --serial-pty           serial console on a pty instead (svsm-virt console)\n"
		"  --igvm-mode M          auto (default), commandline, native\n"
		"SEV-SNP options (kvm and emulated):\n"
		"  --policy X             guest policy (default 0x30000)\n"
		"  --cbitpos N --reduced-phys-bits N   (default: libvirt takes the host's)\n"
		"  --id-block FILE --id-auth FILE      base64 from `igvmtool sign`\n"
		"  --author-key           the ID auth carries an author key signature\n"
		"  --host-data B64        32 bytes of HOST_DATA, base64\n");
}

enum {
	OPT_NAME = 256,
	OPT_VARIANT,
	OPT_MEMORY,
	OPT_VCPUS,
	OPT_EMULATOR,
	OPT_MACHINE,
	OPT_IGVM,
	OPT_KERNEL,
	OPT_DISK,
	OPT_SERIAL_LOG,
	OPT_SERIAL_PTY,
	OPT_IGVM_MODE,
	OPT_POLICY,
	OPT_CBITPOS,
	OPT_RPB,
	OPT_ID_BLOCK,
	OPT_ID_AUTH,
	OPT_AUTHOR_KEY,
	OPT_HOST_DATA,
	OPT_OUTPUT,
	OPT_FORCE,
	OPT_WAIT_FOR,
	OPT_TIMEOUT,
	OPT_PAUSED,
	OPT_RESUME,
};

static const struct option long_opts[] = {
	{"name", required_argument, NULL, OPT_NAME},
	{"variant", required_argument, NULL, OPT_VARIANT},
	{"memory", required_argument, NULL, OPT_MEMORY},
	{"vcpus", required_argument, NULL, OPT_VCPUS},
	{"emulator", required_argument, NULL, OPT_EMULATOR},
	{"machine", required_argument, NULL, OPT_MACHINE},
	{"igvm", required_argument, NULL, OPT_IGVM},
	{"kernel", required_argument, NULL, OPT_KERNEL},
	{"disk", required_argument, NULL, OPT_DISK},
	{"serial-log", required_argument, NULL, OPT_SERIAL_LOG},
	{"serial-pty", no_argument, NULL, OPT_SERIAL_PTY},
	{"igvm-mode", required_argument, NULL, OPT_IGVM_MODE},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"cbitpos", required_argument, NULL, OPT_CBITPOS},
	{"reduced-phys-bits", required_argument, NULL, OPT_RPB},
	{"id-block", required_argument, NULL, OPT_ID_BLOCK},
	{"id-auth", required_argument, NULL, OPT_ID_AUTH},
	{"author-key", no_argument, NULL, OPT_AUTHOR_KEY},
	{"host-data", required_argument, NULL, OPT_HOST_DATA},
	{"output", required_argument, NULL, OPT_OUTPUT},
	{"force", no_argument, NULL, OPT_FORCE},
	{"wait-for", required_argument, NULL, OPT_WAIT_FOR},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"paused", no_argument, NULL, OPT_PAUSED},
	{"resume", no_argument, NULL, OPT_RESUME},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct cli {
	struct svsm_domain_config cfg;
	const char *output;
	bool force, paused, resume;
	const char *wait_for;
	int timeout_s;
	char serial_default[PATH_MAX];
};

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
		return false;
	*out = v;
	return true;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (!parse_u64(s, &v) || v > max)
		return false;
	*out = (unsigned long)v;
	return true;
}

/* Parse the options after the command. Returns -1 on a usage error. */
static int parse_options(int argc, char **argv, struct cli *cli)
{
	struct svsm_domain_config *cfg = &cli->cfg;
	unsigned long n;
	uint64_t u;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_NAME:
			cfg->name = optarg;
			break;
		case OPT_VARIANT:
			if (!svsm_variant_parse(optarg, &cfg->variant)) {
				fprintf(stderr,
					"svsm-virt: unknown variant '%s' (kvm, emulated, "
					"plain)\n",
					optarg);
				return -1;
			}
			break;
		case OPT_MEMORY:
			if (!parse_uint(optarg, ULONG_MAX, &cfg->memory_mib))
				goto bad_number;
			break;
		case OPT_VCPUS:
			if (!parse_uint(optarg, UINT_MAX, &n))
				goto bad_number;
			cfg->vcpus = (unsigned int)n;
			break;
		case OPT_EMULATOR:
			cfg->emulator = optarg;
			break;
		case OPT_MACHINE:
			cfg->machine = optarg;
			break;
		case OPT_IGVM:
			cfg->igvm = optarg;
			break;
		case OPT_KERNEL:
			cfg->kernel = optarg;
			break;
		case OPT_DISK:
			cfg->disk = optarg;
			break;
		case OPT_SERIAL_LOG:
			cfg->serial = SVSM_SERIAL_FILE;
			cfg->serial_log = optarg;
			break;
		case OPT_SERIAL_PTY:
			cfg->serial = SVSM_SERIAL_PTY;
			break;
		case OPT_IGVM_MODE:
			if (strcmp(optarg, "auto") == 0) {
				cfg->igvm_mode = SVSM_IGVM_AUTO;
			} else if (strcmp(optarg, "commandline") == 0) {
				cfg->igvm_mode = SVSM_IGVM_COMMANDLINE;
			} else if (strcmp(optarg, "native") == 0) {
				cfg->igvm_mode = SVSM_IGVM_NATIVE;
			} else {
				fprintf(stderr, "svsm-virt: --igvm-mode is auto, commandline or "
						"native\n");
				return -1;
			}
			break;
		case OPT_POLICY:
			if (!parse_u64(optarg, &u))
				goto bad_number;
			cfg->policy = u;
			cfg->snp_options_given = true;
			break;
		case OPT_CBITPOS:
			if (!parse_uint(optarg, UINT_MAX, &n))
				goto bad_number;
			cfg->cbitpos = (unsigned int)n;
			cfg->have_cbitpos = cfg->snp_options_given = true;
			break;
		case OPT_RPB:
			if (!parse_uint(optarg, UINT_MAX, &n))
				goto bad_number;
			cfg->reduced_phys_bits = (unsigned int)n;
			cfg->have_reduced_phys_bits = cfg->snp_options_given = true;
			break;
		case OPT_ID_BLOCK:
			cfg->id_block_file = optarg;
			cfg->snp_options_given = true;
			break;
		case OPT_ID_AUTH:
			cfg->id_auth_file = optarg;
			cfg->snp_options_given = true;
			break;
		case OPT_AUTHOR_KEY:
			cfg->author_key = cfg->snp_options_given = true;
			break;
		case OPT_HOST_DATA:
			cfg->host_data = optarg;
			cfg->snp_options_given = true;
			break;
		case 'o':
		case OPT_OUTPUT:
			cli->output = optarg;
			break;
		case OPT_FORCE:
			cli->force = true;
			break;
		case OPT_PAUSED:
			cli->paused = true;
			break;
		case OPT_RESUME:
			cli->resume = true;
			break;
		case OPT_WAIT_FOR:
			cli->wait_for = optarg;
			break;
		case OPT_TIMEOUT:
			if (!parse_uint(optarg, 86400, &n))
				goto bad_number;
			cli->timeout_s = (int)n;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	return optind;
bad_number:
	fprintf(stderr, "svsm-virt: bad number '%s'\n", optarg);
	return -1;
}

static void fill_defaults(struct cli *cli)
{
	struct svsm_domain_config *cfg = &cli->cfg;

	if (cfg->emulator == NULL) {
		const char *env = getenv("SVSM_QEMU");
		if (env && env[0])
			cfg->emulator = env;
		else if (cfg->variant == SVSM_VARIANT_PLAIN)
			cfg->emulator = "/usr/bin/qemu-system-x86_64";
	}
	if (cfg->serial == SVSM_SERIAL_FILE && cfg->serial_log == NULL) {
		char cwd[PATH_MAX - 80];
		if (getcwd(cwd, sizeof(cwd)) != NULL) {
			snprintf(cli->serial_default, sizeof(cli->serial_default),
				 "%s/%s-serial.log", cwd, cfg->name);
			cfg->serial_log = cli->serial_default;
		}
	}
}

/* Check the configuration, build and validate the XML. NULL on failure
 * (message printed). */
static xmlChar *build_xml(const struct svsm_domain_config *cfg)
{
	struct svsm_blobs blobs;
	struct svsm_igvm_native native, *use_native = NULL;
	char err[2048];
	const char *dir = svsm_schema_dir();

	if (!svsm_config_check(cfg, &blobs, err, sizeof(err))) {
		fprintf(stderr, "svsm-virt: %s\n", err);
		return NULL;
	}
	if (cfg->igvm != NULL && cfg->igvm_mode != SVSM_IGVM_COMMANDLINE) {
		if (svsm_schema_igvm_element(dir, &native)) {
			use_native = &native;
		} else if (cfg->igvm_mode == SVSM_IGVM_NATIVE) {
			fprintf(stderr,
				"svsm-virt: the libvirt schema in %s has no IGVM element "
				"(libvirt 11.3 has none): use --igvm-mode commandline\n",
				dir);
			svsm_blobs_free(&blobs);
			return NULL;
		}
	}

	xmlDocPtr doc = svsm_domain_xml(cfg, &blobs, use_native);
	if (!svsm_schema_validate(doc, dir, err, sizeof(err)) && use_native != NULL &&
	    cfg->igvm_mode == SVSM_IGVM_AUTO) {
		fprintf(stderr,
			"svsm-virt: note: the schema's IGVM element (in <%s>) did not "
			"validate (%s); passing the IGVM file on QEMU's command line\n",
			native.parent, err);
		xmlFreeDoc(doc);
		doc = svsm_domain_xml(cfg, &blobs, NULL);
	}
	svsm_blobs_free(&blobs);
	if (!svsm_schema_validate(doc, dir, err, sizeof(err))) {
		fprintf(stderr,
			"svsm-virt: generated XML does not validate against %s/domain.rng: "
			"%s\n",
			dir, err);
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlChar *text = NULL;
	int len = 0;
	xmlDocDumpFormatMemoryEnc(doc, &text, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	return text;
}

static int cmd_xml(struct cli *cli)
{
	xmlChar *text = build_xml(&cli->cfg);

	if (text == NULL)
		return EXIT_USAGE;
	FILE *out = cli->output ? fopen(cli->output, "w") : stdout;
	if (out == NULL) {
		fprintf(stderr, "svsm-virt: cannot write %s: %s\n", cli->output, strerror(errno));
		xmlFree(text);
		return EXIT_USAGE;
	}
	fputs((const char *)text, out);
	xmlFree(text);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "svsm-virt: cannot write %s: %s\n", cli->output, strerror(errno));
		return EXIT_USAGE;
	}
	return 0;
}

static const char *virttype_of(enum svsm_variant v)
{
	return v == SVSM_VARIANT_SNP_KVM ? "kvm" : "qemu";
}

/* For the SNP variants: does libvirt offer SEV-SNP for this QEMU? */
static int require_snp(struct svsm_virt *v, const struct svsm_domain_config *cfg)
{
	struct svsm_snp_caps caps;

	if (svsm_virt_snp_caps(v, cfg->emulator, cfg->machine, virttype_of(cfg->variant), &caps) <
	    0) {
		if (cfg->variant == SVSM_VARIANT_SNP_KVM) {
			size_t n = strlen(v->err);
			snprintf(v->err + n, sizeof(v->err) - n,
				 ". This does not look like an SEV-SNP host: check it with "
				 "`snp-host --target=snp` (build/vmm-tools/snp-host/snp-host), or "
				 "use "
				 "--variant emulated");
		}
		return -1;
	}
	if (!caps.snp) {
		snprintf(v->err, sizeof(v->err),
			 "libvirt offers no SEV-SNP for %s (virttype %s, machine %s): its domain "
			 "capabilities list no launchSecurity type 'sev-snp'. %s",
			 cfg->emulator, virttype_of(cfg->variant), cfg->machine,
			 cfg->variant == SVSM_VARIANT_SNP_KVM
				 ? "Check this host with `snp-host --target=snp` "
				   "(build/vmm-tools/snp-host/snp-host)."
				 : "The emulated platform must answer query-sev-capabilities under "
				   "TCG (`svsm-qmp -s SOCKET sev-capabilities` against this QEMU; "
				   "`snp-host --target=emulated`).");
		return -1;
	}
	return 0;
}

static int cmd_define(struct svsm_virt *v, struct cli *cli, xmlChar *text)
{
	int rc = 0;
	if (svsm_variant_is_snp(cli->cfg.variant) && require_snp(v, &cli->cfg) < 0)
		rc = -1;
	if (rc == 0)
		rc = svsm_virt_define(v, cli->cfg.name, (const char *)text);
	xmlFree(text);
	if (rc < 0) {
		fprintf(stderr, "svsm-virt: %s\n", v->err);
		return EXIT_REFUSED;
	}
	printf("defined %s (%s variant)\n", cli->cfg.name, svsm_variant_name(cli->cfg.variant));
	return 0;
}

static int cmd_caps(struct svsm_virt *v, struct cli *cli)
{
	struct svsm_snp_caps caps;
	const struct svsm_domain_config *cfg = &cli->cfg;

	if (cfg->emulator == NULL) {
		fprintf(stderr, "svsm-virt: caps needs --emulator (or $SVSM_QEMU)\n");
		return EXIT_USAGE;
	}
	if (svsm_virt_snp_caps(v, cfg->emulator, cfg->machine, virttype_of(cfg->variant), &caps) <
	    0) {
		fprintf(stderr, "svsm-virt: %s\n", v->err);
		return EXIT_REFUSED;
	}
	printf("sev-snp %s\n", caps.snp ? "yes" : "no");
	if (caps.have_cbitpos)
		printf("cbitpos %u\nreduced-phys-bits %u\n", caps.cbitpos, caps.reduced_phys_bits);
	return caps.snp ? 0 : EXIT_REFUSED;
}

static int cmd_named(struct svsm_virt *v, const char *cmd, const char *name, struct cli *cli)
{
	int rc;

	if (strcmp(cmd, "start") == 0) {
		rc = svsm_virt_start(v, name, cli->paused);
	} else if (strcmp(cmd, "destroy") == 0) {
		rc = svsm_virt_destroy(v, name);
	} else if (strcmp(cmd, "undefine") == 0) {
		rc = svsm_virt_undefine(v, name, cli->force);
	} else if (strcmp(cmd, "console") == 0) {
		rc = svsm_virt_console(v, name, cli->wait_for, cli->timeout_s, cli->resume);
	} else {
		char state[32], reason[64];
		bool active;
		rc = svsm_virt_status(v, name, state, sizeof(state), reason, sizeof(reason),
				      &active);
		if (rc == 0)
			printf("%s: %s%s%s%s\n", name, state, reason[0] ? " (" : "", reason,
			       reason[0] ? ")" : "");
	}
	if (rc < 0) {
		fprintf(stderr, "svsm-virt: %s\n", v->err);
		return EXIT_REFUSED;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *uri = getenv("SVSM_VIRT_URI");
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--connect") == 0) &&
		    i + 1 < argc) {
			uri = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[i];
	struct cli cli;
	memset(&cli, 0, sizeof(cli));
	svsm_config_defaults(&cli.cfg);
	int first = parse_options(argc - i, argv + i, &cli);
	if (first < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	int nrest = argc - i - first;
	char **rest = argv + i + first;
	fill_defaults(&cli);

	bool named = strcmp(cmd, "start") == 0 || strcmp(cmd, "destroy") == 0 ||
		     strcmp(cmd, "status") == 0 || strcmp(cmd, "undefine") == 0 ||
		     strcmp(cmd, "console") == 0;
	bool config = strcmp(cmd, "xml") == 0 || strcmp(cmd, "define") == 0;
	if (!named && !config && strcmp(cmd, "caps") != 0 && strcmp(cmd, "schema-info") != 0 &&
	    strcmp(cmd, "check") != 0) {
		fprintf(stderr, "svsm-virt: unknown command '%s'\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((named && nrest != 1) || (!named && nrest != 0)) {
		fprintf(stderr, "svsm-virt: %s takes %s\n", cmd,
			named ? "one domain name" : "no positional argument");
		return EXIT_USAGE;
	}

	if (strcmp(cmd, "xml") == 0)
		return cmd_xml(&cli);
	if (strcmp(cmd, "check") == 0) {
		struct svsm_blobs blobs;
		char err[2048];
		if (!svsm_config_check(&cli.cfg, &blobs, err, sizeof(err))) {
			fprintf(stderr, "svsm-virt: %s\n", err);
			return EXIT_USAGE;
		}
		svsm_blobs_free(&blobs);
		return 0;
	}
	if (strcmp(cmd, "schema-info") == 0) {
		struct svsm_igvm_native native;
		if (svsm_schema_igvm_element(svsm_schema_dir(), &native))
			printf("igvm element: yes (in <%s>, file in %s)\n", native.parent,
			       native.attr[0] ? native.attr : "its text");
		else
			printf("igvm element: no (IGVM goes through <qemu:commandline>)\n");
		return 0;
	}

	/* Invalid settings are refused before libvirt is even contacted. */
	if (config && strcmp(cmd, "define") == 0 && cli.cfg.emulator == NULL) {
		fprintf(stderr, "svsm-virt: --emulator PATH is needed for the SNP variants (our "
				"QEMU: build/qemu/qemu-system-x86_64, or set $SVSM_QEMU)\n");
		return EXIT_USAGE;
	}
	xmlChar *text = NULL;
	if (config) {
		text = build_xml(&cli.cfg);
		if (text == NULL)
			return EXIT_USAGE;
	}
	struct svsm_virt v = {0};
	if (svsm_virt_connect(&v, uri) < 0) {
		fprintf(stderr, "svsm-virt: %s\n", v.err);
		xmlFree(text);
		return EXIT_REFUSED;
	}
	int status;
	if (strcmp(cmd, "define") == 0)
		status = cmd_define(&v, &cli, text); /* frees text */
	else if (strcmp(cmd, "caps") == 0)
		status = cmd_caps(&v, &cli);
	else
		status = cmd_named(&v, cmd, rest[0], &cli);
	svsm_virt_close(&v);
	return status;
}
