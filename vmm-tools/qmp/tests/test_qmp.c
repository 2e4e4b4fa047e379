// SPDX-License-Identifier: MIT
/*
 * libqmp against a fake QMP server on the other end of a socketpair: the test
 * writes what QEMU would send (per docs/interop/qmp-spec.rst) and reads back
 * what the client sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "qmp.h"

#define GREETING                                                                           \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, \"minor\": 0, \"major\": 10}, " \
	"\"package\": \"Debian 1:10.0.2\"}, \"capabilities\": [\"oob\"]}}\r\n"
#define CAPS_OK "{\"return\": {}, \"id\": 1}\r\n"

struct fake {
	int server; /* our end */
	int client; /* handed to qmp_open_fd */
};

static void fake_open(struct fake *f)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	f->server = sv[0];
	f->client = sv[1];
}

static void say(const struct fake *f, const char *text)
{
	size_t len = strlen(text);
	assert_int_equal(write(f->server, text, len), (ssize_t)len);
}

/* Everything the client has written so far. */
static char *heard(const struct fake *f)
{
	static char buf[8192];
	int fl = fcntl(f->server, F_GETFL);
	ssize_t n;

	fcntl(f->server, F_SETFL, fl | O_NONBLOCK);
	n = read(f->server, buf, sizeof(buf) - 1);
	fcntl(f->server, F_SETFL, fl);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Client connected through greeting and negotiation. */
static struct qmp_conn *connected(struct fake *f)
{
	struct qmp_conn *c = NULL;

	fake_open(f);
	say(f, GREETING CAPS_OK);
	assert_int_equal(qmp_open_fd(f->client, 1000, &c), QMP_OK);
	(void)heard(f);
	return c;
}

static void test_negotiation(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = NULL;
	int ma, mi, mc;

	fake_open(&f);
	say(&f, GREETING CAPS_OK);
	assert_int_equal(qmp_open_fd(f.client, 1000, &c), QMP_OK);
	qmp_version(c, &ma, &mi, &mc);
	assert_int_equal(ma, 10);
	assert_int_equal(mi, 0);
	assert_int_equal(mc, 2);
	/* The capabilities command is sent once, with our first id, CRLF-terminated. */
	json_object *req = json_tokener_parse(heard(&f));
	assert_non_null(req);
	json_object *v;
	assert_true(json_object_object_get_ex(req, "execute", &v));
	assert_string_equal(json_object_get_string(v), "qmp_capabilities");
	assert_true(json_object_object_get_ex(req, "id", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_false(json_object_object_get_ex(req, "arguments", NULL));
	json_object_put(req);
	qmp_close(c);
	close(f.server);
}

static void test_not_a_greeting(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = NULL;

	fake_open(&f);
	say(&f, "{\"return\": {}}\r\n");
	assert_int_equal(qmp_open_fd(f.client, 1000, &c), QMP_ERR_PROTOCOL);
	assert_non_null(strstr(qmp_error_desc(c), "greeting"));
	/* Nothing was sent to a peer that is not a QMP server. */
	assert_string_equal(heard(&f), "");
	qmp_close(c);
	close(f.server);
}

static void test_negotiation_refused(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = NULL;

	fake_open(&f);
	say(&f, GREETING "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"nope\"}, "
			 "\"id\": 1}\r\n");
	assert_int_equal(qmp_open_fd(f.client, 1000, &c), QMP_ERR_COMMAND);
	assert_string_equal(qmp_error_class(c), "CommandNotFound");
	qmp_close(c);
	close(f.server);
}

static void test_execute_return(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *args = json_object_new_object(), *ret = NULL, *v;

	json_object_object_add(args, "path", json_object_new_string("/machine"));
	say(&f, "{\"return\": [{\"name\": \"type\", \"type\": \"string\"}], \"id\": 2}\r\n");
	assert_int_equal(qmp_execute(c, "qom-list", args, &ret), QMP_OK);
	assert_true(json_object_is_type(ret, json_type_array));
	assert_int_equal(json_object_array_length(ret), 1);
	json_object_put(ret);

	json_object *req = json_tokener_parse(heard(&f));
	assert_non_null(req);
	assert_true(json_object_object_get_ex(req, "execute", &v));
	assert_string_equal(json_object_get_string(v), "qom-list");
	assert_true(json_object_object_get_ex(req, "arguments", &v));
	assert_true(json_object_object_get_ex(v, "path", &v));
	assert_string_equal(json_object_get_string(v), "/machine");
	assert_true(json_object_object_get_ex(req, "id", &v));
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(req);
	/* args is borrowed, not consumed */
	assert_int_equal(json_object_object_length(args), 1);
	json_object_put(args);
	qmp_close(c);
	close(f.server);
}

static void test_execute_error(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *ret = (json_object *)&f; /* must be reset to NULL */

	say(&f, "{\"id\": 2, \"error\": {\"class\": \"GenericError\", "
		"\"desc\": \"SEV: Failed to open /dev/sev: No such file or directory\"}}\r\n");
	assert_int_equal(qmp_execute(c, "query-sev-capabilities", NULL, &ret), QMP_ERR_COMMAND);
	assert_null(ret);
	assert_string_equal(qmp_error_class(c), "GenericError");
	assert_non_null(strstr(qmp_error_desc(c), "/dev/sev"));
	qmp_close(c);
	close(f.server);
}

static void test_event_before_reply_is_queued(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *ev = NULL, *v;

	say(&f, "{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1, \"microseconds\": 2}}\r\n"
		"{\"return\": {}, \"id\": 2}\r\n");
	assert_int_equal(qmp_execute(c, "stop", NULL, NULL), QMP_OK);
	/* The event is delivered afterwards, without another read. */
	assert_int_equal(qmp_next_event(c, 0, &ev), QMP_OK);
	assert_true(json_object_object_get_ex(ev, "event", &v));
	assert_string_equal(json_object_get_string(v), "STOP");
	json_object_put(ev);
	assert_int_equal(qmp_next_event(c, 10, &ev), QMP_ERR_TIMEOUT);
	qmp_close(c);
	close(f.server);
}

static void test_wait_event_skips_others(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *ev = NULL, *v;

	say(&f, "{\"event\": \"RESUME\"}\r\n{\"event\": \"SHUTDOWN\", \"data\": "
		"{\"guest\": true, \"reason\": \"guest-shutdown\"}}\r\n");
	assert_int_equal(qmp_wait_event(c, "SHUTDOWN", 1000, &ev), QMP_OK);
	assert_true(json_object_object_get_ex(ev, "data", &v));
	assert_true(json_object_object_get_ex(v, "reason", &v));
	assert_string_equal(json_object_get_string(v), "guest-shutdown");
	json_object_put(ev);
	assert_int_equal(qmp_wait_event(c, "RESUME", 20, &ev), QMP_ERR_TIMEOUT);
	qmp_close(c);
	close(f.server);
}

static void test_stale_reply_skipped(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *ret = NULL;

	/* id 2 times out; its late reply must not be taken for id 3's. */
	assert_int_equal(qmp_execute(c, "query-status", NULL, &ret), QMP_ERR_TIMEOUT);
	say(&f, "{\"return\": {\"status\": \"old\"}, \"id\": 2}\r\n"
		"{\"return\": {\"status\": \"running\"}, \"id\": 3}\r\n");
	assert_int_equal(qmp_execute(c, "query-status", NULL, &ret), QMP_OK);
	json_object *v;
	assert_true(json_object_object_get_ex(ret, "status", &v));
	assert_string_equal(json_object_get_string(v), "running");
	json_object_put(ret);
	qmp_close(c);
	close(f.server);
}

static void test_timeout(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = NULL;

	fake_open(&f);
	/* A silent peer: no greeting. The wait is bounded by the timeout. */
	assert_int_equal(qmp_open_fd(f.client, 30, &c), QMP_ERR_TIMEOUT);
	qmp_close(c);
	close(f.server);
}

static void test_peer_closes(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);

	close(f.server);
	assert_int_equal(qmp_execute(c, "query-status", NULL, NULL), QMP_ERR_IO);
	qmp_close(c);
}

static void test_invalid_json(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);

	say(&f, "{\"return\": }\r\n");
	assert_int_equal(qmp_execute(c, "query-status", NULL, NULL), QMP_ERR_PROTOCOL);
	assert_non_null(strstr(qmp_error_desc(c), "invalid JSON"));
	qmp_close(c);
	close(f.server);
}

static void test_not_an_object(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);

	say(&f, "[1, 2]\r\n");
	assert_int_equal(qmp_execute(c, "query-status", NULL, NULL), QMP_ERR_PROTOCOL);
	qmp_close(c);
	close(f.server);
}

static void test_reply_without_result(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);

	say(&f, "{\"id\": 2}\r\n");
	assert_int_equal(qmp_execute(c, "query-status", NULL, NULL), QMP_ERR_PROTOCOL);
	qmp_close(c);
	close(f.server);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	json_object *arr = json_object_new_array();

	assert_int_equal(qmp_execute(c, "x", arr, NULL), QMP_ERR_ARG);
	assert_int_equal(qmp_execute(c, "", NULL, NULL), QMP_ERR_ARG);
	assert_int_equal(qmp_execute(NULL, "x", NULL, NULL), QMP_ERR_ARG);
	assert_string_equal(heard(&f), ""); /* nothing sent */
	json_object_put(arr);
	qmp_close(c);
	close(f.server);
	assert_int_equal(qmp_open_fd(-1, 10, &c), QMP_ERR_ARG);
}

/* A reply that arrives in pieces, with pauses in between. */
struct dribble {
	int fd;
	const char *text;
};

static void *dribble_thread(void *arg)
{
	const struct dribble *d = arg;
	size_t len = strlen(d->text);
	struct timespec pause = {.tv_nsec = 5 * 1000000L};

	for (size_t i = 0; i < len; i += 7) {
		size_t n = len - i < 7 ? len - i : 7;
		if (write(d->fd, d->text + i, n) != (ssize_t)n)
			break;
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void test_split_message(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	struct dribble d = {f.server, "{\"return\": {\"status\": \"running\", \"singlestep\": "
				      "false, \"running\": true}, \"id\": 2}\r\n"};
	pthread_t t;
	json_object *ret = NULL, *v;

	assert_int_equal(pthread_create(&t, NULL, dribble_thread, &d), 0);
	assert_int_equal(qmp_execute(c, "query-status", NULL, &ret), QMP_OK);
	pthread_join(t, NULL);
	assert_true(json_object_object_get_ex(ret, "running", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(ret);
	qmp_close(c);
	close(f.server);
}

static void test_sev_capabilities(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	struct qmp_sev_caps caps;

	say(&f,
	    "{\"return\": {\"pdh\": \"UERI\", \"cert-chain\": \"Q0VSVA==\", "
	    "\"cpu0-id\": \"SUQ=\", \"cbitpos\": 51, \"reduced-phys-bits\": 1}, \"id\": 2}\r\n");
	assert_int_equal(qmp_query_sev_capabilities(c, &caps), QMP_OK);
	assert_int_equal(caps.cbitpos, 51);
	assert_int_equal(caps.reduced_phys_bits, 1);
	assert_string_equal(caps.pdh, "UERI");
	assert_string_equal(caps.cert_chain, "Q0VSVA==");
	assert_string_equal(caps.cpu0_id, "SUQ=");
	qmp_sev_caps_free(&caps);
	assert_null(caps.pdh);

	/* A member missing: the reply is not a SevCapability. */
	say(&f, "{\"return\": {\"pdh\": \"UERI\", \"cert-chain\": \"\", \"cpu0-id\": \"\", "
		"\"cbitpos\": 51}, \"id\": 3}\r\n");
	assert_int_equal(qmp_query_sev_capabilities(c, &caps), QMP_ERR_PROTOCOL);
	assert_null(caps.pdh);

	/* QEMU without SEV (e.g. stock QEMU under TCG) answers with an error. */
	say(&f, "{\"error\": {\"class\": \"GenericError\", \"desc\": \"SEV is not enabled in "
		"KVM\"}, \"id\": 4}\r\n");
	assert_int_equal(qmp_query_sev_capabilities(c, &caps), QMP_ERR_COMMAND);
	assert_non_null(strstr(qmp_error_desc(c), "SEV"));
	qmp_close(c);
	close(f.server);
}

static void test_query_sev_snp(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	struct qmp_sev_info info;

	/* snp-policy is a uint64: a value with bit 63 set must survive. */
	say(&f, "{\"return\": {\"enabled\": true, \"api-major\": 1, \"api-minor\": 55, "
		"\"build-id\": 21, \"state\": \"running\", \"sev-type\": \"sev-snp\", "
		"\"snp-policy\": 9223372036854972416}, \"id\": 2}\r\n");
	assert_int_equal(qmp_query_sev(c, &info), QMP_OK);
	assert_true(info.enabled);
	assert_int_equal(info.type, QMP_SEV_TYPE_SNP);
	assert_int_equal(info.api_major, 1);
	assert_int_equal(info.api_minor, 55);
	assert_int_equal(info.build_id, 21);
	assert_string_equal(info.state, "running");
	assert_true(info.policy == 0x8000000000030000ull);
	qmp_close(c);
	close(f.server);
}

static void test_query_sev_legacy(void **state)
{
	(void)state;
	struct fake f;
	struct qmp_conn *c = connected(&f);
	struct qmp_sev_info info;

	/* Before QEMU 9.1 there is no sev-type: a SEV guest with policy and handle. */
	say(&f, "{\"return\": {\"enabled\": true, \"api-major\": 0, \"api-minor\": 24, "
		"\"build-id\": 1, \"state\": \"launch-update\", \"policy\": 5, \"handle\": 7}, "
		"\"id\": 2}\r\n");
	assert_int_equal(qmp_query_sev(c, &info), QMP_OK);
	assert_int_equal(info.type, QMP_SEV_TYPE_SEV);
	assert_true(info.policy == 5);
	assert_int_equal(info.handle, 7);
	assert_string_equal(info.state, "launch-update");

	/* Unknown guest type and out-of-range fields are refused. */
	say(&f, "{\"return\": {\"enabled\": true, \"api-major\": 0, \"api-minor\": 0, "
		"\"build-id\": 0, \"state\": \"running\", \"sev-type\": \"tdx\"}, \"id\": 3}\r\n");
	assert_int_equal(qmp_query_sev(c, &info), QMP_ERR_PROTOCOL);
	say(&f, "{\"return\": {\"enabled\": true, \"api-major\": 300, \"api-minor\": 0, "
		"\"build-id\": 0, \"state\": \"running\"}, \"id\": 4}\r\n");
	assert_int_equal(qmp_query_sev(c, &info), QMP_ERR_PROTOCOL);
	qmp_close(c);
	close(f.server);
}

static void test_connect_missing_socket(void **state)
{
	(void)state;
	struct qmp_conn *c = (struct qmp_conn *)state;
	char path[] = "/tmp/qmp-test-XXXXXX";
	char sock[64];

	assert_non_null(mkdtemp(path));
	snprintf(sock, sizeof(sock), "%s/none.sock", path);
	assert_int_equal(qmp_connect(sock, 60, &c), QMP_ERR_IO);
	assert_null(c);
	rmdir(path);
	/* sun_path is 108 bytes; a longer path cannot be used. */
	char longp[200];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(qmp_connect(longp, 10, &c), QMP_ERR_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiation),
		cmocka_unit_test(test_not_a_greeting),
		cmocka_unit_test(test_negotiation_refused),
		cmocka_unit_test(test_execute_return),
		cmocka_unit_test(test_execute_error),
		cmocka_unit_test(test_event_before_reply_is_queued),
		cmocka_unit_test(test_wait_event_skips_others),
		cmocka_unit_test(test_stale_reply_skipped),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_peer_closes),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_not_an_object),
		cmocka_unit_test(test_reply_without_result),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_split_message),
		cmocka_unit_test(test_sev_capabilities),
		cmocka_unit_test(test_query_sev_snp),
		cmocka_unit_test(test_query_sev_legacy),
		cmocka_unit_test(test_connect_missing_socket),
	};
	return cmocka_run_group_tests_name("qmp", tests, NULL, NULL);
}
