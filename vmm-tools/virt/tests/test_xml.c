// SPDX-License-Identifier: MIT
/*
 * Domain XML: structure checked with XPath for each variant, and every
 * document validated against the libvirt schema installed on this machine
 * (the same RELAX NG files virt-xml-validate uses).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "domain-xml.h"
#include "schema.h"

static const struct svsm_blobs no_blobs = {NULL, NULL};

static void config(struct svsm_domain_config *cfg, enum svsm_variant v)
{
	svsm_config_defaults(cfg);
	cfg->variant = v;
	cfg->name = "guest1";
	cfg->emulator = "/opt/qemu/bin/qemu-system-x86_64";
	cfg->igvm = "/images/svsm.igvm";
	cfg->serial_log = "/var/log/guest1-serial.log";
	cfg->memory_mib = 1024;
	cfg->vcpus = 2;
}

/* Text of the first node matching expr (element text or attribute value), or
 * NULL when nothing matches. Caller frees with xmlFree. */
static char *get(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, (const xmlChar *)"q", (const xmlChar *)SVSM_QEMU_NS);
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	char *out = NULL;

	if (r != NULL && r->nodesetval != NULL && r->nodesetval->nodeNr > 0)
		out = (char *)xmlNodeGetContent(r->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(xp);
	return out;
}

static int count(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr xp = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(xp, (const xmlChar *)"q", (const xmlChar *)SVSM_QEMU_NS);
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)expr, xp);
	int n = r && r->nodesetval ? r->nodesetval->nodeNr : 0;

	xmlXPathFreeObject(r);
	xmlXPathFreeContext(xp);
	return n;
}

static void expect(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = get(doc, expr);

	if (got == NULL) {
		fail_msg("%s: no match", expr);
		return;
	}
	if (strcmp(got, want) != 0)
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	xmlFree(got);
}

static void valid(xmlDocPtr doc)
{
	char err[1024];

	if (!svsm_schema_validate(doc, SVSM_SCHEMA_DIR_DEFAULT, err, sizeof(err)))
		fail_msg("not valid against libvirt's schema: %s", err);
}

static void test_emulated_variant(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	config(&cfg, SVSM_VARIANT_SNP_EMULATED);
	xmlDocPtr doc = svsm_domain_xml(&cfg, &no_blobs, NULL);
	expect(doc, "/domain/@type", "qemu");
	expect(doc, "/domain/name", "guest1");
	expect(doc, "/domain/memory", "1024");
	expect(doc, "/domain/memory/@unit", "MiB");
	expect(doc, "/domain/vcpu", "2");
	expect(doc, "/domain/os/type/@machine", "q35");
	expect(doc, "/domain/cpu/@mode", "maximum");
	expect(doc, "/domain/devices/emulator", "/opt/qemu/bin/qemu-system-x86_64");
	expect(doc, "/domain/devices/serial/@type", "file");
	expect(doc, "/domain/devices/serial/source/@path", "/var/log/guest1-serial.log");
	expect(doc, "/domain/launchSecurity/@type", "sev-snp");
	expect(doc, "/domain/launchSecurity/policy", "0x30000");
	/* Not given: libvirt fills them from the host's capabilities. */
	assert_int_equal(count(doc, "/domain/launchSecurity/cbitpos"), 0);
	assert_int_equal(count(doc, "/domain/launchSecurity/reducedPhysBits"), 0);
	assert_int_equal(count(doc, "/domain/launchSecurity/idBlock"), 0);
	/* IGVM through QEMU's own options, in this order. */
	assert_int_equal(count(doc, "/domain/q:commandline/q:arg"), 4);
	expect(doc, "/domain/q:commandline/q:arg[1]/@value", "-object");
	expect(doc, "/domain/q:commandline/q:arg[2]/@value",
	       "igvm-cfg,id=igvm0,file=/images/svsm.igvm");
	expect(doc, "/domain/q:commandline/q:arg[3]/@value", "-machine");
	expect(doc, "/domain/q:commandline/q:arg[4]/@value", "igvm-cfg=igvm0");
	expect(doc, "/domain/devices/memballoon/@model", "none");
	valid(doc);
	xmlFreeDoc(doc);
}

static void test_kvm_variant_full(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	struct svsm_blobs blobs = {"QkxPQ0s=", "QVVUSA=="};

	config(&cfg, SVSM_VARIANT_SNP_KVM);
	cfg.policy = 0xb0000; /* + DEBUG: hex in lower case */
	cfg.have_cbitpos = cfg.have_reduced_phys_bits = true;
	cfg.cbitpos = 51;
	cfg.reduced_phys_bits = 1;
	cfg.author_key = true;
	cfg.host_data = "SE9TVA==";
	cfg.disk = "/images/disk.qcow2";
	xmlDocPtr doc = svsm_domain_xml(&cfg, &blobs, NULL);
	expect(doc, "/domain/@type", "kvm");
	expect(doc, "/domain/cpu/@mode", "host-passthrough");
	expect(doc, "/domain/launchSecurity/policy", "0xb0000");
	expect(doc, "/domain/launchSecurity/cbitpos", "51");
	expect(doc, "/domain/launchSecurity/reducedPhysBits", "1");
	expect(doc, "/domain/launchSecurity/idBlock", "QkxPQ0s=");
	expect(doc, "/domain/launchSecurity/idAuth", "QVVUSA==");
	expect(doc, "/domain/launchSecurity/hostData", "SE9TVA==");
	expect(doc, "/domain/launchSecurity/@authorKey", "yes");
	expect(doc, "/domain/devices/disk/source/@file", "/images/disk.qcow2");
	valid(doc);
	xmlFreeDoc(doc);
}

static void test_plain_variant(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	config(&cfg, SVSM_VARIANT_PLAIN);
	cfg.igvm = NULL;
	cfg.kernel = "/images/svsm.bin";
	xmlDocPtr doc = svsm_domain_xml(&cfg, &no_blobs, NULL);
	expect(doc, "/domain/@type", "qemu");
	expect(doc, "/domain/os/kernel", "/images/svsm.bin");
	assert_int_equal(count(doc, "/domain/launchSecurity"), 0);
	assert_int_equal(count(doc, "/domain/q:commandline"), 0);
	valid(doc);
	xmlFreeDoc(doc);
}

static void test_pty_console(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	config(&cfg, SVSM_VARIANT_SNP_EMULATED);
	cfg.serial = SVSM_SERIAL_PTY;
	xmlDocPtr doc = svsm_domain_xml(&cfg, &no_blobs, NULL);
	expect(doc, "/domain/devices/serial/@type", "pty");
	assert_int_equal(count(doc, "/domain/devices/serial/source"), 0);
	expect(doc, "/domain/devices/console/@type", "pty");
	expect(doc, "/domain/devices/console/target/@type", "serial");
	valid(doc);
	xmlFreeDoc(doc);
}

static void test_schema_rejects_bad_document(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	char err[1024] = "";

	/* The validator is not vacuous: an element libvirt does not know fails. */
	config(&cfg, SVSM_VARIANT_SNP_EMULATED);
	xmlDocPtr doc = svsm_domain_xml(&cfg, &no_blobs, NULL);
	xmlNewChild(xmlDocGetRootElement(doc), NULL, (const xmlChar *)"igvmFile", NULL);
	assert_false(svsm_schema_validate(doc, SVSM_SCHEMA_DIR_DEFAULT, err, sizeof(err)));
	assert_true(err[0] != '\0');
	xmlFreeDoc(doc);
	assert_false(svsm_schema_validate(doc = svsm_domain_xml(&cfg, &no_blobs, NULL),
					  "/nonexistent", err, sizeof(err)));
	assert_non_null(strstr(err, "domain.rng"));
	xmlFreeDoc(doc);
}

static void test_igvm_object_commas(void **state)
{
	(void)state;
	char *s = svsm_igvm_object_arg("/a,b/c,,d.igvm");

	assert_string_equal(s, "igvm-cfg,id=igvm0,file=/a,,b/c,,,,d.igvm");
	free(s);
}

static void test_no_native_igvm_in_installed_schema(void **state)
{
	(void)state;
	struct svsm_igvm_native n;

	/* libvirt 11.3 (bookworm-backports) has no IGVM element. */
	assert_false(svsm_schema_igvm_element(SVSM_SCHEMA_DIR_DEFAULT, &n));
}

/* A schema directory whose domain schema defines <os><igvm file=.../></os>. */
static void test_native_igvm_element(void **state)
{
	(void)state;
	char dir[] = "/tmp/svsm-virt-rng-XXXXXX", path[256];
	struct svsm_igvm_native n;
	struct svsm_domain_config cfg;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/domaincommon.rng", dir);
	FILE *f = fopen(path, "w");
	fputs("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start>"
	      "<element name='os'><optional><element name='igvm'><attribute name='file'>"
	      "<text/></attribute><empty/></element></optional></element></start></grammar>\n",
	      f);
	fclose(f);
	assert_true(svsm_schema_igvm_element(dir, &n));
	assert_string_equal(n.parent, "os");
	assert_string_equal(n.attr, "file");

	config(&cfg, SVSM_VARIANT_SNP_EMULATED);
	xmlDocPtr doc = svsm_domain_xml(&cfg, &no_blobs, &n);
	expect(doc, "/domain/os/igvm/@file", "/images/svsm.igvm");
	assert_int_equal(count(doc, "/domain/q:commandline"), 0);
	xmlFreeDoc(doc);

	/* Element text instead of an attribute. */
	n.attr[0] = '\0';
	doc = svsm_domain_xml(&cfg, &no_blobs, &n);
	expect(doc, "/domain/os/igvm", "/images/svsm.igvm");
	xmlFreeDoc(doc);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emulated_variant),
		cmocka_unit_test(test_kvm_variant_full),
		cmocka_unit_test(test_plain_variant),
		cmocka_unit_test(test_pty_console),
		cmocka_unit_test(test_schema_rejects_bad_document),
		cmocka_unit_test(test_igvm_object_commas),
		cmocka_unit_test(test_no_native_igvm_in_installed_schema),
		cmocka_unit_test(test_native_igvm_element),
	};
	return cmocka_run_group_tests_name("virt-xml", tests, NULL, NULL);
}
