// SPDX-License-Identifier: MIT
/*
 * svsm-virt configuration checks: SNP policy rules (SNP firmware ABI 56860
 * section 4.3), blob sizes (ID block 0x60, ID auth 0x1000, HOST_DATA 32
 * bytes), file checks. Expected values are worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "domain-config.h"

static char dir[] = "/tmp/svsm-virt-test-XXXXXX";
static char igvm[256], notigvm[256], idblock[256], idauth[256], badb64[256], shortblock[256];

/* n copies of 'A' followed by tail: base64 of zero bytes. */
static void write_b64(const char *path, size_t n, const char *tail)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('A', f);
	fprintf(f, "%s\n", tail);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(igvm, sizeof(igvm), "%s/guest.igvm", dir);
	snprintf(notigvm, sizeof(notigvm), "%s/guest.bin", dir);
	snprintf(idblock, sizeof(idblock), "%s/id-block.b64", dir);
	snprintf(idauth, sizeof(idauth), "%s/id-auth.b64", dir);
	snprintf(badb64, sizeof(badb64), "%s/bad.b64", dir);
	snprintf(shortblock, sizeof(shortblock), "%s/short.b64", dir);
	FILE *f = fopen(igvm, "wb");
	fwrite("IGVM\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 1, 24, f);
	fclose(f);
	f = fopen(notigvm, "wb");
	fwrite("\x7f"
	       "ELF\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
	       1, 24, f);
	fclose(f);
	write_b64(idblock, 128, "");	 /* 96 bytes = 32 groups of 4 characters */
	write_b64(idauth, 5460, "AA=="); /* 4096 = 1365 * 3 + 1 */
	write_b64(shortblock, 124, "");	 /* 93 bytes */
	f = fopen(badb64, "w");
	fputs("this is not base64!\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	const char *files[] = {igvm, notigvm, idblock, idauth, badb64, shortblock};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir(dir);
	return 0;
}

static void snp_config(struct svsm_domain_config *cfg)
{
	svsm_config_defaults(cfg);
	cfg->variant = SVSM_VARIANT_SNP_EMULATED;
	cfg->emulator = "/bin/true";
	cfg->igvm = igvm;
	cfg->serial_log = "/tmp/serial.log";
}

/* Check cfg fails with a message containing want; no blobs left allocated. */
static void refused(const struct svsm_domain_config *cfg, const char *want)
{
	struct svsm_blobs blobs;
	char err[1024] = "";

	assert_false(svsm_config_check(cfg, &blobs, err, sizeof(err)));
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not mention '%s'", err, want);
	assert_null(blobs.id_block_b64);
	assert_null(blobs.id_auth_b64);
}

static void test_default_policy(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	char err[256];

	svsm_config_defaults(&cfg);
	/* SMT (bit 16) + must-be-one (bit 17), ABI 0.0 */
	assert_true(cfg.policy == 0x30000);
	assert_true(svsm_policy_check(cfg.policy, err, sizeof(err)));
}

static void test_policy_rules(void **state)
{
	(void)state;
	char err[256];

	assert_true(svsm_policy_check(0x20000, err, sizeof(err)));
	assert_true(svsm_policy_check(0xa0000, err, sizeof(err)));	      /* + DEBUG (bit 19) */
	assert_true(svsm_policy_check(0x3ff0000 | 0x0155, err, sizeof(err))); /* bits 25:16, ABI */
	assert_false(svsm_policy_check(0x10000, err, sizeof(err)));
	assert_non_null(strstr(err, "bit 17"));
	assert_false(svsm_policy_check(0, err, sizeof(err)));
	assert_false(svsm_policy_check(0x4030000, err, sizeof(err))); /* bit 26 */
	assert_non_null(strstr(err, "0x4000000"));
	assert_false(svsm_policy_check(0x8000000000030000ull, err, sizeof(err))); /* bit 63 */
	assert_non_null(strstr(err, "reserved"));
}

static void test_base64_length(void **state)
{
	(void)state;
	assert_int_equal(svsm_base64_decoded_len("AAAA"), 3);
	assert_int_equal(svsm_base64_decoded_len("AAA="), 2);
	assert_int_equal(svsm_base64_decoded_len("AA=="), 1);
	assert_int_equal(svsm_base64_decoded_len("aGVsbG8gd29ybGQ="), 11); /* "hello world" */
	assert_int_equal(svsm_base64_decoded_len(""), -1);
	assert_int_equal(svsm_base64_decoded_len("AAA"), -1);
	assert_int_equal(svsm_base64_decoded_len("A==="), -1);
	assert_int_equal(svsm_base64_decoded_len("AA=A"), -1);
	assert_int_equal(svsm_base64_decoded_len("=AAA"), -1);
	assert_int_equal(svsm_base64_decoded_len("AB$C"), -1);
}

static void test_good_snp_config(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	struct svsm_blobs blobs;
	char err[1024] = "";

	snp_config(&cfg);
	cfg.id_block_file = idblock;
	cfg.id_auth_file = idauth;
	cfg.host_data = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; /* 32 bytes */
	cfg.have_cbitpos = true;
	cfg.cbitpos = 51;
	assert_true(svsm_config_check(&cfg, &blobs, err, sizeof(err)));
	/* The files' contents, without the trailing newline. */
	assert_int_equal(strlen(blobs.id_block_b64), 128);
	assert_int_equal(strlen(blobs.id_auth_b64), 5464);
	assert_string_equal(blobs.id_auth_b64 + 5460, "AA==");
	svsm_blobs_free(&blobs);
	assert_null(blobs.id_block_b64);
}

static void test_missing_or_bad_igvm(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	snp_config(&cfg);
	cfg.igvm = NULL;
	refused(&cfg, "--igvm");
	cfg.igvm = "/nonexistent/guest.igvm";
	refused(&cfg, "No such file");
	cfg.igvm = notigvm;
	refused(&cfg, "not an IGVM file");
	cfg.igvm = "guest.igvm";
	refused(&cfg, "absolute path");
}

static void test_unknown_emulator(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	snp_config(&cfg);
	cfg.emulator = "/nonexistent/qemu-system-x86_64";
	refused(&cfg, "no such executable");
	cfg.emulator = igvm; /* exists, not executable */
	refused(&cfg, "no such executable");
	cfg.emulator = NULL;
	refused(&cfg, "absolute path");
}

static void test_bad_policy_refused(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	snp_config(&cfg);
	cfg.policy = 0x10000;
	refused(&cfg, "bit 17");
	cfg.policy = 0x30000 | (1ull << 40);
	refused(&cfg, "reserved bits");
}

static void test_blob_rules(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;

	snp_config(&cfg);
	cfg.id_block_file = idblock;
	refused(&cfg, "go together");
	cfg.id_auth_file = idauth;
	cfg.id_block_file = shortblock;
	refused(&cfg, "decodes to 93 bytes");
	cfg.id_block_file = badb64;
	refused(&cfg, "not base64");
	cfg.id_block_file = idauth; /* 4096 bytes where 96 belong */
	refused(&cfg, "is 96 bytes");
	cfg.id_block_file = idblock;
	cfg.id_auth_file = idblock; /* 96 where 4096 belong */
	refused(&cfg, "is 4096 bytes");
	cfg.id_block_file = cfg.id_auth_file = NULL;
	cfg.author_key = true;
	refused(&cfg, "--author-key");
	cfg.author_key = false;
	cfg.host_data = "AAAA";
	refused(&cfg, "exactly 32 bytes");
	cfg.host_data = "not base64";
	refused(&cfg, "invalid base64");
}

static void test_cpuid_field_limits(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	struct svsm_blobs blobs;
	char err[512];

	snp_config(&cfg);
	cfg.have_cbitpos = true;
	cfg.cbitpos = 63; /* largest 6-bit value */
	assert_true(svsm_config_check(&cfg, &blobs, err, sizeof(err)));
	cfg.cbitpos = 64;
	refused(&cfg, "EBX[5:0]");
	cfg.cbitpos = 51;
	cfg.have_reduced_phys_bits = true;
	cfg.reduced_phys_bits = 64;
	refused(&cfg, "EBX[11:6]");
}

static void test_variant_rules(void **state)
{
	(void)state;
	struct svsm_domain_config cfg;
	struct svsm_blobs blobs;
	char err[512];

	snp_config(&cfg);
	cfg.kernel = "/bin/true";
	refused(&cfg, "not both");
	cfg.igvm = NULL;
	refused(&cfg, "--variant plain");

	svsm_config_defaults(&cfg);
	cfg.variant = SVSM_VARIANT_PLAIN;
	cfg.emulator = "/bin/true";
	cfg.serial_log = "/tmp/x.log";
	cfg.kernel = "/bin/true";
	assert_true(svsm_config_check(&cfg, &blobs, err, sizeof(err)));
	cfg.snp_options_given = true;
	refused(&cfg, "need --variant kvm or emulated");
	cfg.snp_options_given = false;
	cfg.kernel = "/nonexistent/kernel";
	refused(&cfg, "kernel");
	cfg.kernel = NULL;
	cfg.name = "bad name";
	refused(&cfg, "domain name");
	cfg.name = "ok";
	cfg.vcpus = 0;
	refused(&cfg, "vcpus");
	cfg.vcpus = 1;
	cfg.memory_mib = 1;
	refused(&cfg, "memory");
	cfg.memory_mib = 64;
	cfg.serial_log = "relative.log";
	refused(&cfg, "serial log");
}

static void test_variant_names(void **state)
{
	(void)state;
	enum svsm_variant v;

	assert_true(svsm_variant_parse("kvm", &v));
	assert_int_equal(v, SVSM_VARIANT_SNP_KVM);
	assert_true(svsm_variant_parse("emulated", &v));
	assert_int_equal(v, SVSM_VARIANT_SNP_EMULATED);
	assert_true(svsm_variant_parse("plain", &v));
	assert_int_equal(v, SVSM_VARIANT_PLAIN);
	assert_false(svsm_variant_parse("tdx", &v));
	assert_true(svsm_variant_is_snp(SVSM_VARIANT_SNP_KVM));
	assert_false(svsm_variant_is_snp(SVSM_VARIANT_PLAIN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_policy),	    cmocka_unit_test(test_policy_rules),
		cmocka_unit_test(test_base64_length),	    cmocka_unit_test(test_good_snp_config),
		cmocka_unit_test(test_missing_or_bad_igvm), cmocka_unit_test(test_unknown_emulator),
		cmocka_unit_test(test_bad_policy_refused),  cmocka_unit_test(test_blob_rules),
		cmocka_unit_test(test_cpuid_field_limits),  cmocka_unit_test(test_variant_rules),
		cmocka_unit_test(test_variant_names),
	};
	return cmocka_run_group_tests_name("virt-config", tests, setup, teardown);
}
