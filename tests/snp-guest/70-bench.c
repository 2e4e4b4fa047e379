/* SPDX-License-Identifier: MIT */
/*
 * Benchmark workload for `make bench` (tests/snp-bench/snp-ratio.sh): the
 * same work in a plain TCG guest (Multiboot, "mode=plain") and in an SNP
 * guest started from its IGVM file (RMP checks and #VC from the first
 * instruction). Runs only with "bench" on the command line (the harness adds
 * "only=bench_workload"); prints figures, asserts nothing about time.
 *
 * The mix (per round), meant to look like a busy guest kernel:
 *  - a sweep over every 4 KiB page of a 32 MiB buffer in a scattered order,
 *    one read-modify-write per page with a data-dependent branch: each
 *    touch needs a TLB fill (page walk, and on SNP the RMP check), since
 *  - CR3 is reloaded every 512 pages (a context switch flushes the TLB);
 *  - open-addressing hash-table inserts and lookups (branchy, cache-missing)
 *    and a Shell sort over words of the buffer (branchy compute);
 *  - one port write (OUT 80h, the POST port Linux uses for I/O delays) per
 *    1024 pages: on SNP each is a #VC resolved through the GHCB.
 * The printed checksum is the same in both runs: the same work was done.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/psc.h"
#include "sev/rmp-instr.h"

#include "ghcb.h"
#include "lib.h"
#include "paging.h"

/* Free RAM for the buffer (the harness gives the guest 256 MiB). */
#define BENCH_BASE	 0x04000000u
#define BENCH_SIZE	 0x02000000u
#define BENCH_PAGES	 (BENCH_SIZE >> 12)
#define BENCH_2M	 0x200000u
#define BENCH_REGIONS	 (BENCH_SIZE / BENCH_2M)
#define PAGE_STRIDE	 4099u /* odd: visits every page once per sweep */
#define CR3_RELOAD_PAGES 512u
#define PORT_IO_PAGES	 1024u
#define POST_PORT	 0x80u
#define HASH_SLOTS	 65536u /* 256 KiB at the start of the buffer */
#define HASH_OPS	 32768u
#define SORT_WORDS	 4096u
#define SORT_OFFSET	 0x00100000u
#define DEFAULT_ROUNDS	 8u

static uint32_t rng_state;
static uint32_t cr3_reloads, port_writes, pages_touched;

static uint32_t xorshift32(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	rng_state = x;
	return x;
}

static uint64_t rdtsc_now(void)
{
	uint32_t lo, hi;

	/* Plain: the TSC; SNP: a #VC the GHCB answers (2 per run). */
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void reload_cr3(void)
{
	uint32_t cr3;

	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
	cr3_reloads++;
}

static volatile uint32_t *word_at(uint32_t offset)
{
	/* Identity map (paging.h): the physical address is the pointer. */
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return (volatile uint32_t *)(uintptr_t)(BENCH_BASE + offset);
}

/*
 * SNP: the buffer is hypervisor-owned after launch. Make it private with
 * one Page State Change of 2 MiB entries (GHCB spec 4.1.6), then validate
 * it with PVALIDATE 2 MiB (APM vol. 3 PVALIDATE), as a guest kernel accepts
 * memory. Not timed.
 */
static bool bench_accept_memory(void)
{
	uint64_t entries[BENCH_REGIONS];
	uint16_t cur = 0;
	uint32_t rc = RMP_INSTR_SUCCESS;

	for (uint32_t i = 0; i < BENCH_REGIONS; i++) {
		entries[i] = snp_psc_entry((BENCH_BASE + i * BENCH_2M) >> 12, SNP_PSC_OP_PRIVATE,
					   SNP_PSC_PAGE_2M, 0);
	}
	if (ghcb_psc(entries, BENCH_REGIONS, &cur) != 0) {
		return false;
	}
	for (uint32_t i = 0; i < BENCH_REGIONS && rc == RMP_INSTR_SUCCESS; i++) {
		__asm__ volatile(".byte " PVALIDATE_OPCODE
				 : "=a"(rc)
				 : "a"(BENCH_BASE + i * BENCH_2M), "c"(RMP_PG_SIZE_2M),
				   "d"(PVALIDATE_VALIDATE)
				 : "memory", "cc");
	}
	return rc == RMP_INSTR_SUCCESS;
}

/* Every page once, scattered; a data-dependent update of one word each. */
static uint32_t page_sweep(void)
{
	uint32_t page = xorshift32() % BENCH_PAGES, sum = 0;

	reload_cr3();
	for (uint32_t i = 0; i < BENCH_PAGES; i++) {
		volatile uint32_t *w = word_at(page << 12 | (xorshift32() & 0xffcu));
		uint32_t v = *w;

		*w = (v & 1u) ? v * 3u + 1u : v >> 1;
		sum += v;
		pages_touched++;
		if (i % CR3_RELOAD_PAGES == CR3_RELOAD_PAGES - 1) {
			reload_cr3();
		}
		if (i % PORT_IO_PAGES == 0) {
			outb(POST_PORT, (uint8_t)i);
			port_writes++;
		}
		page = (page + PAGE_STRIDE) % BENCH_PAGES;
	}
	return sum;
}

/* Open addressing with linear probing: half inserts, half lookups. */
static uint32_t hash_ops(void)
{
	uint32_t hits = 0;

	for (uint32_t i = 0; i < HASH_OPS; i++) {
		uint32_t key = xorshift32() | 1u;
		uint32_t slot = (key * 2654435761u) % HASH_SLOTS;

		for (uint32_t probe = 0; probe < 16u; probe++) {
			volatile uint32_t *s = word_at(((slot + probe) % HASH_SLOTS) * 4u);

			if (*s == key) {
				hits++;
				break;
			}
			if (*s == 0 || (i & 1u)) {
				if (!(i & 1u)) {
					*s = key;
				}
				break;
			}
		}
	}
	/* Empty the table for the next round (a kernel frees its objects). */
	if ((hits & 7u) == 0) {
		for (uint32_t i = 0; i < HASH_SLOTS; i += 64u) {
			*word_at(i * 4u) = 0;
		}
	}
	return hits;
}

/* Shell sort (Ciura's gaps) of SORT_WORDS pseudo-random words. */
static uint32_t shell_sort(void)
{
	static const uint32_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};

	for (uint32_t i = 0; i < SORT_WORDS; i++) {
		*word_at(SORT_OFFSET + i * 4u) = xorshift32();
	}
	for (uint32_t g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
		uint32_t gap = gaps[g];

		for (uint32_t i = gap; i < SORT_WORDS; i++) {
			uint32_t t = *word_at(SORT_OFFSET + i * 4u), j = i;

			while (j >= gap && *word_at(SORT_OFFSET + (j - gap) * 4u) > t) {
				*word_at(SORT_OFFSET + j * 4u) =
					*word_at(SORT_OFFSET + (j - gap) * 4u);
				j -= gap;
			}
			*word_at(SORT_OFFSET + j * 4u) = t;
		}
	}
	return *word_at(SORT_OFFSET + (SORT_WORDS / 2u) * 4u);
}

static void bench_workload(const struct snp_guest_env *env)
{
	uint32_t rounds = cmdline_uint(env->cmdline, "rounds", DEFAULT_ROUNDS), sum = 0;
	uint64_t t0, t1;

	if (!cmdline_has(env->cmdline, "bench")) {
		return;
	}
	paging_enable(env); /* the same page tables in both runs (C-bit aside) */
	if (env->igvm && !bench_accept_memory()) {
		expect(false, "bench: buffer accepted (PSC private 2M + PVALIDATE 2M)", 0, 1);
		return;
	}
	for (uint32_t i = 0; i < BENCH_SIZE; i += 4096u) {
		*word_at(i) = i; /* first touch outside the timed part */
	}
	rng_state = 0x2545f491u;
	cr3_reloads = 0;
	port_writes = 0;
	pages_touched = 0;
	t0 = rdtsc_now();
	for (uint32_t r = 0; r < rounds; r++) {
		sum += page_sweep();
		sum += hash_ops();
		sum += shell_sort();
	}
	t1 = rdtsc_now();
	puts_dbg("bench: rounds ");
	put_hex(rounds);
	puts_dbg(" pages ");
	put_hex(pages_touched);
	puts_dbg(" cr3-reloads ");
	put_hex(cr3_reloads);
	puts_dbg(" port-writes ");
	put_hex(port_writes);
	puts_dbg(" checksum ");
	put_hex(sum);
	puts_dbg("\nbench: tsc-delta ");
	put_hex(t1 - t0);
	puts_dbg("\n");
}
SNP_GUEST_TEST(bench_workload, SNP_GUEST_MODE_PLAIN | SNP_GUEST_MODE_IGVM | SNP_GUEST_MODE_SNP |
				       SNP_GUEST_MODE_RMP);
