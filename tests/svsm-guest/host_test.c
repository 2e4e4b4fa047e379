// SPDX-License-Identifier: MIT
/*
 * Host run of the guest's single-vCPU checks (calls.c: every valid call; table.c: the
 * hostile table on the guest's layout) against the real core-protocol dispatcher and the
 * fake RMP, while no emulated SNP platform can run the guest itself. Guest-physical memory
 * is host memory mapped at the same addresses (the guest is identity-mapped); the calling
 * convention becomes a direct svsm_core_handle() and page state changes become the host's
 * RMPUPDATE on the fake RMP (a 2 MiB or 4 KiB entry, not validated).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>
#include <sev/psc.h>
#include <svsm/protocol.h>
#include "guest.h"
#include "svsmk/compiler.h"
#include "svsmk/fake_rmp.h"
#include "svsmk/svsm_core.h"

#define MAP_LO	  0x2000000ull /* the guest's image, windows and scratch */
#define MAP_HI	  0x8000000ull
#define RAM_PAGES (MAP_HI / 4096)
#define SVSM_BASE 0x1000000ull
#define SVSM_SIZE 0x800000ull
#define HOST_CA	  0x2300000ull /* the BSP's calling area for this run */
#define BOOT_VMSA (SVSM_BASE + 0x5000)

struct boot_regs boot_regs;
uint64_t sev_features = 1;
struct guest_cpu cpus[GUEST_MAX_CPUS];
struct call_stats call_stats[GUEST_MAX_CPUS];
unsigned int call_lost_reason;

static struct fake_rmp rmp;
static struct fake_page pages[RAM_PAGES];
static uint8_t rmp_2m[RAM_PAGES / 512];
static struct core_backend be;
static struct svsm_core core;
static int boot_idx;

static int mapped(uint64_t gpa, uint64_t n)
{
	return gpa >= MAP_LO && gpa <= MAP_HI && n <= MAP_HI - gpa;
}

static int host_read(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	(void)ctx;
	if (!mapped(gpa, n))
		return -EFAULT;
	memcpy(buf, gpa_ptr(gpa), n);
	return 0;
}

static int host_write(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	(void)ctx;
	if (!mapped(gpa, n))
		return -EFAULT;
	memcpy(gpa_ptr(gpa), buf, n);
	return 0;
}

static int host_zero(void *ctx, uint64_t gpa, uint64_t n)
{
	(void)ctx;
	if (!mapped(gpa, n))
		return -EFAULT;
	memset(gpa_ptr(gpa), 0, n);
	return 0;
}

/* ---- What the guest gets from its platform, here ---- */

unsigned int this_cpu(void)
{
	return 0;
}

void outb(uint16_t port, uint8_t v)
{
	if (port == 0x3f8)
		putchar(v);
}

uint32_t svsm_call_pending(struct svsm_regs *r, uint8_t pending)
{
	volatile struct svsm_ca *ca = gpa_ptr(cpus[0].ca);
	ca->call_pending = pending;
	struct svsm_call_regs c = {r->rax, r->rcx, r->rdx, r->r8, r->r9};
	call_stats[0].calls++;
	if (svsm_core_handle(&core, (unsigned int)boot_idx, &c) != CORE_CALL_DONE)
		return GUEST_CALL_LOST;
	uint8_t left = ca->call_pending;
	ca->call_pending = 0;
	if (pending == 1 && left)
		return GUEST_CALL_LOST;
	*r = (struct svsm_regs){c.rax, c.rcx, c.rdx, c.r8, r->r9};
	return (uint32_t)c.rax;
}

uint32_t svsm_call(struct svsm_regs *r)
{
	return svsm_call_pending(r, 1);
}

/* RMPUPDATE by the host: assigned, not validated; 2 MiB or 4 KiB entries. */
int psc(uint64_t gpa, uint64_t npages, unsigned int op, bool size_2m)
{
	if (gpa + npages * 4096 > MAP_HI)
		return -1;
	for (uint64_t i = 0; i < npages; i++) {
		struct fake_page *p = fake_rmp_page(&rmp, gpa + i * 4096);
		p->valid = 0;
		if (op == SNP_PSC_OP_SHARED)
			memset(p->perm, 0, sizeof(p->perm));
	}
	for (uint64_t c = gpa / 0x200000; c <= (gpa + npages * 4096 - 1) / 0x200000; c++)
		rmp_2m[c] = size_2m && op == SNP_PSC_OP_PRIVATE;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	void *m = mmap(gpa_ptr(MAP_LO), MAP_HI - MAP_LO, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (m != gpa_ptr(MAP_LO))
		return -1;
	fake_rmp_init(&rmp, 0, RAM_PAGES, pages, rmp_2m, SVSM_BASE, SVSM_SIZE);
	fake_rmp_backend(&rmp, &be);
	be.read_guest = host_read;
	be.write_guest = host_write;
	be.zero_guest = host_zero;
	svsm_core_init(&core, &be, sev_features);
	boot_idx = svsm_core_add_startup_vcpu(&core, 0, BOOT_VMSA, HOST_CA, 2);
	boot_regs = (struct boot_regs){0x54534756, 51, SVSM_BASE, SVSM_SIZE, HOST_CA, BOOT_VMSA};
	cpus[0].ca = HOST_CA;
	return boot_idx < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return munmap(gpa_ptr(MAP_LO), MAP_HI - MAP_LO);
}

static void test_guest_valid_calls(void **state)
{
	(void)state;
	unsigned int before = tap_failed;
	test_calls();
	assert_int_equal(tap_failed, before);
	assert_true(tap_passed >= 20);
}

static void test_guest_hostile_table(void **state)
{
	(void)state;
	unsigned int before = tap_failed, passed = tap_passed;
	test_hostile_table();
	assert_int_equal(tap_failed, before);
	assert_true(tap_passed - passed >= 54);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_valid_calls),
		cmocka_unit_test(test_guest_hostile_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
