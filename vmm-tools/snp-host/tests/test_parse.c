// SPDX-License-Identifier: MIT
/* Unit tests for the snp-host parsers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

static const char iomem[] = "00000000-00000fff : Reserved\n"
			    "00001000-0009ffff : System RAM\n"
			    "00100000-9fffffff : System RAM\n"
			    "  01000000-01ffffff : Kernel code\n"
			    "a0000000-a0ffffff : Reserved\n"
			    "a1000000-a41fffff : Reserved\n"
			    "a4200000-bfffffff : System RAM\n";

static void iomem_covered_by_one_or_adjacent_ranges(void **state)
{
	(void)state;
	assert_int_equal(iomem_check_range(iomem, 0xa0000000, 0xa0ffffff, "Reserved"),
			 IOMEM_COVERED);
	/* spans two adjacent Reserved ranges */
	assert_int_equal(iomem_check_range(iomem, 0xa0000000, 0xa41fffff, "Reserved"),
			 IOMEM_COVERED);
}

static void iomem_not_covered(void **state)
{
	(void)state;
	/* runs into System RAM */
	assert_int_equal(iomem_check_range(iomem, 0xa0000000, 0xa42fffff, "Reserved"),
			 IOMEM_NOT_COVERED);
	/* inside System RAM */
	assert_int_equal(iomem_check_range(iomem, 0x10000000, 0x10ffffff, "Reserved"),
			 IOMEM_NOT_COVERED);
	/* nested (indented) entries do not count */
	assert_int_equal(iomem_check_range(iomem, 0x01000000, 0x01ffffff, "Kernel code"),
			 IOMEM_NOT_COVERED);
}

static void iomem_hidden_and_garbage(void **state)
{
	(void)state;
	const char *hidden = "00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n";
	assert_int_equal(iomem_check_range(hidden, 0xa0000000, 0xa0ffffff, "Reserved"),
			 IOMEM_HIDDEN);
	assert_int_equal(iomem_check_range("hello world\n", 1, 2, "Reserved"), IOMEM_GARBAGE);
	assert_int_equal(iomem_check_range("", 1, 2, "Reserved"), IOMEM_GARBAGE);
	assert_int_equal(iomem_check_range("00000000-zz : x\n", 1, 2, "x"), IOMEM_GARBAGE);
}

static void kconfig_values(void **state)
{
	(void)state;
	const char *cfg = "# comment\nCONFIG_KVM_AMD=m\nCONFIG_KVM_AMD_SEV=y\n"
			  "# CONFIG_KVM_INTEL is not set\nCONFIG_LOCALVERSION=\"-x\"\n";
	assert_int_equal(kconfig_value(cfg, "CONFIG_KVM_AMD"), 'm');
	assert_int_equal(kconfig_value(cfg, "CONFIG_KVM_AMD_SEV"), 'y');
	assert_int_equal(kconfig_value(cfg, "CONFIG_KVM_INTEL"), 'n');
	assert_int_equal(kconfig_value(cfg, "CONFIG_AMD_IOMMU"), 'n');
	assert_int_equal(kconfig_value(cfg, "CONFIG_LOCALVERSION"), 's');
	/* a prefix of another option is not that option */
	assert_int_equal(kconfig_value("CONFIG_KVM_AMD_SEV=y\n", "CONFIG_KVM_AMD"), 'n');
	assert_int_equal(kconfig_value("this is not a config\n", "CONFIG_KVM_AMD"), '?');
}

static void kernel_release(void **state)
{
	(void)state;
	unsigned a, b, c;
	assert_true(parse_kernel_release("6.12.57+deb13-amd64", &a, &b, &c));
	assert_int_equal(a, 6);
	assert_int_equal(b, 12);
	assert_int_equal(c, 57);
	assert_true(parse_kernel_release("6.18-rc3", &a, &b, &c));
	assert_int_equal(b, 18);
	assert_int_equal(c, 0);
	assert_false(parse_kernel_release("linux", &a, &b, &c));
	assert_false(parse_kernel_release("6", &a, &b, &c));
	assert_false(parse_kernel_release("6.x", &a, &b, &c));
}

static void bool_params(void **state)
{
	(void)state;
	assert_int_equal(parse_bool_param("Y\n"), 1);
	assert_int_equal(parse_bool_param("1\n"), 1);
	assert_int_equal(parse_bool_param("N\n"), 0);
	assert_int_equal(parse_bool_param("0"), 0);
	assert_int_equal(parse_bool_param("maybe\n"), -1);
	assert_int_equal(parse_bool_param(""), -1);
}

static void qemu_version(void **state)
{
	(void)state;
	unsigned a, b, c;
	assert_true(parse_qemu_version("QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2)\n"
				       "Copyright (c) 2003-2025\n",
				       &a, &b, &c));
	assert_int_equal(a, 10);
	assert_int_equal(b, 0);
	assert_int_equal(c, 2);
	assert_true(parse_qemu_version("QEMU emulator version 9.1.50\n", &a, &b, &c));
	assert_int_equal(c, 50);
	assert_false(parse_qemu_version("qemu: command not found\n", &a, &b, &c));
	assert_false(parse_qemu_version("QEMU emulator version banana\n", &a, &b, &c));
}

static void qemu_objects(void **state)
{
	(void)state;
	const char *help = "List of user creatable objects:\n  igvm-cfg\n  sev-snp-guest\n";
	assert_true(qemu_lists_object(help, "sev-snp-guest"));
	assert_true(qemu_lists_object(help, "igvm-cfg"));
	assert_false(qemu_lists_object(help, "sev-guest")); /* not a substring match */
	assert_false(qemu_lists_object("", "igvm-cfg"));
}

static void dotted_version(void **state)
{
	(void)state;
	unsigned a, b, c;
	assert_true(parse_dotted_version("11.3.0\n", &a, &b, &c));
	assert_int_equal(a, 11);
	assert_int_equal(b, 3);
	assert_false(parse_dotted_version("error: failed to connect\n", &a, &b, &c));
}

static void domcaps(void **state)
{
	(void)state;
	const char *snp = "<domainCapabilities><features><sev supported='yes'/>"
			  "<launchSecurity supported='yes'><enum name='sectype'>"
			  "<value>sev</value><value> sev-snp </value></enum></launchSecurity>"
			  "</features></domainCapabilities>";
	const char *sev_only = "<domainCapabilities><features><sev supported='yes'/>"
			       "<launchSecurity supported='yes'><enum name='sectype'>"
			       "<value>sev</value></enum></launchSecurity>"
			       "</features></domainCapabilities>";
	const char *unsupported = "<domainCapabilities><features><sev supported='no'/>"
				  "<launchSecurity supported='no'><enum name='sectype'>"
				  "<value>sev-snp</value></enum></launchSecurity>"
				  "</features></domainCapabilities>";
	bool sev, s;
	assert_true(domcaps_parse(snp, strlen(snp), &sev, &s));
	assert_true(sev);
	assert_true(s);
	assert_true(domcaps_parse(sev_only, strlen(sev_only), &sev, &s));
	assert_true(sev);
	assert_false(s);
	assert_true(domcaps_parse(unsupported, strlen(unsupported), &sev, &s));
	assert_false(sev);
	assert_false(s);
	assert_false(domcaps_parse("<domainCapabilities>", 20, &sev, &s));
	assert_false(domcaps_parse("<capabilities/>", 15, &sev, &s));
	assert_false(domcaps_parse("not xml", 7, &sev, &s));
}

static void versions(void **state)
{
	(void)state;
	assert_true(version_cmp(1, 55, 1, 51) > 0);
	assert_true(version_cmp(1, 49, 1, 51) < 0);
	assert_true(version_cmp(2, 0, 1, 99) > 0);
	assert_int_equal(version_cmp(1, 51, 1, 51), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iomem_covered_by_one_or_adjacent_ranges),
		cmocka_unit_test(iomem_not_covered),
		cmocka_unit_test(iomem_hidden_and_garbage),
		cmocka_unit_test(kconfig_values),
		cmocka_unit_test(kernel_release),
		cmocka_unit_test(bool_params),
		cmocka_unit_test(qemu_version),
		cmocka_unit_test(qemu_objects),
		cmocka_unit_test(dotted_version),
		cmocka_unit_test(domcaps),
		cmocka_unit_test(versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
