// SPDX-License-Identifier: MIT
/*
 * RELAX NG validation with libxml2 and a look into libvirt's schema files.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "schema.h"

#define RNG_NS "http://relaxng.org/ns/structure/1.0"

const char *svsm_schema_dir(void)
{
	const char *dir = getenv("SVSM_VIRT_SCHEMA_DIR");

	return dir && dir[0] ? dir : SVSM_SCHEMA_DIR_DEFAULT;
}

struct first_error {
	char *buf;
	size_t len;
	bool set;
};

static void keep_first_error(void *ctx, xmlErrorPtr e)
{
	struct first_error *fe = ctx;

	if (fe->set || e == NULL || e->message == NULL)
		return;
	fe->set = true;
	snprintf(fe->buf, fe->len, "line %d, element %s: %s", e->line,
		 e->node ? (const char *)((xmlNodePtr)e->node)->name : "?", e->message);
	size_t n = strlen(fe->buf);
	if (n > 0 && fe->buf[n - 1] == '\n')
		fe->buf[n - 1] = '\0';
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

bool svsm_schema_validate(xmlDocPtr doc, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	struct first_error fe = {err, errlen, false};
	bool ok = false;

	snprintf(path, sizeof(path), "%s/domain.rng", dir);
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(path);
	xmlRelaxNGPtr schema = pctx ? xmlRelaxNGParse(pctx) : NULL;
	if (schema == NULL) {
		snprintf(err, errlen,
			 "cannot load libvirt's domain schema %s (package "
			 "libvirt-clients or libvirt-daemon-common)",
			 path);
		goto out;
	}
	xmlRelaxNGValidCtxtPtr vctx = xmlRelaxNGNewValidCtxt(schema);
	if (vctx == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	xmlRelaxNGSetValidStructuredErrors(vctx, keep_first_error, &fe);
	ok = xmlRelaxNGValidateDoc(vctx, doc) == 0;
	if (!ok && !fe.set)
		snprintf(err, errlen, "the document does not match %s", path);
	xmlRelaxNGFreeValidCtxt(vctx);
out:
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pctx);
	xmlSetGenericErrorFunc(NULL, NULL);
	return ok;
}

static void copy_attr(xmlNodePtr node, const char *name, char *out, size_t len)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);

	if (v != NULL)
		snprintf(out, len, "%s", (const char *)v);
	xmlFree(v);
}

/* Look for <element name="igvm"> in one .rng file. */
static bool igvm_in_file(const char *path, struct svsm_igvm_native *out)
{
	bool found = false;
	xmlDocPtr doc =
		xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return false;
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res = NULL;
	if (xp != NULL &&
	    xmlXPathRegisterNs(xp, (const xmlChar *)"r", (const xmlChar *)RNG_NS) == 0)
		res = xmlXPathEvalExpression((const xmlChar *)"//r:element[@name='igvm']", xp);
	if (res != NULL && res->nodesetval != NULL && res->nodesetval->nodeNr > 0) {
		xmlNodePtr el = res->nodesetval->nodeTab[0];
		found = true;
		snprintf(out->parent, sizeof(out->parent), "os");
		out->attr[0] = '\0';
		/* The nearest enclosing element definition is the parent. */
		for (xmlNodePtr p = el->parent; p != NULL && p->type == XML_ELEMENT_NODE;
		     p = p->parent) {
			if (xmlStrcmp(p->name, (const xmlChar *)"element") == 0) {
				copy_attr(p, "name", out->parent, sizeof(out->parent));
				break;
			}
		}
		/* The first attribute it declares names the file. */
		xp->node = el;
		xmlXPathObjectPtr a = xmlXPathEvalExpression((const xmlChar *)".//r:attribute", xp);
		if (a != NULL && a->nodesetval != NULL && a->nodesetval->nodeNr > 0)
			copy_attr(a->nodesetval->nodeTab[0], "name", out->attr, sizeof(out->attr));
		xmlXPathFreeObject(a);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(xp);
	xmlFreeDoc(doc);
	return found;
}

bool svsm_schema_igvm_element(const char *dir, struct svsm_igvm_native *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".rng") != 0)
			continue;
		/* Only the domain schemas: other documents may use the name too. */
		if (strncmp(e->d_name, "domain", 6) != 0 && strcmp(e->d_name, "os.rng") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		found = igvm_in_file(path, out);
	}
	closedir(d);
	return found;
}
