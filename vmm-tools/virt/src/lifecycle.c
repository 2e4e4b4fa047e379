// SPDX-License-Identifier: MIT
/*
 * libvirt operations for svsm-virt.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "lifecycle.h"

#define HOST_CHECK_HINT                                                                         \
	"check the host with `snp-host --target=snp` (build/vmm-tools/snp-host/snp-host); for " \
	"the emulated platform the QEMU must answer query-sev-capabilities under TCG "          \
	"(`svsm-qmp -s SOCKET sev-capabilities`, docs/launch.md)"

static int fail(struct svsm_virt *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct svsm_virt *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *last_libvirt_error(void)
{
	const char *msg = virGetLastErrorMessage();

	return msg ? msg : "unknown libvirt error";
}

/* libvirt prints every error to stderr by default; we report them ourselves. */
static void quiet_errors(void *data, virErrorPtr err)
{
	(void)data;
	(void)err;
}

int svsm_virt_connect(struct svsm_virt *v, const char *uri)
{
	v->err[0] = '\0';
	virSetErrorFunc(NULL, quiet_errors);
	/* Non-blocking console streams are pumped by the client's event loop. */
	if (virEventRegisterDefaultImpl() < 0)
		return fail(v, "cannot set up libvirt's event loop: %s", last_libvirt_error());
	v->conn = virConnectOpen(uri ? uri : SVSM_VIRT_DEFAULT_URI);
	if (v->conn == NULL)
		return fail(v, "cannot connect to libvirt at %s: %s",
			    uri ? uri : SVSM_VIRT_DEFAULT_URI, last_libvirt_error());
	return 0;
}

void svsm_virt_close(struct svsm_virt *v)
{
	if (v->conn != NULL)
		virConnectClose(v->conn);
	v->conn = NULL;
}

static xmlXPathObjectPtr xpath(xmlXPathContextPtr xp, const char *expr)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, xp);

	if (r != NULL && (r->nodesetval == NULL || r->nodesetval->nodeNr == 0)) {
		xmlXPathFreeObject(r);
		return NULL;
	}
	return r;
}

static bool xpath_uint(xmlXPathContextPtr xp, const char *expr, unsigned int *out)
{
	xmlXPathObjectPtr r = xpath(xp, expr);
	bool ok = false;

	if (r != NULL) {
		xmlChar *s = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
		char *end;
		unsigned long n = strtoul((const char *)s, &end, 10);
		ok = s != NULL && end != (char *)s && *end == '\0' && n <= 0xffffffffu;
		if (ok)
			*out = (unsigned int)n;
		xmlFree(s);
		xmlXPathFreeObject(r);
	}
	return ok;
}

int svsm_parse_domcaps(const char *xml, struct svsm_snp_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "domcaps.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return -1;
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	if (xp == NULL) {
		xmlFreeDoc(doc);
		return -1;
	}
	xmlXPathObjectPtr r =
		xpath(xp, "/domainCapabilities/features/launchSecurity"
			  "[@supported='yes']/enum[@name='sectype']/value[.='sev-snp']");
	caps->snp = r != NULL;
	xmlXPathFreeObject(r);
	caps->have_cbitpos =
		xpath_uint(xp, "/domainCapabilities/features/sev[@supported='yes']/cbitpos",
			   &caps->cbitpos) &&
		xpath_uint(xp, "/domainCapabilities/features/sev[@supported='yes']/reducedPhysBits",
			   &caps->reduced_phys_bits);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return 0;
}

int svsm_virt_snp_caps(struct svsm_virt *v, const char *emulator, const char *machine,
		       const char *virttype, struct svsm_snp_caps *caps)
{
	char *xml =
		virConnectGetDomainCapabilities(v->conn, emulator, "x86_64", machine, virttype, 0);
	if (xml == NULL)
		return fail(v,
			    "libvirt cannot report domain capabilities of %s (virttype %s, "
			    "machine %s): %s",
			    emulator, virttype, machine, last_libvirt_error());
	int rc = svsm_parse_domcaps(xml, caps);
	free(xml);
	if (rc < 0)
		return fail(v, "libvirt returned unreadable domain capabilities for %s", emulator);
	return 0;
}

static virDomainPtr lookup(struct svsm_virt *v, const char *name)
{
	virDomainPtr dom = virDomainLookupByName(v->conn, name);

	if (dom == NULL)
		fail(v, "no domain named '%s' (define it first: svsm-virt define)", name);
	return dom;
}

int svsm_virt_define(struct svsm_virt *v, const char *name, const char *xml)
{
	virDomainPtr dom = virDomainLookupByName(v->conn, name);

	if (dom != NULL) {
		virDomainFree(dom);
		return fail(v, "a domain named '%s' exists already; undefine it first", name);
	}
	/* VALIDATE: libvirt checks the XML against its schema too, so nothing it
	 * would half-accept gets stored. */
	dom = virDomainDefineXMLFlags(v->conn, xml, VIR_DOMAIN_DEFINE_VALIDATE);
	if (dom == NULL) {
		const char *msg = last_libvirt_error();
		if (strstr(msg, "sev") != NULL || strstr(msg, "SEV") != NULL)
			return fail(v, "libvirt refused the domain: %s; " HOST_CHECK_HINT, msg);
		return fail(v, "libvirt refused the domain: %s", msg);
	}
	virDomainFree(dom);
	return 0;
}

int svsm_virt_start(struct svsm_virt *v, const char *name, bool paused)
{
	virDomainPtr dom = lookup(v, name);
	int rc = 0;

	if (dom == NULL)
		return -1;
	if (virDomainCreateWithFlags(dom, paused ? VIR_DOMAIN_START_PAUSED : 0) < 0) {
		const char *msg = last_libvirt_error();
		if (strstr(msg, "igvm") != NULL)
			rc = fail(
				v,
				"libvirt could not start '%s': %s; this QEMU does not take IGVM "
				"files: use ours (build/qemu/qemu-system-x86_64 from `make qemu`)",
				name, msg);
		else if (strstr(msg, "sev") != NULL || strstr(msg, "SEV") != NULL)
			rc = fail(v, "libvirt could not start '%s': %s; " HOST_CHECK_HINT, name,
				  msg);
		else
			rc = fail(v, "libvirt could not start '%s': %s", name, msg);
	}
	virDomainFree(dom);
	return rc;
}

int svsm_virt_destroy(struct svsm_virt *v, const char *name)
{
	virDomainPtr dom = lookup(v, name);
	int rc = 0;

	if (dom == NULL)
		return -1;
	if (virDomainIsActive(dom) == 1 && virDomainDestroy(dom) < 0)
		rc = fail(v, "cannot stop '%s': %s", name, last_libvirt_error());
	virDomainFree(dom);
	return rc;
}

int svsm_virt_undefine(struct svsm_virt *v, const char *name, bool force)
{
	virDomainPtr dom = lookup(v, name);
	int rc = 0;

	if (dom == NULL)
		return -1;
	if (virDomainIsActive(dom) == 1) {
		if (!force)
			rc = fail(v, "'%s' is running; destroy it first (or undefine --force)",
				  name);
		/* The domain may stop by itself meanwhile (its guest powered off): then
		 * there is nothing left to stop, and undefining it is what was asked. */
		else if (virDomainDestroy(dom) < 0 && virDomainIsActive(dom) != 0)
			rc = fail(v, "cannot stop '%s': %s", name, last_libvirt_error());
	}
	if (rc == 0 && virDomainUndefine(dom) < 0)
		rc = fail(v, "cannot undefine '%s': %s", name, last_libvirt_error());
	virDomainFree(dom);
	return rc;
}

static const char *state_name(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
		return "running";
	case VIR_DOMAIN_BLOCKED:
		return "blocked";
	case VIR_DOMAIN_PAUSED:
		return "paused";
	case VIR_DOMAIN_SHUTDOWN:
		return "shutting down";
	case VIR_DOMAIN_SHUTOFF:
		return "shut off";
	case VIR_DOMAIN_CRASHED:
		return "crashed";
	case VIR_DOMAIN_PMSUSPENDED:
		return "suspended";
	default:
		return "unknown";
	}
}

static const char *shutoff_reason(int reason)
{
	switch (reason) {
	case VIR_DOMAIN_SHUTOFF_SHUTDOWN:
		return "guest shut down";
	case VIR_DOMAIN_SHUTOFF_DESTROYED:
		return "destroyed";
	case VIR_DOMAIN_SHUTOFF_CRASHED:
		return "crashed";
	case VIR_DOMAIN_SHUTOFF_FAILED:
		return "failed to start";
	case VIR_DOMAIN_SHUTOFF_DAEMON:
		return "stopped by the daemon";
	default:
		return "not started";
	}
}

int svsm_virt_status(struct svsm_virt *v, const char *name, char *state, size_t slen, char *reason,
		     size_t rlen, bool *active)
{
	virDomainPtr dom = lookup(v, name);
	int st = 0, why = 0, rc = 0;

	if (dom == NULL)
		return -1;
	if (virDomainGetState(dom, &st, &why, 0) < 0) {
		rc = fail(v, "cannot read the state of '%s': %s", name, last_libvirt_error());
	} else {
		snprintf(state, slen, "%s", state_name(st));
		snprintf(reason, rlen, "%s",
			 st == VIR_DOMAIN_SHUTOFF ? shutoff_reason(why)
			 : st == VIR_DOMAIN_RUNNING && why == VIR_DOMAIN_RUNNING_BOOTED ? "booted"
											: "");
		*active = virDomainIsActive(dom) == 1;
	}
	virDomainFree(dom);
	return rc;
}

/* Serial device of the domain: its type and, for a file, the path. */
static int serial_of(struct svsm_virt *v, virDomainPtr dom, char *type, size_t tlen, char *path,
		     size_t plen)
{
	char *xml = virDomainGetXMLDesc(dom, 0);
	int rc = -1;

	if (xml == NULL)
		return fail(v, "cannot read the domain XML: %s", last_libvirt_error());
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL, XML_PARSE_NONET);
	free(xml);
	xmlXPathContextPtr xp = doc ? xmlXPathNewContext(doc) : NULL;
	xmlXPathObjectPtr r = xp ? xpath(xp, "/domain/devices/serial[1]") : NULL;
	if (r == NULL) {
		fail(v, "the domain has no serial device");
	} else {
		xmlNodePtr n = r->nodesetval->nodeTab[0];
		xmlChar *t = xmlGetProp(n, (const xmlChar *)"type");
		snprintf(type, tlen, "%s", t ? (const char *)t : "");
		xmlFree(t);
		path[0] = '\0';
		for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
			if (c->type == XML_ELEMENT_NODE &&
			    xmlStrcmp(c->name, (const xmlChar *)"source") == 0) {
				xmlChar *p = xmlGetProp(c, (const xmlChar *)"path");
				snprintf(path, plen, "%s", p ? (const char *)p : "");
				xmlFree(p);
			}
		}
		rc = 0;
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Text seen so far, kept to find wait_for across read boundaries. */
struct seen {
	char *buf;
	size_t len;
};

static bool seen_add(struct seen *s, const char *data, size_t n, const char *wait_for)
{
	char *nb = realloc(s->buf, s->len + n + 1);

	if (nb == NULL)
		return false;
	s->buf = nb;
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
	return wait_for != NULL && strstr(s->buf, wait_for) != NULL;
}

static int console_file(struct svsm_virt *v, virDomainPtr dom, const char *path,
			const char *wait_for, int timeout_s)
{
	struct seen s = {NULL, 0};
	double deadline = now_s() + timeout_s;
	long off = 0;
	int rc = 1; /* 1: keep going */
	bool last_pass = false;

	while (rc == 1) {
		FILE *f = fopen(path, "r");
		if (f != NULL) {
			char buf[4096];
			size_t n;
			fseek(f, off, SEEK_SET);
			while (rc == 1 && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
				fwrite(buf, 1, n, stdout);
				off += (long)n;
				if (seen_add(&s, buf, n, wait_for))
					rc = 0;
			}
			fclose(f);
			fflush(stdout);
		}
		if (rc != 1)
			break;
		if (wait_for == NULL && timeout_s == 0) {
			rc = 0;
		} else if (now_s() >= deadline) {
			rc = wait_for ? fail(v,
					     "'%s' did not appear on the serial console within "
					     "%d s",
					     wait_for, timeout_s)
				      : 0;
		} else if (virDomainIsActive(dom) != 1 && wait_for != NULL) {
			/* One more read catches output written just before it stopped. */
			if (last_pass)
				rc = fail(v,
					  "the domain stopped before '%s' appeared on the serial "
					  "console",
					  wait_for);
			last_pass = true;
		} else {
			struct timespec ts = {.tv_nsec = 100 * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	free(s.buf);
	return rc;
}

static void tick(int timer, void *opaque)
{
	(void)timer;
	(void)opaque;
}

static int console_pty(struct svsm_virt *v, virDomainPtr dom, const char *wait_for, int timeout_s,
		       bool resume)
{
	virStreamPtr st = virStreamNew(v->conn, VIR_STREAM_NONBLOCK);
	struct seen s = {NULL, 0};
	double deadline = now_s() + timeout_s;
	int rc = 1;

	if (st == NULL || virDomainOpenConsole(dom, NULL, st, VIR_DOMAIN_CONSOLE_SAFE) < 0) {
		rc = fail(v, "cannot open the console: %s", last_libvirt_error());
		if (st != NULL)
			virStreamFree(st);
		return rc;
	}
	/* A periodic timer bounds each turn of the event loop. */
	int timer = virEventAddTimeout(100, tick, NULL, NULL);
	int state = 0, reason = 0;
	if (resume && virDomainGetState(dom, &state, &reason, 0) == 0 &&
	    state == VIR_DOMAIN_PAUSED && virDomainResume(dom) < 0) {
		rc = fail(v, "cannot resume the domain: %s", last_libvirt_error());
		virStreamAbort(st);
		virStreamFree(st);
		return rc;
	}
	while (rc == 1) {
		char buf[4096];
		int n = virStreamRecv(st, buf, sizeof(buf));
		if (n > 0) {
			fwrite(buf, 1, (size_t)n, stdout);
			fflush(stdout);
			if (seen_add(&s, buf, (size_t)n, wait_for))
				rc = 0;
		} else if (n == 0) {
			rc = wait_for ? fail(v, "console closed before '%s' appeared", wait_for)
				      : 0;
		} else if (n == -2) { /* nothing yet: let the event loop receive */
			if (now_s() >= deadline)
				rc = wait_for ? fail(v,
						     "'%s' did not appear on the console within "
						     "%d s",
						     wait_for, timeout_s)
					      : 0;
			else
				virEventRunDefaultImpl();
		} else {
			rc = fail(v, "console stream: %s", last_libvirt_error());
		}
	}
	if (timer >= 0)
		virEventRemoveTimeout(timer);
	virStreamAbort(st);
	virStreamFree(st);
	free(s.buf);
	return rc;
}

int svsm_virt_console(struct svsm_virt *v, const char *name, const char *wait_for, int timeout_s,
		      bool resume)
{
	char type[32], path[4096];
	virDomainPtr dom = lookup(v, name);
	int rc;

	if (dom == NULL)
		return -1;
	rc = serial_of(v, dom, type, sizeof(type), path, sizeof(path));
	int state = 0, reason = 0;
	if (rc == 0 && resume && strcmp(type, "file") == 0 &&
	    virDomainGetState(dom, &state, &reason, 0) == 0 && state == VIR_DOMAIN_PAUSED &&
	    virDomainResume(dom) < 0)
		rc = fail(v, "cannot resume the domain: %s", last_libvirt_error());
	if (rc == 0 && strcmp(type, "file") == 0)
		rc = console_file(v, dom, path, wait_for, timeout_s);
	else if (rc == 0 && strcmp(type, "pty") == 0)
		rc = virDomainIsActive(dom) == 1
			     ? console_pty(v, dom, wait_for, timeout_s, resume)
			     : fail(v,
				    "'%s' is not running: a pty console exists only while it "
				    "runs",
				    name);
	else if (rc == 0)
		rc = fail(v, "serial type '%s' is not supported here (file or pty)", type);
	virDomainFree(dom);
	return rc;
}
