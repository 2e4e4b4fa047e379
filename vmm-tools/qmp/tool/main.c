// SPDX-License-Identifier: MIT
/*
 * svsm-qmp: command-line QMP client on libqmp, for people, scripts and tests.
 * Exit status: 0 success, 1 QEMU answered with an error, 2 usage, connection
 * or protocol failure.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmp.h"

#define EXIT_QMP_ERROR 1
#define EXIT_FAILURE_2 2

static void usage(FILE *out)
{
	fprintf(out,
		"usage: svsm-qmp -s SOCKET [-t SECONDS] [--json] COMMAND [ARGS]\n"
		"Talk to a QEMU monitor started with -qmp unix:SOCKET,server=on,wait=off\n\n"
		"commands:\n"
		"  exec NAME [JSON]      run a QMP command (arguments as a JSON object),\n"
		"                        print its \"return\" value as JSON\n"
		"  version               QEMU version from the greeting\n"
		"  sev-capabilities      query-sev-capabilities (cbitpos, reduced-phys-bits)\n"
		"  sev                   query-sev (state, type, policy of the running guest)\n"
		"  wait-event NAME       wait for event NAME and print it\n"
		"  events                print events until the timeout passes\n\n"
		"  -s, --socket PATH     QMP unix socket\n"
		"  -t, --timeout SECONDS wait at most this long for each reply (default 10)\n"
		"      --json            sev/sev-capabilities: print JSON instead of text\n\n"
		"exit status: 0 ok, 1 QEMU answered with an error, 2 usage/connection/protocol\n");
}

static int fail_conn(struct qmp_conn *c, int rc, const char *what)
{
	if (rc == QMP_ERR_COMMAND) {
		fprintf(stderr, "svsm-qmp: %s: QEMU error %s: %s\n", what, qmp_error_class(c),
			qmp_error_desc(c));
		return EXIT_QMP_ERROR;
	}
	fprintf(stderr, "svsm-qmp: %s: %s%s%s\n", what, qmp_status_str(rc),
		qmp_error_desc(c)[0] ? ": " : "", qmp_error_desc(c));
	return EXIT_FAILURE_2;
}

static int cmd_exec(struct qmp_conn *c, int argc, char **argv)
{
	json_object *args = NULL, *ret = NULL;

	if (argc < 1 || argc > 2) {
		fprintf(stderr, "svsm-qmp: exec needs NAME and optionally a JSON object\n");
		return EXIT_FAILURE_2;
	}
	if (argc == 2) {
		args = json_tokener_parse(argv[1]);
		if (args == NULL || !json_object_is_type(args, json_type_object)) {
			fprintf(stderr, "svsm-qmp: arguments are not a JSON object: %s\n", argv[1]);
			json_object_put(args);
			return EXIT_FAILURE_2;
		}
	}
	int rc = qmp_execute(c, argv[0], args, &ret);
	json_object_put(args);
	if (rc != QMP_OK)
		return fail_conn(c, rc, argv[0]);
	printf("%s\n", json_object_to_json_string_ext(ret, JSON_C_TO_STRING_PLAIN));
	json_object_put(ret);
	return 0;
}

static int cmd_sev_caps(struct qmp_conn *c, bool json)
{
	struct qmp_sev_caps caps;
	int rc = qmp_query_sev_capabilities(c, &caps);

	if (rc != QMP_OK)
		return fail_conn(c, rc, "query-sev-capabilities");
	if (json)
		printf("{\"cbitpos\": %" PRId64 ", \"reduced-phys-bits\": %" PRId64
		       ", \"pdh-length\": %zu, \"cert-chain-length\": %zu}\n",
		       caps.cbitpos, caps.reduced_phys_bits, strlen(caps.pdh),
		       strlen(caps.cert_chain));
	else
		printf("cbitpos %" PRId64 "\nreduced-phys-bits %" PRId64 "\n", caps.cbitpos,
		       caps.reduced_phys_bits);
	qmp_sev_caps_free(&caps);
	return 0;
}

static int cmd_sev(struct qmp_conn *c, bool json)
{
	struct qmp_sev_info info;
	int rc = qmp_query_sev(c, &info);

	if (rc != QMP_OK)
		return fail_conn(c, rc, "query-sev");
	const char *type = info.type == QMP_SEV_TYPE_SNP ? "sev-snp" : "sev";
	if (json)
		printf("{\"enabled\": %s, \"sev-type\": \"%s\", \"state\": \"%s\", "
		       "\"policy\": \"0x%" PRIx64 "\", \"api\": \"%u.%u\", \"build-id\": %u}\n",
		       info.enabled ? "true" : "false", type, info.state, info.policy,
		       info.api_major, info.api_minor, info.build_id);
	else
		printf("enabled %s\nsev-type %s\nstate %s\npolicy 0x%" PRIx64
		       "\napi %u.%u build %u\n",
		       info.enabled ? "yes" : "no", type, info.state, info.policy, info.api_major,
		       info.api_minor, info.build_id);
	return 0;
}

static int cmd_events(struct qmp_conn *c, const char *name, int timeout_ms)
{
	json_object *ev = NULL;

	if (name != NULL) {
		int rc = qmp_wait_event(c, name, timeout_ms, &ev);
		if (rc != QMP_OK)
			return fail_conn(c, rc, name);
		printf("%s\n", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
		json_object_put(ev);
		return 0;
	}
	for (;;) {
		int rc = qmp_next_event(c, timeout_ms, &ev);
		if (rc == QMP_ERR_TIMEOUT)
			return 0;
		if (rc != QMP_OK)
			return fail_conn(c, rc, "events");
		printf("%s\n", json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PLAIN));
		fflush(stdout);
		json_object_put(ev);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"socket", required_argument, NULL, 's'},
		{"timeout", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *sock = NULL;
	int timeout_ms = 10000;
	bool json = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "+s:t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sock = optarg;
			break;
		case 't': {
			char *end;
			double s = strtod(optarg, &end);
			if (*end != '\0' || s <= 0 || s > 3600) {
				fprintf(stderr, "svsm-qmp: bad timeout '%s'\n", optarg);
				return EXIT_FAILURE_2;
			}
			timeout_ms = (int)(s * 1000);
			break;
		}
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_FAILURE_2;
		}
	}
	if (sock == NULL || optind >= argc) {
		usage(stderr);
		return EXIT_FAILURE_2;
	}
	const char *cmd = argv[optind];
	int nargs = argc - optind - 1;
	char **args = argv + optind + 1;
	if (strcmp(cmd, "exec") != 0 && strcmp(cmd, "version") != 0 &&
	    strcmp(cmd, "sev-capabilities") != 0 && strcmp(cmd, "sev") != 0 &&
	    strcmp(cmd, "wait-event") != 0 && strcmp(cmd, "events") != 0) {
		fprintf(stderr, "svsm-qmp: unknown command '%s'\n", cmd);
		usage(stderr);
		return EXIT_FAILURE_2;
	}

	struct qmp_conn *c = NULL;
	int rc = qmp_connect(sock, timeout_ms, &c);
	if (rc != QMP_OK) {
		if (c == NULL)
			fprintf(stderr, "svsm-qmp: cannot connect to %s: %s (%m)\n", sock,
				qmp_status_str(rc));
		else
			fail_conn(c, rc, "negotiation");
		qmp_close(c);
		return EXIT_FAILURE_2;
	}

	int status;
	if (strcmp(cmd, "exec") == 0) {
		status = cmd_exec(c, nargs, args);
	} else if (strcmp(cmd, "version") == 0) {
		int ma, mi, mc;
		qmp_version(c, &ma, &mi, &mc);
		printf("%d.%d.%d\n", ma, mi, mc);
		status = 0;
	} else if (strcmp(cmd, "sev-capabilities") == 0) {
		status = cmd_sev_caps(c, json);
	} else if (strcmp(cmd, "sev") == 0) {
		status = cmd_sev(c, json);
	} else if (strcmp(cmd, "wait-event") == 0) {
		if (nargs != 1) {
			fprintf(stderr, "svsm-qmp: wait-event needs an event name\n");
			status = EXIT_FAILURE_2;
		} else {
			status = cmd_events(c, args[0], timeout_ms);
		}
	} else {
		status = cmd_events(c, NULL, timeout_ms);
	}
	qmp_close(c);
	return status;
}
