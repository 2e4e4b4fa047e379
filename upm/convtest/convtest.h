/* SPDX-License-Identifier: MIT */
/* upm-convtest host side: the VM (vm.c), guest commands (scenarios.c), output (report.c). */
#ifndef UPM_CONVTEST_H
#define UPM_CONVTEST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"
#include "upm/upm.h"

struct ct_options {
	unsigned int vcpus;
	bool keep;	     /* libupm keeps stale copies (no discard) */
	bool bench;	     /* benchmark scenarios only (one vCPU) */
	uint64_t iterations; /* random conversions per vCPU */
	uint64_t audit_every;
	uint64_t seed;
	uint32_t scenarios;    /* --only: mask of scenario ids, 0 = all */
	uint64_t frame_rounds; /* rounds of the shared-frame scenario */
};

struct ct_vm;

struct ct_vcpu {
	struct ct_vm *vm;
	unsigned int idx;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	volatile struct ct_mailbox *mb;
	/* current scenario */
	int scenario;
	char host_error[256]; /* first host-side check failure in it */
	uint64_t t0_ns;
	struct upm_stats s0;
	uint64_t conv0, hc0;
	int fatal;     /* the vCPU stopped on an error */
	bool shutdown; /* ... on KVM_EXIT_SHUTDOWN */
	bool done;
};

struct ct_vm {
	struct ct_options opt;
	const char *label; /* names this run in every result line */
	int kvm_fd;
	int vm_fd;
	uint8_t *low;  /* slot 0: [0, CT_LOW_SIZE) */
	uint8_t *test; /* slot 1: shared view of the guest_memfd slot */
	int shared_fd; /* the memfd behind it */
	uint64_t test_size;
	struct upm *upm;
	size_t run_size;
	/* barrier for CT_CMD_BARRIER that a stopped vCPU leaves instead of blocking it */
	pthread_mutex_t bar_lock;
	pthread_cond_t bar_cond;
	unsigned int bar_alive, bar_waiting, bar_gen;
	pthread_mutex_t out_lock;
	unsigned int passed, failed;
	struct ct_vcpu vcpus[CT_MAX_VCPUS];
};

/* vm.c */
int ct_vm_create(struct ct_vm *vm, const void *payload, size_t payload_size);
int ct_vm_run(struct ct_vm *vm);
void ct_vm_destroy(struct ct_vm *vm);
uint64_t ct_now_ns(void);

/* scenarios.c: handles one OUT to CT_PORT; returns 1 when the vCPU is done, -1 when it
 * must stop (the guest took an exception). */
int ct_handle_command(struct ct_vcpu *v, uint32_t cmd);
/* A vCPU that stops for good no longer counts for the barrier. */
void ct_barrier_leave(struct ct_vm *vm);

/* report.c */
const char *ct_scenario_name(int scenario);
void ct_result(struct ct_vm *vm, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ct_print_stats(const char *what, const struct upm_stats *s);

#endif /* UPM_CONVTEST_H */
