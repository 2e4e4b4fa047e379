/* SPDX-License-Identifier: MIT */
/*
 * SVSM core protocol (SVSM spec 58019, "Core Protocol"): request dispatch and the eight
 * core calls. Pure logic: every effect on the machine (guest memory, PVALIDATE, RMPADJUST,
 * VMSA run state, AP creation) goes through struct core_backend, so the same code runs on
 * SNP hardware, on the native platform against a fake RMP, and in host unit tests.
 * Lock discipline: docs/svsm-protocol.md.
 */
#ifndef SVSMK_SVSM_CORE_H
#define SVSMK_SVSM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "svsmk/rwlock.h"

#define CORE_MAX_VCPUS	  64
#define CORE_MAX_DEPOSITS 128
/* Guest-physical addresses are at most 52 bits (APM vol. 2, 5.3.3 maximum physical width). */
#define CORE_GPA_LIMIT	  (1ull << 52)

struct core_backend {
	void *ctx;
	/* Guest memory; 0 or -EFAULT. Never called on SVSM memory (checked before). */
	int (*read_guest)(void *ctx, uint64_t gpa, void *buf, size_t n);
	int (*write_guest)(void *ctx, uint64_t gpa, const void *buf, size_t n);
	int (*zero_guest)(void *ctx, uint64_t gpa, uint64_t len);
	/* PVALIDATE / RMPADJUST at VMPL0: EAX (sev/rmp-instr.h); *unchanged = CF. */
	uint32_t (*pvalidate)(void *ctx, uint64_t gpa, unsigned int size, int validate,
			      int *unchanged);
	uint32_t (*rmpadjust)(void *ctx, uint64_t gpa, unsigned int size, uint64_t attrs);
	/* Make a VMSA (non-)runnable (EFER.SVME); -EBUSY if it is running right now. */
	int (*set_vmsa_runnable)(void *ctx, uint64_t vmsa_gpa, int runnable);
	/* AP Creation NAE: create / destroy a vCPU from a VMSA at vmpl. */
	int (*start_vcpu)(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl,
			  uint64_t sev_features);
	int (*stop_vcpu)(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl);
	/* Memory map: is [gpa, gpa+len) guest RAM; does it touch memory the SVSM owns. */
	bool (*is_guest_ram)(void *ctx, uint64_t gpa, uint64_t len);
	bool (*is_svsm_memory)(void *ctx, uint64_t gpa, uint64_t len);
};

struct core_vcpu {
	uint64_t vmsa_gpa;
	uint64_t ca_gpa;
	uint32_t apic_id;
	uint8_t vmpl;
	uint8_t in_use;
	uint8_t startup; /* the boot vCPU: never deleted */
	uint32_t seq;	 /* creation order: the newest VMSA of an APIC ID is the one run */
};

/* Memory the guest deposited: SVSM-private until withdrawn (unused by the SVSM today). */
struct core_deposit {
	uint64_t gpa;
	uint32_t size;	   /* SVSM_PVALIDATE_SIZE_4K / _2M */
	uint32_t reported; /* 4 KiB pages already handed back by WITHDRAW_MEM */
	uint8_t granted;   /* RMPADJUST back to the guest already done */
};

struct svsm_core {
	struct rwlock lock; /* see docs/svsm-protocol.md */
	const struct core_backend *be;
	uint64_t startup_sev_features;
	struct core_vcpu vcpu[CORE_MAX_VCPUS];
	uint32_t vcpu_seq; /* last core_vcpu.seq handed out */
	struct core_deposit dep[CORE_MAX_DEPOSITS];
	uint32_t ndep;
};

/* Registers of a call (SVSM spec "Calling Convention"): in and out. */
struct svsm_call_regs {
	uint64_t rax, rcx, rdx, r8, r9;
};

enum core_outcome {
	CORE_CALL_DONE,	     /* RAX holds the result; call_pending was cleared */
	CORE_CALL_SPURIOUS,  /* call_pending was 0: not a guest request, nothing done */
	CORE_CALL_NO_RETURN, /* the caller deleted its own vCPU */
};

void svsm_core_init(struct svsm_core *c, const struct core_backend *be, uint64_t sev_features);
/* Register the boot vCPU (its VMSA was built by the SVSM); returns its index or -errno. */
int svsm_core_add_startup_vcpu(struct svsm_core *c, uint32_t apic_id, uint64_t vmsa_gpa,
			       uint64_t ca_gpa, uint8_t vmpl);
/* Handle one request from vCPU index idx. */
enum core_outcome svsm_core_handle(struct svsm_core *c, unsigned int idx, struct svsm_call_regs *r);
int svsm_core_find_vcpu(struct svsm_core *c, uint32_t apic_id);

/* Individual calls (exposed for unit tests); return the SVSM result code. */
uint32_t core_remap_ca(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r);
uint32_t core_pvalidate(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r);
uint32_t core_create_vcpu(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r);
uint32_t core_delete_vcpu(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r,
			  bool *deleted_self);
uint32_t core_deposit_mem(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r);
uint32_t core_withdraw_mem(struct svsm_core *c, struct core_vcpu *self, struct svsm_call_regs *r);
uint32_t core_query_protocol(struct svsm_core *c, struct svsm_call_regs *r);
uint32_t core_configure_vtom(struct svsm_core *c, struct svsm_call_regs *r);

/* Address checks shared by the calls (lock held). */
#define CORE_CHK_ALLOW_OWN_CA 0x1u /* the caller's own calling area may be used */
#define CORE_CHK_ALLOW_ANY_CA 0x2u /* any calling area may be used (parameter lists) */
uint32_t core_check_range(struct svsm_core *c, const struct core_vcpu *self, uint64_t gpa,
			  uint64_t len, unsigned int flags);
/* Read a PVALIDATE/DEPOSIT list at gpa (header checked for count/next/page crossing,
 * then its entries). */
struct svsm_pvalidate_hdr;
uint32_t core_read_list(struct svsm_core *c, struct core_vcpu *self, uint64_t gpa,
			struct svsm_pvalidate_hdr *h, uint64_t *list);
/* Map a PVALIDATE/RMPADJUST EAX to the SVSM result (0x8000_1000 + EAX, or 0x8000_1011). */
uint32_t core_rmp_result(uint32_t eax);
/* RMPADJUST VMPLs 1..3: perms for 1..vmpl, none for vmpl+1..3, with the VMSA bit given. */
uint32_t core_adjust_lower(struct svsm_core *c, uint64_t gpa, unsigned int size, uint8_t vmpl,
			   uint8_t perms, bool vmsa);
/* Grant full access to VMPLs 1..vmpl (and revoke it from vmpl+1..3). */
uint32_t core_grant_lower(struct svsm_core *c, uint64_t gpa, unsigned int size, uint8_t vmpl);
/* Revoke every access of VMPLs 1..3. */
uint32_t core_revoke_lower(struct svsm_core *c, uint64_t gpa, unsigned int size);

#endif /* SVSMK_SVSM_CORE_H */
