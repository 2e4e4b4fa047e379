/* SPDX-License-Identifier: MIT */
/*
 * Runs core-protocol requests through the real dispatcher against the fake RMP, on any
 * guest-memory back end: a heap buffer in host unit tests, real RAM in the native SVSM.
 */
#ifndef SVSM_TEST_PROTOCOL_HARNESS_H
#define SVSM_TEST_PROTOCOL_HARNESS_H

#include "protocol_cases.h"
#include "svsmk/fake_rmp.h"
#include "svsmk/svsm_core.h"

#define PC_PAGES (PC_RAM_SIZE / 4096)

struct pc_mem_ops {
	int (*read)(void *ctx, uint64_t gpa, void *buf, size_t n);
	int (*write)(void *ctx, uint64_t gpa, const void *buf, size_t n);
	int (*zero)(void *ctx, uint64_t gpa, uint64_t len);
};

struct pc_env {
	struct svsm_core core;
	struct core_backend be;
	struct fake_rmp rmp;
	struct fake_page page[PC_PAGES];
	uint8_t rmp_2m[PC_PAGES / 512];
	uint64_t base;
	int boot;
};

/* Fresh state: fake RAM at base, boot vCPU registered, CA pending flags clear. */
int pc_env_reset(struct pc_env *e, uint64_t base, const struct pc_mem_ops *ops);
/* Issue one call as vCPU idx with call_pending set; returns the result (RAX). */
uint32_t pc_call(struct pc_env *e, int idx, uint64_t rax, struct svsm_call_regs *r);
/* Run a table case; *next = list "next" after the call (or -1), *unchanged = RMP and core
 * tables identical before and after. */
uint32_t pc_run_case(struct pc_env *e, const struct protocol_case *pc, int *next, int *unchanged);
/* Positive scenarios; return 0 or the line of the first failed check. */
int pc_scenario_pvalidate(struct pc_env *e);
int pc_scenario_vcpu(struct pc_env *e);
int pc_scenario_memory(struct pc_env *e);
int pc_scenario_misc(struct pc_env *e);
/* Concurrency: vCPU slot idx hammers its own pages; returns 0 or a failing line. */
int pc_worker(struct pc_env *e, int idx, unsigned int rounds);
/* Create vCPU for APIC id with VMSA/CA pages at the given offsets; returns its index. */
int pc_create_vcpu(struct pc_env *e, uint32_t apic, uint64_t vmsa_off, uint64_t ca_off);

#endif /* SVSM_TEST_PROTOCOL_HARNESS_H */
