// SPDX-License-Identifier: MIT
/*
 * libqmp connection, message framing and command/event handling
 * (QEMU docs/interop/qmp-spec.rst).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "qmp.h"

/* A QMP message is one JSON object; nothing QEMU sends comes near this. */
#define QMP_MAX_MESSAGE	     (16u << 20)
#define QMP_CONNECT_RETRY_MS 50

struct qmp_conn {
	int fd;
	int timeout_ms;
	char *buf; /* bytes received and not yet parsed */
	size_t len, cap;
	json_object *events; /* array of queued event messages */
	int version[3];
	uint64_t next_id;
	char err_class[64];
	char err_desc[512];
};

static void set_error(struct qmp_conn *c, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_error(struct qmp_conn *c, const char *cls, const char *fmt, ...)
{
	va_list ap;

	snprintf(c->err_class, sizeof(c->err_class), "%s", cls);
	va_start(ap, fmt);
	vsnprintf(c->err_desc, sizeof(c->err_desc), fmt, ap);
	va_end(ap);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining_ms(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left < 0 ? 0 : (int)left;
}

const char *qmp_status_str(int status)
{
	switch (status) {
	case QMP_OK:
		return "ok";
	case QMP_ERR_IO:
		return "I/O error";
	case QMP_ERR_TIMEOUT:
		return "timed out";
	case QMP_ERR_PROTOCOL:
		return "protocol error";
	case QMP_ERR_COMMAND:
		return "command failed";
	case QMP_ERR_ARG:
		return "bad argument";
	default:
		return "unknown status";
	}
}

const char *qmp_error_class(const struct qmp_conn *c)
{
	return c ? c->err_class : "";
}

const char *qmp_error_desc(const struct qmp_conn *c)
{
	return c ? c->err_desc : "";
}

void qmp_version(const struct qmp_conn *c, int *major, int *minor, int *micro)
{
	*major = c->version[0];
	*minor = c->version[1];
	*micro = c->version[2];
}

/* Try to take one complete JSON value off the front of the buffer.
 * Returns 1 with *msg set, 0 when more bytes are needed, QMP_ERR_PROTOCOL. */
static int take_message(struct qmp_conn *c, json_object **msg)
{
	size_t skip = 0;

	while (skip < c->len && strchr(" \t\r\n", c->buf[skip]) != NULL)
		skip++;
	if (skip > 0) {
		memmove(c->buf, c->buf + skip, c->len - skip);
		c->len -= skip;
	}
	if (c->len == 0)
		return 0;

	json_tokener *tok = json_tokener_new();
	if (tok == NULL) {
		set_error(c, "ClientError", "out of memory");
		return QMP_ERR_PROTOCOL;
	}
	json_object *obj = json_tokener_parse_ex(tok, c->buf, (int)c->len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (obj == NULL && jerr == json_tokener_continue)
		return 0;
	if (obj == NULL) {
		set_error(c, "ProtocolError", "invalid JSON from QEMU: %s",
			  json_tokener_error_desc(jerr));
		return QMP_ERR_PROTOCOL;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		set_error(c, "ProtocolError", "QMP message is not a JSON object");
		return QMP_ERR_PROTOCOL;
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	*msg = obj;
	return 1;
}

/* Read the next message, waiting until deadline (monotonic ms). */
static int read_message(struct qmp_conn *c, int64_t deadline, json_object **msg)
{
	for (;;) {
		int rc = take_message(c, msg);
		if (rc != 0)
			return rc < 0 ? rc : QMP_OK;
		if (c->len >= QMP_MAX_MESSAGE) {
			set_error(c, "ProtocolError", "QMP message larger than %u bytes",
				  QMP_MAX_MESSAGE);
			return QMP_ERR_PROTOCOL;
		}

		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int n = poll(&pfd, 1, remaining_ms(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			set_error(c, "ClientError", "poll: %s", strerror(errno));
			return QMP_ERR_IO;
		}
		if (n == 0) {
			set_error(c, "ClientError", "no reply from QEMU within the timeout");
			return QMP_ERR_TIMEOUT;
		}

		if (c->cap - c->len < 4096) {
			size_t ncap = c->cap ? c->cap * 2 : 8192;
			char *nbuf = realloc(c->buf, ncap);
			if (nbuf == NULL) {
				set_error(c, "ClientError", "out of memory");
				return QMP_ERR_IO;
			}
			c->buf = nbuf;
			c->cap = ncap;
		}
		ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			set_error(c, "ClientError", "read: %s", strerror(errno));
			return QMP_ERR_IO;
		}
		if (got == 0) {
			set_error(c, "ClientError", "QEMU closed the QMP connection");
			return QMP_ERR_IO;
		}
		c->len += (size_t)got;
	}
}

static int write_all(struct qmp_conn *c, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			set_error(c, "ClientError", "write: %s", strerror(errno));
			return QMP_ERR_IO;
		}
		data += n;
		len -= (size_t)n;
	}
	return QMP_OK;
}

static void queue_event(struct qmp_conn *c, json_object *msg)
{
	json_object_array_add(c->events, msg);
}

static int parse_greeting(struct qmp_conn *c, json_object *msg)
{
	json_object *qmp, *version, *qemu, *v;
	static const char *const keys[3] = {"major", "minor", "micro"};

	if (!json_object_object_get_ex(msg, "QMP", &qmp) ||
	    !json_object_object_get_ex(qmp, "version", &version) ||
	    !json_object_object_get_ex(version, "qemu", &qemu)) {
		set_error(c, "ProtocolError", "first message is not a QMP greeting");
		return QMP_ERR_PROTOCOL;
	}
	for (int i = 0; i < 3; i++)
		c->version[i] =
			json_object_object_get_ex(qemu, keys[i], &v) ? json_object_get_int(v) : 0;
	return QMP_OK;
}

int qmp_open_fd(int fd, int timeout_ms, struct qmp_conn **out)
{
	if (fd < 0 || out == NULL || timeout_ms < 0)
		return QMP_ERR_ARG;
	*out = NULL;

	struct qmp_conn *c = calloc(1, sizeof(*c));
	if (c == NULL) {
		close(fd);
		return QMP_ERR_IO;
	}
	c->fd = fd;
	c->timeout_ms = timeout_ms;
	c->next_id = 1;
	c->events = json_object_new_array();
	if (c->events == NULL) {
		qmp_close(c);
		return QMP_ERR_IO;
	}

	json_object *greeting = NULL;
	int rc = read_message(c, now_ms() + timeout_ms, &greeting);
	if (rc == QMP_OK) {
		rc = parse_greeting(c, greeting);
		json_object_put(greeting);
	}
	if (rc == QMP_OK)
		rc = qmp_execute(c, "qmp_capabilities", NULL, NULL);
	*out = c; /* also on failure, so that the caller can read the error */
	return rc;
}

int qmp_connect(const char *path, int timeout_ms, struct qmp_conn **out)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	if (path == NULL || out == NULL || timeout_ms < 0)
		return QMP_ERR_ARG;
	*out = NULL;
	if (strlen(path) >= sizeof(addr.sun_path))
		return QMP_ERR_ARG;
	memcpy(addr.sun_path, path, strlen(path) + 1);

	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return QMP_ERR_IO;
		if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0)
			return qmp_open_fd(fd, timeout_ms, out);
		int err = errno;
		close(fd);
		/* QEMU may not have created or started listening on the socket yet. */
		if ((err != ENOENT && err != ECONNREFUSED) || remaining_ms(deadline) == 0) {
			errno = err;
			return QMP_ERR_IO;
		}
		struct timespec ts = {.tv_nsec = QMP_CONNECT_RETRY_MS * 1000000L};
		nanosleep(&ts, NULL);
	}
}

void qmp_close(struct qmp_conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	json_object_put(c->events);
	free(c->buf);
	free(c);
}

/* A reply belongs to our command when it carries our id, or no id at all
 * (QEMU answers a command it could not parse without one). */
static bool reply_matches(json_object *msg, uint64_t id)
{
	json_object *jid;

	if (!json_object_object_get_ex(msg, "id", &jid))
		return true;
	return json_object_is_type(jid, json_type_int) && json_object_get_uint64(jid) == id;
}

static int handle_reply(struct qmp_conn *c, json_object *msg, json_object **result)
{
	json_object *ret, *err, *v;

	if (json_object_object_get_ex(msg, "return", &ret)) {
		if (result != NULL)
			*result = json_object_get(ret);
		c->err_class[0] = c->err_desc[0] = '\0';
		return QMP_OK;
	}
	if (json_object_object_get_ex(msg, "error", &err)) {
		const char *cls = json_object_object_get_ex(err, "class", &v)
					  ? json_object_get_string(v)
					  : "GenericError";
		const char *desc = json_object_object_get_ex(err, "desc", &v)
					   ? json_object_get_string(v)
					   : "(no description)";
		set_error(c, cls, "%s", desc);
		return QMP_ERR_COMMAND;
	}
	set_error(c, "ProtocolError", "reply has neither \"return\" nor \"error\"");
	return QMP_ERR_PROTOCOL;
}

int qmp_execute(struct qmp_conn *c, const char *command, json_object *args, json_object **result)
{
	if (c == NULL || command == NULL || command[0] == '\0')
		return QMP_ERR_ARG;
	if (args != NULL && !json_object_is_type(args, json_type_object))
		return QMP_ERR_ARG;
	if (result != NULL)
		*result = NULL;

	uint64_t id = c->next_id++;
	json_object *req = json_object_new_object();
	json_object_object_add(req, "execute", json_object_new_string(command));
	if (args != NULL)
		json_object_object_add(req, "arguments", json_object_get(args));
	json_object_object_add(req, "id", json_object_new_uint64(id));
	/* One write for message and line end: QEMU may act on the complete object
	 * (e.g. "quit") and close before a second write. */
	const char *json = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	size_t len = strlen(json);
	char *line = malloc(len + 3);
	int rc = QMP_ERR_IO;
	if (line != NULL) {
		snprintf(line, len + 3, "%s\r\n", json);
		rc = write_all(c, line, len + 2);
		free(line);
	} else {
		set_error(c, "ClientError", "out of memory");
	}
	json_object_put(req);
	if (rc != QMP_OK)
		return rc;

	int64_t deadline = now_ms() + c->timeout_ms;
	for (;;) {
		json_object *msg = NULL;
		rc = read_message(c, deadline, &msg);
		if (rc != QMP_OK)
			return rc;
		if (json_object_object_get_ex(msg, "event", NULL)) {
			queue_event(c, msg);
			continue;
		}
		if (!reply_matches(msg, id)) {
			json_object_put(msg); /* a late reply to an earlier, timed-out command */
			continue;
		}
		rc = handle_reply(c, msg, result);
		json_object_put(msg);
		return rc;
	}
}

int qmp_next_event(struct qmp_conn *c, int timeout_ms, json_object **event)
{
	if (c == NULL || event == NULL || timeout_ms < 0)
		return QMP_ERR_ARG;
	*event = NULL;
	if (json_object_array_length(c->events) > 0) {
		*event = json_object_get(json_object_array_get_idx(c->events, 0));
		json_object_array_del_idx(c->events, 0, 1);
		return QMP_OK;
	}

	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		json_object *msg = NULL;
		int rc = read_message(c, deadline, &msg);
		if (rc != QMP_OK)
			return rc;
		if (json_object_object_get_ex(msg, "event", NULL)) {
			*event = msg;
			return QMP_OK;
		}
		json_object_put(msg); /* a stray reply: nothing is waiting for it */
	}
}

int qmp_wait_event(struct qmp_conn *c, const char *name, int timeout_ms, json_object **event)
{
	if (c == NULL || name == NULL || event == NULL || timeout_ms < 0)
		return QMP_ERR_ARG;

	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		json_object *ev = NULL, *evname;
		int rc = qmp_next_event(c, remaining_ms(deadline), &ev);
		if (rc != QMP_OK)
			return rc;
		if (json_object_object_get_ex(ev, "event", &evname) &&
		    strcmp(json_object_get_string(evname), name) == 0) {
			*event = ev;
			return QMP_OK;
		}
		json_object_put(ev);
	}
}
