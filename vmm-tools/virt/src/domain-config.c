// SPDX-License-Identifier: MIT
/*
 * Defaults and checks of an SVSM domain configuration.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "domain-config.h"
#include "igvm/igvm-format.h"
#include "sev/snp-firmware.h"
#include "x86/cpuid-sev.h"

/* HOST_DATA of SNP_LAUNCH_FINISH, reported in the attestation report. */
#define SNP_HOST_DATA_LEN sizeof(((struct snp_attestation_report *)NULL)->host_data)
/* Largest blob we read: the ID auth structure is 4 KiB, base64 about 5.5 KiB. */
#define MAX_BLOB_FILE	  (64u << 10)

void svsm_config_defaults(struct svsm_domain_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = "svsm-guest";
	cfg->variant = SVSM_VARIANT_SNP_EMULATED;
	cfg->memory_mib = 512;
	cfg->vcpus = 1;
	cfg->machine = "q35";
	cfg->serial = SVSM_SERIAL_FILE;
	cfg->igvm_mode = SVSM_IGVM_AUTO;
	/* ABI 0.0, SMT allowed, must-be-one bit: the policy QEMU uses by default. */
	cfg->policy = snp_policy_make(0, 0, SNP_POLICY_SMT);
}

bool svsm_variant_is_snp(enum svsm_variant v)
{
	return v == SVSM_VARIANT_SNP_KVM || v == SVSM_VARIANT_SNP_EMULATED;
}

const char *svsm_variant_name(enum svsm_variant v)
{
	switch (v) {
	case SVSM_VARIANT_SNP_KVM:
		return "kvm";
	case SVSM_VARIANT_SNP_EMULATED:
		return "emulated";
	case SVSM_VARIANT_PLAIN:
		return "plain";
	}
	return "?";
}

bool svsm_variant_parse(const char *s, enum svsm_variant *out)
{
	static const enum svsm_variant all[] = {SVSM_VARIANT_SNP_KVM, SVSM_VARIANT_SNP_EMULATED,
						SVSM_VARIANT_PLAIN};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcmp(s, svsm_variant_name(all[i])) == 0) {
			*out = all[i];
			return true;
		}
	}
	return false;
}

bool svsm_policy_check(uint64_t policy, char *err, size_t errlen)
{
	if (!(policy & SNP_POLICY_RESERVED_MBO)) {
		snprintf(err, errlen,
			 "SNP policy 0x%" PRIx64 " has bit 17 clear: the SNP firmware ABI "
			 "(56860, section 4.3 Guest Policy) requires it to be one, e.g. 0x%" PRIx64,
			 policy, (uint64_t)(policy | SNP_POLICY_RESERVED_MBO));
		return false;
	}
	if (policy & SNP_POLICY_RESERVED_MASK) {
		snprintf(err, errlen,
			 "SNP policy 0x%" PRIx64 " sets reserved bits 0x%" PRIx64
			 " (bits 63:26 must be zero, SNP firmware ABI 56860 section 4.3)",
			 policy, (uint64_t)(policy & SNP_POLICY_RESERVED_MASK));
		return false;
	}
	return true;
}

long svsm_base64_decoded_len(const char *b64)
{
	size_t len = strlen(b64), pad = 0;

	if (len == 0 || len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)b64[i];
		if (ch == '=') {
			/* padding only in the last two positions */
			if (i < len - 2)
				return -1;
			pad++;
		} else if (pad > 0 || !(isalnum(ch) || ch == '+' || ch == '/')) {
			return -1;
		}
	}
	unsigned char *out = malloc(len / 4 * 3);
	if (out == NULL)
		return -1;
	int n = EVP_DecodeBlock(out, (const unsigned char *)b64, (int)len);
	free(out);
	if (n < 0)
		return -1;
	return n - (long)pad;
}

static bool fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

static bool regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Read a small text file and drop all whitespace (base64 files end in '\n'). */
static char *read_b64_file(const char *path, char *err, size_t errlen, const char *what)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		fail(err, errlen, "cannot read %s file %s: %s", what, path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(MAX_BLOB_FILE + 1);
	size_t n = buf ? fread(buf, 1, MAX_BLOB_FILE + 1, f) : 0;
	fclose(f);
	if (buf == NULL || n > MAX_BLOB_FILE) {
		free(buf);
		fail(err, errlen, "%s file %s is larger than %u bytes", what, path, MAX_BLOB_FILE);
		return NULL;
	}
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)buf[i]))
			buf[w++] = buf[i];
	buf[w] = '\0';
	return buf;
}

static bool check_blob(const char *path, size_t want, const char *what, char **out, char *err,
		       size_t errlen)
{
	char *b64 = read_b64_file(path, err, errlen, what);
	if (b64 == NULL)
		return false;
	long n = svsm_base64_decoded_len(b64);
	if (n < 0 || (size_t)n != want) {
		if (n < 0)
			fail(err, errlen,
			     "%s file %s is not base64 (write it with `igvmtool sign`)", what,
			     path);
		else
			fail(err, errlen,
			     "%s file %s decodes to %ld bytes, the SNP firmware ABI "
			     "structure is %zu bytes",
			     what, path, n, want);
		free(b64);
		return false;
	}
	*out = b64;
	return true;
}

static bool check_igvm(const char *path, char *err, size_t errlen)
{
	struct igvm_fixed_header hdr;

	if (path[0] != '/')
		return fail(err, errlen,
			    "IGVM file must be an absolute path (libvirt resolves "
			    "nothing relative): %s",
			    path);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return fail(err, errlen, "IGVM file %s: %s (build one with `igvmtool build`)", path,
			    strerror(errno));
	size_t n = fread(&hdr, 1, sizeof(hdr), f);
	fclose(f);
	if (n != sizeof(hdr) || hdr.magic != IGVM_MAGIC_VALUE)
		return fail(err, errlen, "%s is not an IGVM file (no \"IGVM\" magic)", path);
	return true;
}

static bool check_name(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64)
		return fail(err, errlen, "domain name must have 1 to 64 characters");
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (!(isalnum(ch) || ch == '-' || ch == '_' || ch == '.'))
			return fail(err, errlen,
				    "domain name '%s': use letters, digits, '-', '_', '.'", name);
	}
	return true;
}

static bool check_snp(const struct svsm_domain_config *cfg, struct svsm_blobs *blobs, char *err,
		      size_t errlen)
{
	if (!svsm_policy_check(cfg->policy, err, errlen))
		return false;
	/* CPUID Fn8000_001F_EBX: C-bit position [5:0], physical address reduction [11:6]. */
	if (cfg->have_cbitpos && cfg->cbitpos > CPUID_SEV_EBX_CBIT_MASK)
		return fail(err, errlen, "cbitpos %u does not fit CPUID 8000_001F EBX[5:0]",
			    cfg->cbitpos);
	if (cfg->have_reduced_phys_bits &&
	    cfg->reduced_phys_bits >
		    (CPUID_SEV_EBX_PHYS_REDUCTION_MASK >> CPUID_SEV_EBX_PHYS_REDUCTION_SHIFT))
		return fail(err, errlen,
			    "reduced-phys-bits %u does not fit CPUID 8000_001F "
			    "EBX[11:6]",
			    cfg->reduced_phys_bits);
	if ((cfg->id_block_file == NULL) != (cfg->id_auth_file == NULL))
		return fail(err, errlen,
			    "--id-block and --id-auth go together (both from "
			    "`igvmtool sign --id-block-out --id-auth-out`)");
	if (cfg->author_key && cfg->id_auth_file == NULL)
		return fail(err, errlen, "--author-key needs --id-auth signed with an author key");
	if (cfg->host_data != NULL) {
		long n = svsm_base64_decoded_len(cfg->host_data);
		if (n != (long)SNP_HOST_DATA_LEN)
			return fail(err, errlen,
				    "host data must be base64 of exactly %zu bytes "
				    "(SNP_LAUNCH_FINISH HOST_DATA), got %s",
				    SNP_HOST_DATA_LEN, n < 0 ? "invalid base64" : "another length");
	}
	if (cfg->id_block_file != NULL &&
	    (!check_blob(cfg->id_block_file, sizeof(struct snp_id_block), "ID block",
			 &blobs->id_block_b64, err, errlen) ||
	     !check_blob(cfg->id_auth_file, sizeof(struct snp_id_auth_info), "ID auth",
			 &blobs->id_auth_b64, err, errlen)))
		return false;
	return true;
}

bool svsm_config_check(const struct svsm_domain_config *cfg, struct svsm_blobs *blobs, char *err,
		       size_t errlen)
{
	memset(blobs, 0, sizeof(*blobs));
	if (!check_name(cfg->name, err, errlen))
		return false;
	if (cfg->memory_mib < 16 || cfg->memory_mib > (1ul << 22))
		return fail(err, errlen, "memory %lu MiB out of range (16 MiB to 4 TiB)",
			    cfg->memory_mib);
	if (cfg->vcpus < 1 || cfg->vcpus > 255)
		return fail(err, errlen, "vcpus %u out of range (1 to 255)", cfg->vcpus);
	if (cfg->emulator == NULL || cfg->emulator[0] != '/')
		return fail(err, errlen,
			    "emulator must be an absolute path (our QEMU: "
			    "build/qemu/qemu-system-x86_64 from `make qemu`)");
	if (!regular_file(cfg->emulator) || access(cfg->emulator, X_OK) != 0)
		return fail(err, errlen,
			    "emulator %s: no such executable (our QEMU is "
			    "build/qemu/qemu-system-x86_64, built by `make qemu`)",
			    cfg->emulator);
	if (cfg->serial == SVSM_SERIAL_FILE &&
	    (cfg->serial_log == NULL || cfg->serial_log[0] != '/'))
		return fail(err, errlen, "serial log must be an absolute path (--serial-log)");
	if (cfg->disk != NULL && (cfg->disk[0] != '/' || !regular_file(cfg->disk)))
		return fail(err, errlen, "disk %s: no such file (absolute path needed)", cfg->disk);
	if (cfg->kernel != NULL && cfg->igvm != NULL)
		return fail(err, errlen, "give either --igvm or --kernel, not both");

	if (svsm_variant_is_snp(cfg->variant)) {
		if (cfg->kernel != NULL)
			return fail(err, errlen,
				    "the SNP variants boot from an IGVM file; "
				    "--kernel is for --variant plain");
		if (cfg->igvm == NULL)
			return fail(err, errlen, "variant %s needs --igvm FILE",
				    svsm_variant_name(cfg->variant));
		if (!check_igvm(cfg->igvm, err, errlen) || !check_snp(cfg, blobs, err, errlen)) {
			svsm_blobs_free(blobs);
			return false;
		}
		return true;
	}
	if (cfg->snp_options_given)
		return fail(err, errlen,
			    "SEV-SNP options (policy, cbitpos, ID block, host data) "
			    "need --variant kvm or emulated");
	if (cfg->igvm != NULL && !check_igvm(cfg->igvm, err, errlen))
		return false;
	if (cfg->kernel != NULL && (cfg->kernel[0] != '/' || !regular_file(cfg->kernel)))
		return fail(err, errlen, "kernel %s: no such file (absolute path needed)",
			    cfg->kernel);
	return true;
}

void svsm_blobs_free(struct svsm_blobs *blobs)
{
	free(blobs->id_block_b64);
	free(blobs->id_auth_b64);
	blobs->id_block_b64 = blobs->id_auth_b64 = NULL;
}
