/* SPDX-License-Identifier: MIT */
/*
 * What an SVSM guest domain is made of, and the checks a configuration must
 * pass before anything is sent to libvirt (so that bad input changes no state).
 */
#ifndef SVSM_VIRT_DOMAIN_CONFIG_H
#define SVSM_VIRT_DOMAIN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum svsm_variant {
	SVSM_VARIANT_SNP_KVM,	   /* real SEV-SNP host: <domain type='kvm'> */
	SVSM_VARIANT_SNP_EMULATED, /* emulated SNP platform under TCG: type='qemu' */
	SVSM_VARIANT_PLAIN,	   /* no launch security, TCG (native-platform SVSM) */
};

enum svsm_serial { SVSM_SERIAL_FILE, SVSM_SERIAL_PTY };

/* How the IGVM file reaches QEMU. */
enum svsm_igvm_mode {
	SVSM_IGVM_AUTO,	       /* native element if the installed schema has one */
	SVSM_IGVM_COMMANDLINE, /* <qemu:commandline>: -object igvm-cfg + -machine igvm-cfg= */
	SVSM_IGVM_NATIVE,      /* the schema's own element (refused when it has none) */
};

struct svsm_domain_config {
	const char *name;
	const char *emulator;	/* absolute path of qemu-system-x86_64 */
	const char *machine;	/* QEMU machine type, e.g. "q35" */
	const char *igvm;	/* IGVM file (required for the SNP variants) */
	const char *kernel;	/* plain variant: multiboot/Linux kernel instead of IGVM */
	const char *disk;	/* optional raw/qcow2 disk image */
	const char *serial_log; /* SVSM_SERIAL_FILE: absolute path */
	unsigned long memory_mib;
	unsigned int vcpus;
	enum svsm_variant variant;
	enum svsm_serial serial;
	enum svsm_igvm_mode igvm_mode;

	/* SEV-SNP launch parameters (SNP variants only). */
	uint64_t policy;
	const char *id_block_file; /* base64 files written by `igvmtool sign` */
	const char *id_auth_file;
	const char *host_data; /* base64 of the 32-byte HOST_DATA */
	unsigned int cbitpos, reduced_phys_bits;
	bool have_cbitpos, have_reduced_phys_bits; /* else libvirt fills them from the host */
	bool author_key;			   /* ID auth carries an author key signature */
	bool snp_options_given;			   /* any of the above set explicitly */
};

/* Loaded contents of the blob files (whitespace stripped), owned by the caller. */
struct svsm_blobs {
	char *id_block_b64;
	char *id_auth_b64;
};

void svsm_config_defaults(struct svsm_domain_config *cfg);
bool svsm_variant_is_snp(enum svsm_variant v);
const char *svsm_variant_name(enum svsm_variant v);
bool svsm_variant_parse(const char *s, enum svsm_variant *out);

/* Check a configuration and load its blob files. On failure returns false with
 * a message for a person in err; blobs is then empty. */
bool svsm_config_check(const struct svsm_domain_config *cfg, struct svsm_blobs *blobs, char *err,
		       size_t errlen);
void svsm_blobs_free(struct svsm_blobs *blobs);

/* Policy rules of the SNP firmware ABI (56860 section 4.3, Table 9): bit 17
 * must be one, bits 63:26 must be zero. false with a reason otherwise. */
bool svsm_policy_check(uint64_t policy, char *err, size_t errlen);

/* Number of bytes a base64 string decodes to, or -1 when it is not base64. */
long svsm_base64_decoded_len(const char *b64);

#endif
