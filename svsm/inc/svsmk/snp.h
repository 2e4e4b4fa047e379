/* SPDX-License-Identifier: MIT */
/*
 * SEV-SNP platform: the pure decision logic (unit-tested on the host with fake instruction
 * and GHCB back ends) and the entry points the platform code provides.
 */
#ifndef SVSMK_SNP_H
#define SVSMK_SNP_H

#include <sev/cpuid-page.h>
#include <sev/psc.h>
#include <sev/vmsa.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "svsmk/memmap.h"

/* ---- Environment check (snp_env.c) ---- */
enum snp_env {
	SNP_ENV_NATIVE,	  /* no SEV at all: run the native platform */
	SNP_ENV_OK,	  /* SNP active and we are at VMPL0 */
	SNP_ENV_NOT_SNP,  /* SEV or SEV-ES without SNP: refuse */
	SNP_ENV_NOT_VMPL0 /* SNP, but RMPADJUST of a VMPL1 permission failed */
};
/* sev_status: MSR value (0 if the MSR faulted); rmpadjust_eax: the VMPL0 probe's result. */
enum snp_env snp_classify(uint64_t sev_status, bool msr_ok, uint32_t rmpadjust_eax);
const char *snp_env_message(enum snp_env e);

/* ---- #VC decode (vc_decode.c) ---- */
enum vc_action { VC_CPUID, VC_IOIO, VC_RDMSR, VC_WRMSR, VC_RDTSC, VC_RDTSCP, VC_UNSUPPORTED };
struct vc_op {
	enum vc_action action;
	unsigned int insn_len;
	uint64_t ioio_info; /* SW_EXITINFO1 for IOIO (APM vol. 2, 15.10.2) */
	unsigned int io_size;
};
/* Decode the #VC error code (= exit code) and the faulting instruction bytes. */
int vc_decode(uint64_t exit_code, const uint8_t *insn, size_t len, struct vc_op *op);

/* ---- SNP CPUID page lookup (cpuid_page.c) ---- */
struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};
/* 0 and the entry, -ENOENT if the leaf is absent, -EINVAL for a corrupt table. */
int snp_cpuid_lookup(const struct snp_cpuid_table *t, uint32_t leaf, uint32_t subleaf,
		     struct cpuid_result *out);

/* ---- Validation bitmap over all guest memory (valid_bitmap.c) ---- */
struct vbitmap {
	uint64_t *bits;
	uint64_t npages; /* pages covered from GPA 0 */
};
int vbitmap_set(struct vbitmap *b, uint64_t gpa, uint64_t npages, bool valid);
/* 1 all valid, 0 none valid, -1 mixed or out of range. */
int vbitmap_state(const struct vbitmap *b, uint64_t gpa, uint64_t npages);

/* ---- PVALIDATE of a range with the 2 MiB -> 4 KiB fallback (pvalidate_range.c) ---- */
struct pv_ops {
	void *ctx;
	/* EAX; *unchanged = CF. */
	uint32_t (*pvalidate)(void *ctx, uint64_t gpa, unsigned int size, int validate,
			      int *unchanged);
};
struct pv_stats {
	uint64_t ops_2m, ops_4k, fallbacks, unchanged;
};
/* Validate/rescind [gpa, gpa + npages*4K): 2 MiB where aligned, 4 KiB where the RMP entry
 * is 4 KiB (FAIL_SIZEMISMATCH). Returns 0, or the failing EAX as a negative number. */
int pvalidate_range(const struct pv_ops *ops, struct vbitmap *vb, uint64_t gpa, uint64_t npages,
		    int validate, struct pv_stats *st);

/* ---- Page State Change batching (psc_batch.c) ---- */
/* Fill d with entries for [gpa, gpa+npages*4K) (2 MiB entries where aligned); returns the
 * number of 4 KiB pages covered (at most SNP_PSC_MAX_ENTRIES entries). */
uint64_t psc_fill(struct snp_psc_desc *d, uint64_t gpa, uint64_t npages, unsigned int op);
/* After the hypervisor answered: 0 if every entry was processed, -EIO if not. */
int psc_check_done(const struct snp_psc_desc *d);

/* ---- VMSAs (vmsa_build.c) ---- */
/* The lower-VMPL guest's BSP: the IGVM guest context (or the reset state if ctx is NULL). */
void vmsa_build_guest(struct sev_vmsa *v, const struct sev_vmsa *ctx, uint8_t vmpl,
		      uint64_t sev_features);
/* A guest start context in 32-bit flat protected mode (include/svsm/guest-launch.h), to be
 * passed to vmsa_build_guest as ctx. */
struct guest_start32 {
	uint32_t entry;
	uint32_t rax, rbx, rcx, rdx, rsi, rdi;
};
void vmsa_guest_ctx32(struct sev_vmsa *v, const struct guest_start32 *st);
/* An SVSM AP at VMPL0, started in 64-bit mode with the BSP's control state. */
struct cpu_start_state;
struct svsm_ap_ctl {
	uint64_t cr0, cr4, efer, pat, xcr0, sev_features;
	uint64_t gdt_base, idt_base;
	uint16_t gdt_limit, idt_limit, cs, ds;
};
void vmsa_build_svsm_ap(struct sev_vmsa *v, const struct cpu_start_state *st,
			const struct svsm_ap_ctl *ctl);

/* ---- Guest permission ranges (perm_ranges.c) ---- */
struct perm_range {
	uint64_t gpa, len;
	unsigned int size; /* RMP_PG_SIZE_4K / _2M */
};
/* RAM from map minus the excluded ranges, cut into RMPADJUST-sized pieces (2 MiB where
 * aligned). Returns the count written, or -ENOSPC if out is too small. */
int perm_ranges(const struct memmap *map, const struct perm_range *excl, size_t nexcl,
		struct perm_range *out, size_t max);

#endif /* SVSMK_SNP_H */
