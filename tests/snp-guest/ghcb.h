/* SPDX-License-Identifier: MIT */
/*
 * Guest side of the GHCB (GHCB spec, AMD pub. 56421) for the snp-guest test
 * guest: the MSR protocol (section 2.3.1) and the GHCB page (2.3, 4.1)
 * with one call per NAE event. The #VC handler and the tests call it.
 *
 * Page calls return 0 when the hypervisor answered SW_EXITINFO1 = 0, else
 * SW_EXITINFO1[31:0] (1: raise the exception in SW_EXITINFO2, 2: malformed
 * input, reason in SW_EXITINFO2); ghcb_last_info2() gives SW_EXITINFO2.
 * Not reentrant: one GHCB, one CPU, not from a handler that may interrupt
 * another GHCB call.
 */
#ifndef SNP_GUEST_GHCB_H
#define SNP_GUEST_GHCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/ghcb.h"

/* ---- MSR protocol (2.3.1): each call leaves the GHCB MSR changed. ---- */

/* WRMSR GHCB_MSR = @request; VMGEXIT; return RDMSR GHCB_MSR. */
uint64_t ghcb_msr_call(uint64_t request);
/* SEV information; false if the response code is wrong. */
bool ghcb_msr_sev_info(uint16_t *max, uint16_t *min, uint8_t *cbit);
/* One CPUID register (GHCB_CPUID_REG_*) of @fn, sub-leaf 0. */
bool ghcb_msr_cpuid(uint32_t fn, unsigned int reg, uint32_t *value);
/* Hypervisor feature bitmap; 0 if the response code is wrong. */
uint64_t ghcb_msr_hv_features(void);
/* Register @gpa as the GHCB; true if the hypervisor echoed its GFN. */
bool ghcb_msr_register(uint64_t gpa);
/* Page state change of one 4 KiB page; the response's error code (0 = ok). */
uint32_t ghcb_msr_psc(uint64_t gfn, unsigned int op);
/* Ask the hypervisor to terminate the guest; does not return. */
void ghcb_msr_terminate(uint8_t reason_set, uint8_t reason_code) __attribute__((noreturn));

/* ---- GHCB page (2.3, 4.1). ---- */

/*
 * Use the page at @va (guest-physical @gpa, mapped shared) as this CPU's
 * GHCB and register it. Returns false if the hypervisor refused.
 */
bool ghcb_init(void *va, uint64_t gpa);
/* The GHCB page set up by ghcb_init() (NULL before) and its GPA. */
struct ghcb *ghcb_page(void);
uint64_t ghcb_page_gpa(void);
/* Clear the save area (and so the valid bitmap) before filling inputs. */
void ghcb_clear(void);
/* Set an input field and mark it valid; read a field; its valid bit. */
void ghcb_set(size_t save_offset, uint64_t v);
uint64_t ghcb_get(size_t save_offset);
bool ghcb_has(size_t save_offset);
/*
 * Run one NAE: SW_EXITCODE / SW_EXITINFO1 / SW_EXITINFO2 (marked valid),
 * usage 0, protocol version 2, GHCB MSR = the GHCB GPA, VMGEXIT. The other
 * inputs are set before with ghcb_set(). Returns as described above.
 */
uint32_t ghcb_nae(uint64_t exit_code, uint64_t info1, uint64_t info2);
/* The same with no forced valid bits or usage (hostile tests). */
uint32_t ghcb_vmgexit_raw(void);
uint64_t ghcb_last_info2(void);

uint32_t ghcb_out(uint16_t port, unsigned int size, uint32_t v);
uint32_t ghcb_in(uint16_t port, unsigned int size, uint32_t *v);
/* OUTS / INS of @count elements of @size bytes through the shared buffer. */
uint32_t ghcb_outs(uint16_t port, unsigned int size, const void *buf, uint32_t count);
uint32_t ghcb_ins(uint16_t port, unsigned int size, void *buf, uint32_t count);
uint32_t ghcb_rdmsr(uint32_t index, uint64_t *v);
uint32_t ghcb_wrmsr(uint32_t index, uint64_t v);
uint32_t ghcb_cpuid(uint32_t fn, uint32_t index, uint32_t regs[4]);
uint32_t ghcb_rdtsc(uint64_t *tsc);
uint32_t ghcb_mmio_read(uint64_t gpa, void *buf, unsigned int len);
uint32_t ghcb_mmio_write(uint64_t gpa, const void *buf, unsigned int len);
/*
 * Page state change (4.1.6) of entries [0, @n) (sev/psc.h format). The
 * result is SW_EXITINFO2 (0 = done); *@cur_entry gets the header's
 * CUR_ENTRY and @entries their CUR_PAGE progress. A non-zero return of
 * the NAE itself (malformed request) comes back as (1ull << 63) | code.
 */
uint64_t ghcb_psc(uint64_t *entries, unsigned int n, uint16_t *cur_entry);
uint64_t ghcb_hv_features(void);
void ghcb_terminate(uint8_t reason_set, uint8_t reason_code) __attribute__((noreturn));

/* A console hook for lib.h's snp_guest_putc: OUTB to the debug console. */
void ghcb_putc(char c);

#endif
