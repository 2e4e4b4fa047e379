// SPDX-License-Identifier: MIT
/*
 * Reading SEV-SNP support out of libvirt's domain capabilities. The inputs
 * follow libvirt's domaincaps.rng (launchSecurity = supported + enum sectype;
 * sev = supported, cbitpos, reducedPhysBits, ...); each is validated against
 * the installed schema first, so the test cannot drift from libvirt's format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "lifecycle.h"
#include "schema.h"

#define HEAD                                                                               \
	"<domainCapabilities><path>/usr/bin/qemu-system-x86_64</path><domain>kvm</domain>" \
	"<machine>pc-q35-10.0</machine><arch>x86_64</arch><features>"
#define TAIL "</features></domainCapabilities>"

static void schema_valid(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "caps.xml", NULL, 0);
	xmlRelaxNGParserCtxtPtr p =
		xmlRelaxNGNewParserCtxt(SVSM_SCHEMA_DIR_DEFAULT "/domaincaps.rng");
	xmlRelaxNGPtr rng = xmlRelaxNGParse(p);
	xmlRelaxNGValidCtxtPtr v = xmlRelaxNGNewValidCtxt(rng);

	assert_non_null(doc);
	assert_non_null(rng);
	assert_int_equal(xmlRelaxNGValidateDoc(v, doc), 0);
	xmlRelaxNGFreeValidCtxt(v);
	xmlRelaxNGFree(rng);
	xmlRelaxNGFreeParserCtxt(p);
	xmlFreeDoc(doc);
}

static void test_snp_offered(void **state)
{
	(void)state;
	const char *xml =
		HEAD "<sev supported='yes'><cbitpos>51</cbitpos>"
		     "<reducedPhysBits>1</reducedPhysBits><maxGuests>15</maxGuests>"
		     "<maxESGuests>494</maxESGuests></sev>"
		     "<launchSecurity supported='yes'><enum name='sectype'>"
		     "<value>sev</value><value>sev-snp</value></enum></launchSecurity>" TAIL;
	struct svsm_snp_caps caps;

	schema_valid(xml);
	assert_int_equal(svsm_parse_domcaps(xml, &caps), 0);
	assert_true(caps.snp);
	assert_true(caps.have_cbitpos);
	assert_int_equal(caps.cbitpos, 51);
	assert_int_equal(caps.reduced_phys_bits, 1);
}

static void test_only_sev(void **state)
{
	(void)state;
	const char *xml = HEAD "<sev supported='yes'><cbitpos>47</cbitpos>"
			       "<reducedPhysBits>1</reducedPhysBits><maxGuests>15</maxGuests>"
			       "<maxESGuests>0</maxESGuests></sev>"
			       "<launchSecurity supported='yes'><enum name='sectype'>"
			       "<value>sev</value></enum></launchSecurity>" TAIL;
	struct svsm_snp_caps caps;

	schema_valid(xml);
	assert_int_equal(svsm_parse_domcaps(xml, &caps), 0);
	assert_false(caps.snp);
	assert_int_equal(caps.cbitpos, 47);
}

static void test_nothing(void **state)
{
	(void)state;
	/* What this machine's libvirt 11.3 reports for stock QEMU under TCG. */
	const char *xml = HEAD "<sev supported='no'/><launchSecurity supported='no'/>" TAIL;
	struct svsm_snp_caps caps;

	schema_valid(xml);
	assert_int_equal(svsm_parse_domcaps(xml, &caps), 0);
	assert_false(caps.snp);
	assert_false(caps.have_cbitpos);
	assert_int_equal(svsm_parse_domcaps("<domainCapabilities", &caps), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_offered),
		cmocka_unit_test(test_only_sev),
		cmocka_unit_test(test_nothing),
	};
	return cmocka_run_group_tests_name("virt-domcaps", tests, NULL, NULL);
}
