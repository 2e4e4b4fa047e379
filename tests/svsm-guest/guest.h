/* SPDX-License-Identifier: MIT */
/*
 * The VMPL2 test guest of the SVSM (docs/svsm-guest.md): a freestanding 64-bit guest the
 * SVSM launches from its IGVM file (include/svsm/guest-launch.h). It reaches the SVSM with
 * the core protocol (SVSM spec 58019) and the host with the GHCB (GHCB spec 56421), as an
 * SEV-SNP guest must: no port I/O except through #VC, no CPUID.
 */
#ifndef SVSM_GUEST_H
#define SVSM_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "layout.h"

#define GUEST_OUTSIDE 0x10000000000ull /* 1 TiB: never guest RAM in our runs */

/* What the SVSM handed over at entry (entry.S stores the registers). */
struct boot_regs {
	uint32_t magic, cbit, svsm_base, svsm_size, ca, boot_vmsa;
};
extern struct boot_regs boot_regs;

/* Per-vCPU state, indexed by the vCPU's index = APIC ID (0..3). */
struct guest_cpu {
	uint64_t ca;				 /* calling area GPA */
	uint64_t ghcb_pa;			 /* 0 until the GHCB is registered */
	uint64_t vmsa;				 /* APs: the VMSA given to CREATE_VCPU */
	void (*volatile work)(unsigned int cpu); /* run_on_all(): what to run next */
	/* probe_read64() armed on this vCPU: the fault it took (trap.c). */
	uint64_t probe_vector, probe_error, probe_cr2;
	volatile int up;   /* set by the vCPU once it runs */
	volatile int done; /* set once it has its GHCB (or failed to) */
	int failures;
	volatile unsigned int work_seq, done_seq;
	volatile int probe_armed;
};
extern struct guest_cpu cpus[GUEST_MAX_CPUS];
unsigned int this_cpu(void);
extern uint64_t sev_features; /* from SEV_STATUS, as the SVSM compares them */

/* Registers of one SVSM call (SVSM spec 58019, "Calling Convention"). */
struct svsm_regs {
	uint64_t rax, rcx, rdx, r8, r9;
};
/* Make the call on this vCPU (MSR-protocol Run VMPL 0). Returns RAX's low 32 bits, or
 * GUEST_CALL_LOST if the host did not return with a VMPL response or the SVSM left
 * SVSM_CALL_PENDING set (it never took the call). */
#define GUEST_CALL_LOST 0xffffffffu
uint32_t svsm_call(struct svsm_regs *r);
/* Why the last call was lost: 1 no VMPL response from the host, 2 SVSM left it pending. */
extern unsigned int call_lost_reason;
/* Same, with the SVSM_CALL_PENDING byte given (tests of the reserved values). */
uint32_t svsm_call_pending(struct svsm_regs *r, uint8_t pending);
/* Counters of this guest's requests (make run's account, make bench's exits). */
struct call_stats {
	uint64_t calls, msr_exits, ghcb_exits;
};
extern struct call_stats call_stats[GUEST_MAX_CPUS];

/* ghcb.c: GHCB MSR protocol and page. */
uint64_t ghcb_msr_call(uint64_t request);
void guest_terminate(unsigned int code) __attribute__((noreturn));
int ghcb_setup(unsigned int cpu);
int ghcb_ioio_out(uint16_t port, uint32_t value, unsigned int size);
int ghcb_ioio_in(uint16_t port, unsigned int size, uint32_t *value);
/* Page state change of a list of entries (sev/psc.h), in requests of at most
 * SNP_PSC_MAX_ENTRIES, each re-issued on partial progress. 0 or -1. */
int psc_list(const uint64_t *entries, unsigned int n);
struct psc_stats {
	uint64_t requests, entries;
};
extern struct psc_stats psc_stats[GUEST_MAX_CPUS];
/* Page state change of [gpa, gpa + npages * 4 KiB) (SNP_PSC_OP_*), 2 MiB entries when
 * size_2m (gpa and npages 2 MiB multiples). 0 or -1. */
int psc(uint64_t gpa, uint64_t npages, unsigned int op, bool size_2m);

/* Core-protocol helpers (calls.c): lists go in this vCPU's calling-area buffer. */
uint32_t svsm_pvalidate_list(const uint64_t *entries, uint16_t n, uint16_t *next);
/* PSC to private, then PVALIDATE through the SVSM: usable private pages. */
int make_private(uint64_t gpa, uint64_t npages, bool size_2m);

/* params.c: what the guest is given (QEMU fw_cfg through GHCB IOIO): vCPUs, RAM below
 * 4 GiB, and harness words from -fw_cfg name=opt/svsm-guest/args,string=... */
struct guest_params {
	unsigned int nr_cpus; /* -smp, clamped to 1..GUEST_MAX_CPUS */
	unsigned int fw_cpus; /* as fw_cfg says (0: no fw_cfg) */
	uint64_t ram_top;     /* end of the RAM range that starts at 0 (below 4 GiB) */
	char args[256];
};
extern struct guest_params params;
void params_init(void);
bool arg_flag(const char *word);
uint64_t arg_u64(const char *key, uint64_t def);

/* entry.S: read 8 bytes at va; 0, or 1 if it faulted (the vector, error code and CR2 are
 * in cpus[this_cpu()].probe_*). */
int probe_read64(const volatile void *va, uint64_t *out);

/* convert.c: page conversions (docs/upm.md "Guest side"). */
void convert_prepare(void); /* BSP, before convert_scenarios runs on every vCPU */
void convert_scenarios(unsigned int cpu);
void convert_stress(unsigned int cpu);
void convert_report(void);

/* console.c */
void console_putc(char c);
int printf_g(const char *fmt, ...);
void tap(bool ok, const char *fmt, ...);
extern volatile unsigned int tap_passed, tap_failed;

/* Tests. */
void test_calls(void);
void test_hostile_table(void);
/* vcpus.c: CREATE_VCPU for APIC IDs 1..nr_cpus-1; run_on_all() runs fn on every vCPU at
 * once (the BSP too) and waits; vcpus_stop() deletes the APs. */
void vcpus_start(void);
void run_on_all(void (*fn)(unsigned int cpu));
void vcpus_rounds(void);
void vcpus_stop(void);
/* The per-vCPU rounds every vCPU runs at once. */
void rounds(unsigned int cpu);

/* lib */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t v);
void outb(uint16_t port, uint8_t v);
void outl(uint16_t port, uint32_t v);
static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}
static inline void *gpa_ptr(uint64_t gpa)
{
	return (void *)(uintptr_t)gpa; // NOLINT(performance-no-int-to-ptr): identity-mapped
}
/* The same page through the alias without the C-bit (shared access, layout.h). */
static inline void *gpa_shared_ptr(uint64_t gpa)
{
	return gpa_ptr(GUEST_SHARED_ALIAS + gpa);
}
void idt_init(void);
void idt_load(void);

#endif /* SVSM_GUEST_H */
