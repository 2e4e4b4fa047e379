/* SPDX-License-Identifier: MIT */
/* The host checks, grouped by layer; each appends results to a check_list. */
#ifndef SNP_HOST_CHECKS_H
#define SNP_HOST_CHECKS_H

#include "check.h"
#include "provider.h"

struct check_options {
	const char *qemu;	 /* QEMU binary to probe */
	const char *virsh;	 /* virsh binary */
	const char *libvirt_uri; /* connection for domain capabilities */
	long kvm_vmpl_cap;	 /* KVM capability number of our VMPL support, 0 = unknown */
};

/* Facts found by earlier checks that later ones build on. */
struct host_facts {
	bool cpuid_ok;
	bool is_amd;
	bool hypervisor;
	unsigned family, model, stepping;
	bool sev_leaf; /* CPUID 0x8000001F present */
	uint32_t sev_eax, sev_ebx, sev_ecx, sev_edx;
	bool snp_cpu; /* CPU reports SEV-SNP */
	bool rmp_known;
	uint64_t rmp_base, rmp_end;
	bool snp_status_ok;
	struct snp_status_info snp;
};

void checks_cpu(struct provider *p, struct host_facts *f, struct check_list *l);
void checks_firmware(struct provider *p, struct host_facts *f, struct check_list *l);
void checks_kernel(struct provider *p, struct host_facts *f, const struct check_options *o,
		   struct check_list *l);
void checks_userspace(struct provider *p, const struct check_options *o, struct check_list *l);
void checks_memory(struct provider *p, struct check_list *l);

/* Run every group in order. */
void checks_run_all(struct provider *p, const struct check_options *o, struct host_facts *f,
		    struct check_list *l);

#endif
