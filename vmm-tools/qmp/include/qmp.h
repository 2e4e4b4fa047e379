/* SPDX-License-Identifier: MIT */
/*
 * libqmp: a small client for QEMU's machine protocol (QMP) over a unix socket.
 *
 * Protocol (QEMU docs/interop/qmp-spec.rst): the server sends a greeting
 * {"QMP": {"version": ..., "capabilities": [...]}}; the client must send
 * "qmp_capabilities" before any other command; every command gets exactly one
 * {"return": ...} or {"error": {"class", "desc"}} reply carrying the command's
 * "id"; asynchronous {"event": NAME, "data", "timestamp"} messages may arrive
 * at any time, also between a command and its reply.
 */
#ifndef QMP_H
#define QMP_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

/* Return codes of the functions below (0 is success). */
enum qmp_status {
	QMP_OK = 0,
	QMP_ERR_IO = -1,       /* connect/read/write failed, or the peer closed */
	QMP_ERR_TIMEOUT = -2,  /* no complete message within the timeout */
	QMP_ERR_PROTOCOL = -3, /* not valid JSON or not a QMP message */
	QMP_ERR_COMMAND = -4,  /* QEMU answered with an "error" object */
	QMP_ERR_ARG = -5,      /* bad argument from the caller */
};

struct qmp_conn;

/* Connect to a unix socket path and negotiate capabilities (greeting, then
 * "qmp_capabilities"). timeout_ms bounds each wait for a message (and the
 * connect retries while the socket does not exist yet). When the connection
 * was made but the greeting or negotiation failed, *out is still set so that
 * the caller can read qmp_error_desc(); qmp_close() it in every case. */
int qmp_connect(const char *path, int timeout_ms, struct qmp_conn **out);
/* The same on an already connected stream socket (takes ownership of fd). */
int qmp_open_fd(int fd, int timeout_ms, struct qmp_conn **out);
void qmp_close(struct qmp_conn *c);

/* QEMU version from the greeting. */
void qmp_version(const struct qmp_conn *c, int *major, int *minor, int *micro);

/* Run a command. args may be NULL (it is not consumed). On QMP_OK, *result (if
 * result != NULL) holds a new reference to the "return" value; release it with
 * json_object_put. On QMP_ERR_COMMAND see qmp_error_class / qmp_error_desc. */
int qmp_execute(struct qmp_conn *c, const char *command, json_object *args, json_object **result);

/* Next event (queued ones first), waiting up to timeout_ms. *event is a new
 * reference to the whole event message. */
int qmp_next_event(struct qmp_conn *c, int timeout_ms, json_object **event);
/* Wait for an event named name; other events are dropped. */
int qmp_wait_event(struct qmp_conn *c, const char *name, int timeout_ms, json_object **event);

/* Details of the last failure on c (never NULL; empty when none). */
const char *qmp_error_class(const struct qmp_conn *c);
const char *qmp_error_desc(const struct qmp_conn *c);
const char *qmp_status_str(int status);

/* ---- SEV queries (QEMU qapi/misc-target.json) ------------------------------ */

/* query-sev-capabilities: SevCapability. The strings are base64 blobs from the
 * firmware (PDH, certificate chain, CPU0 ID); they are copied. */
struct qmp_sev_caps {
	char *pdh;
	char *cert_chain;
	char *cpu0_id;
	int64_t cbitpos;
	int64_t reduced_phys_bits;
};
int qmp_query_sev_capabilities(struct qmp_conn *c, struct qmp_sev_caps *caps);
void qmp_sev_caps_free(struct qmp_sev_caps *caps);

/* query-sev: SevInfo, a union on "sev-type" ("sev" has policy and handle,
 * "sev-snp" has snp-policy). */
enum qmp_sev_type { QMP_SEV_TYPE_SEV, QMP_SEV_TYPE_SNP };
struct qmp_sev_info {
	bool enabled;
	uint8_t api_major, api_minor, build_id;
	char state[32]; /* SevState: uninit, launch-update, ..., running */
	enum qmp_sev_type type;
	uint64_t policy; /* SEV policy (32-bit) or SNP policy (64-bit) */
	uint32_t handle; /* SEV only */
};
int qmp_query_sev(struct qmp_conn *c, struct qmp_sev_info *info);

#endif
