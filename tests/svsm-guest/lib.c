// SPDX-License-Identifier: MIT
/* Freestanding helpers: memory, MSRs, port I/O (which #VCs: trap.c answers it). */
#include "guest.h"

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;
	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port) : "memory");
}

/* The vCPU index comes from the stack: each vCPU runs on its own slot of stacks[]. */
extern uint8_t stacks[];
unsigned int this_cpu(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	return (unsigned int)((sp - (uintptr_t)stacks) / GUEST_STACK_SIZE);
}
