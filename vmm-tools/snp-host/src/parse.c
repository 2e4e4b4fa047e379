// SPDX-License-Identifier: MIT
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

/* One /proc/iomem line: "  start-end : name", two spaces of indent per level. */
struct iomem_line {
	uint64_t start, end;
	unsigned depth;
	const char *name;
	size_t name_len;
};

static bool iomem_parse_line(const char *line, size_t len, struct iomem_line *out)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	out->depth = (unsigned)(i / 2);
	char buf[160];
	size_t n = len - i < sizeof(buf) - 1 ? len - i : sizeof(buf) - 1;
	memcpy(buf, line + i, n);
	buf[n] = '\0';
	unsigned long long s, e;
	int consumed = 0;
	if (sscanf(buf, "%llx-%llx : %n", &s, &e, &consumed) != 2 || consumed == 0)
		return false;
	out->start = s;
	out->end = e;
	out->name = line + i + consumed;
	out->name_len = len - i - (size_t)consumed;
	return true;
}

enum iomem_verdict iomem_check_range(const char *text, uint64_t start, uint64_t end,
				     const char *name)
{
	size_t nlen = strlen(name);
	uint64_t next = start; /* first byte of the range not yet known to be covered */
	bool any = false, all_zero = true;
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		struct iomem_line l;
		if (len > 0) {
			if (!iomem_parse_line(p, len, &l))
				return IOMEM_GARBAGE;
			any = true;
			if (l.start || l.end)
				all_zero = false;
			if (l.depth == 0 && l.name_len == nlen && memcmp(l.name, name, nlen) == 0 &&
			    l.start <= next && l.end >= next) {
				if (l.end >= end)
					return IOMEM_COVERED;
				next = l.end + 1;
			}
		}
		p = eol ? eol + 1 : p + len;
	}
	if (!any)
		return IOMEM_GARBAGE;
	return all_zero ? IOMEM_HIDDEN : IOMEM_NOT_COVERED;
}

char kconfig_value(const char *text, const char *option)
{
	size_t olen = strlen(option);
	bool looks_like_config = false;
	char not_set[96];
	snprintf(not_set, sizeof(not_set), "# %s is not set", option);
	for (const char *p = text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > 7 && (strncmp(p, "CONFIG_", 7) == 0 || strncmp(p, "# CONFIG_", 9) == 0))
			looks_like_config = true;
		if (len > olen && strncmp(p, option, olen) == 0 && p[olen] == '=') {
			const char *v = p + olen + 1;
			size_t vlen = len - olen - 1;
			if (vlen == 1 && (v[0] == 'y' || v[0] == 'm' || v[0] == 'n'))
				return v[0];
			return 's';
		}
		if (len == strlen(not_set) && strncmp(p, not_set, len) == 0)
			return 'n';
		p = eol ? eol + 1 : p + len;
	}
	return looks_like_config ? 'n' : '?';
}

static bool parse_uint(const char **p, unsigned *out)
{
	if (!isdigit((unsigned char)**p))
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 10);
	if (errno || v > 1000000)
		return false;
	*out = (unsigned)v;
	*p = end;
	return true;
}

bool parse_dotted_version(const char *text, unsigned *major, unsigned *minor, unsigned *micro)
{
	const char *p = text;
	while (*p == ' ' || *p == '\t')
		p++;
	*major = *minor = *micro = 0;
	if (!parse_uint(&p, major))
		return false;
	if (*p == '.') {
		p++;
		if (!parse_uint(&p, minor))
			return false;
		if (*p == '.') {
			p++;
			if (!parse_uint(&p, micro))
				return false;
		}
	}
	return *p == '\0' || !isalnum((unsigned char)*p) || *p == '-' || *p == '+';
}

bool parse_kernel_release(const char *s, unsigned *major, unsigned *minor, unsigned *patch)
{
	const char *p = s;
	*major = *minor = *patch = 0;
	if (!parse_uint(&p, major) || *p != '.')
		return false;
	p++;
	if (!parse_uint(&p, minor))
		return false;
	if (*p == '.') {
		p++;
		if (!parse_uint(&p, patch))
			return false;
	}
	/* The rest is the local version ("-amd64", "+deb13-amd64", "-rc3"). */
	return *p == '\0' || *p == '\n' || *p == '-' || *p == '+' || *p == '_';
}

int parse_bool_param(const char *s)
{
	while (*s == ' ')
		s++;
	char c = s[0];
	if (c == '\0' || (s[1] != '\0' && s[1] != '\n'))
		return -1;
	if (c == 'Y' || c == 'y' || c == '1')
		return 1;
	if (c == 'N' || c == 'n' || c == '0')
		return 0;
	return -1;
}

bool parse_qemu_version(const char *text, unsigned *major, unsigned *minor, unsigned *micro)
{
	static const char tag[] = "QEMU emulator version ";
	const char *p = strstr(text, tag);
	if (!p)
		return false;
	p += sizeof(tag) - 1;
	char buf[32];
	size_t n = strcspn(p, " \n(");
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return parse_dotted_version(buf, major, minor, micro);
}

bool qemu_lists_object(const char *help_text, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *p = help_text; *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t i = 0;
		while (i < len && (p[i] == ' ' || p[i] == '\t'))
			i++;
		size_t end = len;
		while (end > i && (p[end - 1] == ' ' || p[end - 1] == '\r'))
			end--;
		if (end - i == nlen && memcmp(p + i, name, nlen) == 0)
			return true;
		p = eol ? eol + 1 : p + len;
	}
	return false;
}

static bool xpath_true(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	bool r = o && o->type == XPATH_BOOLEAN && o->boolval;
	xmlXPathFreeObject(o);
	return r;
}

bool domcaps_parse(const char *xml, size_t len, bool *sev, bool *sev_snp)
{
	*sev = *sev_snp = false;
	if (len > (size_t)0x7fffffff)
		return false;
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, "domcaps.xml", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		return false;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	if (!root || xmlStrcmp(root->name, (const xmlChar *)"domainCapabilities") != 0) {
		xmlFreeDoc(doc);
		return false;
	}
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	if (!ctx) {
		xmlFreeDoc(doc);
		return false;
	}
	*sev = xpath_true(ctx, "boolean(/domainCapabilities/features/sev[@supported='yes'])");
	*sev_snp = xpath_true(ctx, "boolean(/domainCapabilities/features/"
				   "launchSecurity[@supported='yes']/enum[@name='sectype']/"
				   "value[normalize-space(text())='sev-snp'])");
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return true;
}

int version_cmp(unsigned amaj, unsigned amin, unsigned bmaj, unsigned bmin)
{
	if (amaj != bmaj)
		return amaj < bmaj ? -1 : 1;
	if (amin != bmin)
		return amin < bmin ? -1 : 1;
	return 0;
}
