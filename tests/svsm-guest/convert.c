// SPDX-License-Identifier: MIT
/*
 * Page conversions from inside the VMPL2 guest (issue 11, docs/upm.md "Guest side"). Each
 * vCPU owns a 4 MiB region (two 2 MiB frames) and converts its pages between shared and
 * private the way an SEV-SNP guest must:
 *   private: page state change to private (GHCB spec 56421 4.1.6, NAE 8000_0010h, batched
 *            entries, 2 MiB entries for whole frames), then PVALIDATE through the SVSM
 *            (SVSM spec 58019 core protocol SVSM_CORE_PVALIDATE: a VMPL2 guest cannot
 *            execute PVALIDATE, APM vol. 3 PVALIDATE: CPL0 at VMPL0 only... the SVSM does);
 *   shared:  PVALIDATE rescind through the SVSM first (GHCB spec 4.1.6: a page must not be
 *            validated when it becomes shared), then the page state change to shared.
 * The guest keeps a model of every page (state, the tag of the data last written) and
 * checks, citing the specs:
 *   - private data reads back what was written after validation, and data written while
 *     shared (through the C-bit-clear alias, APM vol. 2 15.34.5) reads back the same;
 *   - every page keeps its data while other pages convert (audits);
 *   - validating a page already validated reports "unchanged" (APM vol. 3 PVALIDATE:
 *     rFLAGS.CF = 1 when the RMP entry did not change; the SVSM's 0x80001010);
 *   - an access to a private page that is not validated takes #VC with error code
 *     PAGE_NOT_VALIDATED 404h and CR2 = the address (APM vol. 2 15.36.10);
 *   - a private access to a shared page is an implicit conversion: the host makes it a
 *     private page that is not validated, so the guest takes #VC 404h (APM vol. 2
 *     15.36.10, Table 15-39: the RMP check #NPFs to the host, which converts, as KVM does
 *     on KVM_EXIT_MEMORY_FAULT);
 *   - a page the host turned shared and private again must be validated again: the new
 *     assignment clears Validated (APM vol. 2 15.36.6, 15.36.7). A host that only claims
 *     to have changed the page state (sev-snp-guest lie-psc=on) is caught by this.
 * Data the guest wrote while shared must be what the host sees: the guest prints a
 * checksum of its model for every shared run and the harness compares it with guest memory
 * read from outside (tests/suites/82-upm-snp-guest.sh, QMP pmemsave). Private contents
 * cannot be checked from outside on the emulated platform (no memory encryption there).
 */
#include <sev/ghcb.h>
#include <sev/psc.h>
#include <svsm/protocol.h>
#include <x86/desc.h>
#include "guest.h"

#define PAGES	 (GUEST_CONV_SIZE / 4096u)
#define FRAME	 512u /* 4 KiB pages per 2 MiB frame */
#define FRAMES	 (PAGES / FRAME)
#define LIST_MAX 500u /* PVALIDATE entries per call: the calling area's buffer holds 510 */
#define COM2	 0x2f8u
#define COM2_LSR (COM2 + 5u) /* 16550 line status: bit 0 data ready */

enum { SHARED = 0, PRIVATE = 1 };

struct conv {
	uint64_t base; /* GPA of this vCPU's region */
	unsigned int cpu;
	uint64_t rng; /* xorshift64* state */
	uint32_t next_tag;
	uint8_t state[PAGES];
	uint32_t tag[PAGES];
	bool big[FRAMES]; /* frame validated as one 2 MiB page, no 4 KiB operation since */
	uint64_t ops, to_private, to_shared, vc404, errors;
	uint64_t psc[PAGES], pv[PAGES];
};
static struct conv convs[GUEST_MAX_CPUS];
/* The 2 MiB frame every vCPU converts its own interleaved pages of, at the same time. */
static struct conv frame_convs[GUEST_MAX_CPUS];
static uint64_t calls_before[GUEST_MAX_CPUS];

/* ---- model data ---- */

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct conv *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return c->rng * 0x2545f4914f6cdd1dull;
}

/* The 8-byte word at GPA `gpa` of a page written with `tag`. */
static uint64_t pattern(uint64_t gpa, uint32_t tag)
{
	return mix64(gpa ^ ((uint64_t)tag << 40) ^ 0x9e3779b97f4a7c15ull);
}

static uint64_t page_gpa(const struct conv *c, unsigned int p)
{
	return c->base + 4096ull * p;
}

static volatile uint64_t *view(const struct conv *c, unsigned int p)
{
	uint64_t gpa = page_gpa(c, p);
	return c->state[p] == PRIVATE ? gpa_ptr(gpa) : gpa_shared_ptr(gpa);
}

static unsigned int cpu_of(const struct conv *c)
{
	return c->cpu;
}

static void fill(struct conv *c, unsigned int p)
{
	uint32_t tag = ++c->next_tag;
	volatile uint64_t *w = view(c, p);
	uint64_t gpa = page_gpa(c, p);
	c->tag[p] = tag;
	for (unsigned int i = 0; i < 512; i++)
		w[i] = pattern(gpa + 8ull * i, tag);
}

static bool verify(struct conv *c, unsigned int p, const char *when)
{
	volatile uint64_t *w = view(c, p);
	uint64_t gpa = page_gpa(c, p);
	for (unsigned int i = 0; i < 512; i++) {
		uint64_t want = pattern(gpa + 8ull * i, c->tag[p]);
		if (w[i] != want) {
			printf_g("# convert vCPU %u: %s page %#llx (%s) word %u: %#llx, want "
				 "%#llx\n",
				 cpu_of(c), when, (unsigned long long)gpa,
				 c->state[p] == PRIVATE ? "private" : "shared", i,
				 (unsigned long long)w[i], (unsigned long long)want);
			c->errors++;
			return false;
		}
	}
	return true;
}

static void complain(struct conv *c, const char *what, uint64_t a, uint64_t b)
{
	printf_g("# convert vCPU %u: %s (%#llx, %#llx)\n", cpu_of(c), what, (unsigned long long)a,
		 (unsigned long long)b);
	c->errors++;
}

/* ---- requests ---- */

/* PVALIDATE entries through the SVSM: every one must succeed. */
static bool svsm_pv_all(struct conv *c, const uint64_t *ent, unsigned int n)
{
	while (n) {
		uint16_t m = (uint16_t)(n > LIST_MAX ? LIST_MAX : n), next = 0;
		uint32_t res = svsm_pvalidate_list(ent, m, &next);
		if (res != SVSM_SUCCESS || next != m) {
			complain(c, "SVSM PVALIDATE list failed: result, failing entry", res,
				 next < m ? ent[next] : 0);
			return false;
		}
		ent += m;
		n -= m;
	}
	return true;
}

/* One PVALIDATE through the SVSM, its result. */
static uint32_t svsm_pv_one(uint64_t gpa, unsigned int size, int validate)
{
	uint64_t e = svsm_pvalidate_entry(gpa >> 12, size, validate, 0);
	uint16_t next = 0;
	return svsm_pvalidate_list(&e, 1, &next);
}

static bool frame_all(const struct conv *c, unsigned int f, uint8_t state)
{
	for (unsigned int p = f * FRAME; p < (f + 1) * FRAME; p++)
		if (c->state[p] != state)
			return false;
	return true;
}

/*
 * Convert the pages first, first + stride, ... (n of them) to `target`; pages already
 * there are left alone. Old data is checked before, new data written and checked after.
 * With stride 1, a whole frame inside the range that is entirely in the other state goes
 * as one 2 MiB PSC entry (and one 2 MiB PVALIDATE when it becomes private).
 */
static bool convert_set(struct conv *c, unsigned int first, unsigned int n, unsigned int stride,
			uint8_t target)
{
	unsigned int np = 0, nv = 0, end = first + (n - 1) * stride + 1, pages = 0;
	uint64_t errors = c->errors;
	for (unsigned int p = first; p < end; p += stride)
		if (c->state[p] != target)
			(void)verify(c, p, "before conversion");
	for (unsigned int p = first; p < end;) {
		unsigned int f = p / FRAME;
		bool whole = stride == 1 && p % FRAME == 0 && p + FRAME <= end &&
			     frame_all(c, f, target == PRIVATE ? SHARED : PRIVATE);
		uint64_t gfn = page_gpa(c, p) >> 12;
		if (whole) {
			unsigned int op =
				target == PRIVATE ? SNP_PSC_OP_PRIVATE : SNP_PSC_OP_SHARED;
			c->psc[np++] = snp_psc_entry(gfn, op, SNP_PSC_PAGE_2M, 0);
			/* Rescind as 2 MiB only what was validated as 2 MiB. */
			if (target == PRIVATE || c->big[f])
				c->pv[nv++] = svsm_pvalidate_entry(gfn, SVSM_PVALIDATE_SIZE_2M,
								   target == PRIVATE, 0);
			else
				for (unsigned int i = 0; i < FRAME; i++)
					c->pv[nv++] = svsm_pvalidate_entry(
						gfn + i, SVSM_PVALIDATE_SIZE_4K, 0, 0);
			pages += FRAME;
			p += FRAME;
			continue;
		}
		if (c->state[p] != target) {
			unsigned int op =
				target == PRIVATE ? SNP_PSC_OP_PRIVATE : SNP_PSC_OP_SHARED;
			c->psc[np++] = snp_psc_entry(gfn, op, SNP_PSC_PAGE_4K, 0);
			c->pv[nv++] = svsm_pvalidate_entry(gfn, SVSM_PVALIDATE_SIZE_4K,
							   target == PRIVATE, 0);
			pages++;
		}
		p += stride;
	}
	if (!np)
		return c->errors == errors;
	bool ok;
	if (target == PRIVATE) {
		ok = psc_list(c->psc, np) == 0;
		if (!ok)
			complain(c, "page state change to private failed: entries, first", np,
				 c->psc[0]);
		ok = ok && svsm_pv_all(c, c->pv, nv);
	} else {
		ok = svsm_pv_all(c, c->pv, nv);
		if (ok && psc_list(c->psc, np)) {
			complain(c, "page state change to shared failed: entries, first", np,
				 c->psc[0]);
			ok = false;
		}
	}
	/* The model follows the request, so that later checks show what the host did. */
	for (unsigned int i = 0; i < np; i++) {
		uint64_t e = c->psc[i];
		unsigned int p = (unsigned int)(((e >> SNP_PSC_GFN_SHIFT) & SNP_PSC_GFN_MASK) -
						(c->base >> 12));
		bool big = (e >> SNP_PSC_SIZE_SHIFT) & 1;
		unsigned int cnt = big ? FRAME : 1;
		for (unsigned int j = 0; j < cnt; j++)
			c->state[p + j] = target;
		c->big[p / FRAME] = big && target == PRIVATE;
		for (unsigned int j = 0; j < cnt && ok; j++)
			fill(c, p + j);
		for (unsigned int j = 0; j < cnt && ok; j++)
			(void)verify(c, p + j, "after conversion");
	}
	c->ops++;
	if (target == PRIVATE)
		c->to_private += pages;
	else
		c->to_shared += pages;
	return ok && c->errors == errors;
}

static bool convert_range(struct conv *c, unsigned int first, unsigned int n, uint8_t target)
{
	return convert_set(c, first, n, 1, target);
}

/* Every page against the model. */
static bool audit(struct conv *c)
{
	uint64_t errors = c->errors;
	for (unsigned int p = 0; p < PAGES; p++)
		(void)verify(c, p, "audit");
	return c->errors == errors;
}

/* Probe a read through the private mapping: expect #VC PAGE_NOT_VALIDATED with CR2. */
static bool expect_vc404(struct conv *c, unsigned int p)
{
	struct guest_cpu *g = &cpus[cpu_of(c)];
	uint64_t v = 0;
	const volatile void *va = gpa_ptr(page_gpa(c, p) + 0x88);
	g->probe_armed = 1;
	int faulted = probe_read64(va, &v);
	g->probe_armed = 0;
	if (!faulted) {
		complain(c, "private access to a page not validated did not fault: gpa, value",
			 page_gpa(c, p), v);
		return false;
	}
	if (g->probe_vector != X86_VEC_VC || g->probe_error != SVM_EXIT_PAGE_NOT_VALIDATED ||
	    g->probe_cr2 != (uint64_t)(uintptr_t)va) {
		complain(c, "wrong fault: vector << 32 | error code, CR2",
			 g->probe_vector << 32 | g->probe_error, g->probe_cr2);
		return false;
	}
	c->vc404++;
	return true;
}

/* ---- scenarios ---- */

static void report(struct conv *c, uint64_t errors, bool ok, const char *name)
{
	tap(ok && c->errors == errors, "convert vCPU %u: %s", cpu_of(c), name);
}

/* 4 KiB page (not 2 MiB aligned) both ways twice; validating it again: unchanged. */
static void s_4k(struct conv *c)
{
	uint64_t e = c->errors;
	bool ok = convert_range(c, 3, 1, PRIVATE);
	uint32_t res = svsm_pv_one(page_gpa(c, 3), SVSM_PVALIDATE_SIZE_4K, 1);
	if (res != SVSM_PVALIDATE_FAIL_UNCHANGED)
		complain(c, "validating a validated page: result, want 0x80001010", res,
			 SVSM_PVALIDATE_FAIL_UNCHANGED);
	ok = convert_range(c, 3, 1, SHARED) && ok;
	ok = convert_range(c, 3, 1, PRIVATE) && ok;
	ok = convert_range(c, 3, 1, SHARED) && ok;
	report(c, e, ok, "4K page private/shared x2, re-validation unchanged (CF=1)");
}

/* The second frame as one 2 MiB PSC entry and one 2 MiB PVALIDATE, and back. */
static void s_2m(struct conv *c)
{
	uint64_t e = c->errors;
	bool ok = convert_range(c, FRAME, FRAME, PRIVATE);
	if (!c->big[1])
		complain(c, "2M frame not validated as one 2 MiB page", 0, 0);
	uint32_t res = svsm_pv_one(page_gpa(c, FRAME), SVSM_PVALIDATE_SIZE_2M, 1);
	if (res != SVSM_PVALIDATE_FAIL_UNCHANGED)
		complain(c, "validating a validated 2 MiB page: result, want 0x80001010", res,
			 SVSM_PVALIDATE_FAIL_UNCHANGED);
	ok = convert_range(c, FRAME, FRAME, SHARED) && ok;
	report(c, e, ok, "2M frame private/shared (2M PSC entry, 2M PVALIDATE)");
}

/* Batches across the 2 MiB boundary: odd pages in one request, then the whole range
 * (only the even pages change; the odd ones keep their data), then a range astride. */
static void s_cross(struct conv *c)
{
	uint64_t e = c->errors;
	bool ok = convert_set(c, FRAME - 31, 32, 2, PRIVATE);
	ok = convert_range(c, FRAME - 32, 64, PRIVATE) && ok;
	ok = audit(c) && ok;
	ok = convert_range(c, FRAME - 32, 64, SHARED) && ok;
	ok = convert_range(c, FRAME - 12, 24, PRIVATE) && ok;
	ok = convert_range(c, FRAME - 12, 24, SHARED) && ok;
	ok = audit(c) && ok;
	report(c, e, ok, "batched ranges across the 2M boundary, with holes");
}

/* PSC to private without PVALIDATE: a private access faults #VC 404h; validated, it works. */
static void s_not_validated(struct conv *c)
{
	uint64_t e = c->errors, gpa = page_gpa(c, 100);
	uint64_t ent = snp_psc_entry(gpa >> 12, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	bool ok = c->state[100] == SHARED && psc_list(&ent, 1) == 0;
	ok = ok && expect_vc404(c, 100);
	uint32_t res = svsm_pv_one(gpa, SVSM_PVALIDATE_SIZE_4K, 1);
	if (res != SVSM_SUCCESS)
		complain(c, "PVALIDATE after the #VC: result", res, 0);
	c->state[100] = PRIVATE;
	struct guest_cpu *g = &cpus[cpu_of(c)];
	uint64_t v = 0;
	g->probe_armed = 1;
	if (probe_read64(gpa_ptr(gpa), &v))
		complain(c, "validated page still faults: vector, error", g->probe_vector,
			 g->probe_error);
	g->probe_armed = 0;
	fill(c, 100);
	ok = verify(c, 100, "validated after #VC") && ok;
	ok = convert_range(c, 100, 1, SHARED) && ok;
	report(c, e, ok, "private page not validated: access takes #VC 0x404 with CR2");
}

/* A private access to a shared page: implicit conversion, then #VC 404h. */
static void s_implicit(struct conv *c)
{
	uint64_t e = c->errors, gpa = page_gpa(c, 101);
	bool ok = c->state[101] == SHARED && expect_vc404(c, 101);
	uint32_t res = svsm_pv_one(gpa, SVSM_PVALIDATE_SIZE_4K, 1);
	if (res != SVSM_SUCCESS)
		complain(c, "PVALIDATE of the implicitly converted page: result", res, 0);
	c->state[101] = PRIVATE;
	fill(c, 101);
	ok = verify(c, 101, "implicitly converted") && ok;
	ok = convert_range(c, 101, 1, SHARED) && ok;
	report(c, e, ok, "implicit conversion: private access to a shared page, #VC 0x404");
}

/*
 * A validated private page that the host turns shared and private again must need a new
 * PVALIDATE (the new RMP assignment is not validated). Returns the SVSM's result:
 * SVSM_SUCCESS from an honest host, 0x80001010 (unchanged) when the host only claimed the
 * page state changes. The page ends private and validated either way.
 */
static uint32_t rmp_really_changed(struct conv *c, unsigned int p)
{
	if (c->state[p] != PRIVATE)
		(void)convert_range(c, p, 1, PRIVATE);
	uint64_t gfn = page_gpa(c, p) >> 12;
	/* Deliberately without the rescind the spec asks for: only the host's change of the
	 * RMP entry can clear Validated. */
	uint64_t sh = snp_psc_entry(gfn, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_4K, 0);
	uint64_t pr = snp_psc_entry(gfn, SNP_PSC_OP_PRIVATE, SNP_PSC_PAGE_4K, 0);
	if (psc_list(&sh, 1) || psc_list(&pr, 1))
		complain(c, "page state change refused: gfn", gfn, 0);
	uint32_t res = svsm_pv_one(page_gpa(c, p), SVSM_PVALIDATE_SIZE_4K, 1);
	fill(c, p); /* a fresh page's contents are not defined */
	return res;
}

static void s_rmp_changed(struct conv *c)
{
	uint64_t e = c->errors;
	uint32_t res = rmp_really_changed(c, 102);
	if (res != SVSM_SUCCESS)
		complain(c, "shared and private again, PVALIDATE: result (0x80001010: host lied)",
			 res, 0);
	bool ok = convert_range(c, 102, 1, SHARED);
	report(c, e, ok, "host really changes the RMP: shared+private needs a new PVALIDATE");
}

/*
 * `n` random conversions (range 1..64 pages or a whole frame, random direction), counting
 * only requests that changed a page (a range already in the target state costs nothing).
 */
static bool random_ops(struct conv *c, uint64_t n, bool progress)
{
	uint64_t e = c->errors, ops0 = c->ops, done = 0;
	for (uint64_t tries = 0; done < n && c->errors == e && tries < 8 * n + 64; tries++) {
		uint64_t r = rnd(c);
		unsigned int first, len;
		if ((r & 7) == 0) {
			first = (unsigned int)((r >> 8) % FRAMES) * FRAME;
			len = FRAME;
		} else {
			first = (unsigned int)((r >> 8) % PAGES);
			len = 1 + (unsigned int)((r >> 24) % 64);
			if (first + len > PAGES)
				len = PAGES - first;
		}
		(void)convert_range(c, first, len, (r >> 40) & 1 ? PRIVATE : SHARED);
		if (c->ops - ops0 == done)
			continue;
		done = c->ops - ops0;
		if (done % 1000 == 0)
			(void)audit(c);
		if (progress && done % 10000 == 0)
			printf_g("# stress vCPU %u: %llu conversions\n", cpu_of(c),
				 (unsigned long long)done);
	}
	if (done < n)
		complain(c, "random conversions: done, asked", done, n);
	return audit(c) && c->errors == e;
}

/* Every page against the model; a sample of private pages re-validated: unchanged. */
static void s_final(struct conv *c)
{
	uint64_t e = c->errors;
	bool ok = audit(c);
	unsigned int checked = 0;
	for (unsigned int p = 0; p < PAGES && checked < 8; p += 37) {
		if (c->state[p] != PRIVATE)
			continue;
		checked++;
		unsigned int size = c->big[p / FRAME] ? SVSM_PVALIDATE_SIZE_2M : 0;
		uint64_t gpa = size ? page_gpa(c, p & ~(FRAME - 1)) : page_gpa(c, p);
		uint32_t res = svsm_pv_one(gpa, size, 1);
		if (res != SVSM_PVALIDATE_FAIL_UNCHANGED)
			complain(c, "final: private page validated again: result, gpa", res, gpa);
	}
	report(c, e, ok, "final audit: data as written, private pages still validated");
}

/*
 * All vCPUs at once in one 2 MiB frame, vCPU c on pages c, c + n, c + 2n, ...: each of its
 * requests is a batch of 4 KiB entries interleaved with the other vCPUs' pages, so the host
 * splits and changes RMP entries of one frame for several vCPUs concurrently. Every vCPU
 * checks its own pages after each round.
 */
static void s_common_frame(unsigned int cpu)
{
	struct conv *f = &frame_convs[cpu];
	unsigned int nr = params.nr_cpus, n = (FRAME - cpu + nr - 1) / nr;
	f->cpu = cpu;
	f->base = GUEST_COMMON_FRAME;
	for (unsigned int p = cpu; p < FRAME; p += nr) {
		f->state[p] = SHARED;
		fill(f, p);
	}
	bool ok = true;
	for (unsigned int r = 0; r < 8 && ok; r++) {
		ok = convert_set(f, cpu, n, nr, PRIVATE) && ok;
		for (unsigned int p = cpu; p < FRAME; p += nr)
			ok = verify(f, p, "common frame, private") && ok;
		ok = convert_set(f, cpu, n, nr, SHARED) && ok;
		for (unsigned int p = cpu; p < FRAME; p += nr)
			ok = verify(f, p, "common frame, shared") && ok;
	}
	tap(ok && f->errors == 0,
	    "convert vCPU %u: one 2M frame shared by %u vCPUs, interleaved pages, 8 rounds", cpu,
	    nr);
}

void convert_prepare(void)
{
	/* Nothing validated, everything shared, before the vCPUs share the frame. */
	struct conv *c = &frame_convs[0];
	for (unsigned int p = 0; p < FRAME; p++)
		c->pv[p] = svsm_pvalidate_entry((GUEST_COMMON_FRAME >> 12) + p, 0, 0, 1);
	c->psc[0] = snp_psc_entry(GUEST_COMMON_FRAME >> 12, SNP_PSC_OP_SHARED, SNP_PSC_PAGE_2M, 0);
	tap(svsm_pv_all(c, c->pv, FRAME) && psc_list(c->psc, 1) == 0,
	    "convert: common frame %#x rescinded and shared", GUEST_COMMON_FRAME);
}

static void conv_init(struct conv *c, unsigned int cpu)
{
	c->cpu = cpu;
	c->base = GUEST_CONV_BASE + (uint64_t)cpu * GUEST_CONV_SIZE;
	calls_before[cpu] = call_stats[cpu].calls;
	c->rng = mix64(arg_u64("seed", 1) * 0x9e3779b97f4a7c15ull + cpu + 1) | 1;
	/* Known start: nothing validated (rescind; "unchanged" is fine), everything shared. */
	for (unsigned int p = 0; p < PAGES; p++)
		c->pv[p] = svsm_pvalidate_entry((c->base >> 12) + p, 0, 0, 1);
	bool ok = svsm_pv_all(c, c->pv, PAGES);
	for (unsigned int f = 0; f < FRAMES; f++)
		c->psc[f] = snp_psc_entry((c->base >> 12) + f * FRAME, SNP_PSC_OP_SHARED,
					  SNP_PSC_PAGE_2M, 0);
	ok = ok && psc_list(c->psc, FRAMES) == 0;
	for (unsigned int p = 0; p < PAGES; p++) {
		c->state[p] = SHARED;
		fill(c, p);
	}
	tap(ok && audit(c), "convert vCPU %u: region %#llx+%#x made shared and written", cpu,
	    (unsigned long long)c->base, GUEST_CONV_SIZE);
}

void convert_scenarios(unsigned int cpu)
{
	struct conv *c = &convs[cpu];
	conv_init(c, cpu);
	s_4k(c);
	s_2m(c);
	s_cross(c);
	s_not_validated(c);
	s_implicit(c);
	s_rmp_changed(c);
	uint64_t n = arg_u64("random", 64), e = c->errors;
	report(c, e, random_ops(c, n, false), "random conversions (seeded) with audits");
	s_final(c);
	s_common_frame(cpu);
}

void convert_stress(unsigned int cpu)
{
	struct conv *c = &convs[cpu];
	uint64_t n = arg_u64("stress", 0) / params.nr_cpus, e = c->errors;
	bool ok = random_ops(c, n, true);
	tap(ok && c->errors == e,
	    "convert vCPU %u: stress: %llu random conversions, audits every 1000", cpu,
	    (unsigned long long)n);
}

/* ---- the host's view (harness words "hostcheck") ---- */

static uint32_t crc_table[256];

static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
	return (crc << 8) ^ crc_table[((crc >> 24) ^ b) & 0xff];
}

/* POSIX cksum (CRC-32, polynomial 04C11DB7h, length appended) of the model's data. */
static uint32_t cksum_run(const struct conv *c, unsigned int p, unsigned int n)
{
	uint32_t crc = 0;
	for (unsigned int q = p; q < p + n; q++)
		for (unsigned int i = 0; i < 512; i++) {
			uint64_t w = pattern(page_gpa(c, q) + 8ull * i, c->tag[q]);
			for (unsigned int b = 0; b < 8; b++)
				crc = crc_byte(crc, (uint8_t)(w >> (8 * b)));
		}
	for (uint64_t len = 4096ull * n; len; len >>= 8)
		crc = crc_byte(crc, (uint8_t)len);
	return ~crc;
}

/* Tell the harness, wait for its byte on COM2 (QMP ringbuf-write). */
static bool host_wait(const char *what)
{
	printf_g("# host-wait %s\n", what);
	for (uint64_t i = 0; i < 20000000ull; i++) {
		uint32_t lsr = 0, v = 0;
		if (ghcb_ioio_in(COM2_LSR, 1, &lsr) || lsr == 0xff)
			return false; /* no COM2: no harness */
		if (lsr & 1) {
			(void)ghcb_ioio_in(COM2, 1, &v);
			return v == 'g';
		}
	}
	return false;
}

static void host_check(void)
{
	for (unsigned int i = 0; i < 256; i++) {
		uint32_t r = i << 24;
		for (int b = 0; b < 8; b++)
			r = r & 0x80000000u ? (r << 1) ^ 0x04c11db7u : r << 1;
		crc_table[i] = r;
	}
	/* The random sequence may have left nothing shared (seen with 1 vCPU): then share
	 * one page of this vCPU's region, so the host always has a run to compare. */
	bool any = false;
	for (unsigned int cpu = 0; cpu < params.nr_cpus && !any; cpu++)
		for (unsigned int p = 0; p < PAGES && !any; p++)
			any = convs[cpu].state[p] == SHARED;
	if (!any)
		(void)convert_range(&convs[0], 0, 1, SHARED);
	unsigned int lines = 0;
	for (unsigned int cpu = 0; cpu < params.nr_cpus; cpu++) {
		const struct conv *c = &convs[cpu];
		for (unsigned int p = 0; p < PAGES && lines < 64;) {
			if (c->state[p] != SHARED) {
				p++;
				continue;
			}
			unsigned int n = 1;
			while (p + n < PAGES && c->state[p + n] == SHARED && n < 256)
				n++;
			printf_g("# host-check gpa=%#llx len=%u cksum=%u\n",
				 (unsigned long long)page_gpa(c, p), 4096 * n, cksum_run(c, p, n));
			lines++;
			p += n;
		}
	}
	tap(lines > 0 && host_wait("check"), "convert: %u shared runs announced to the host",
	    lines);
}

/* The lie-psc window: the harness turns the lie on, the BSP must catch it. */
static void lie_check(void)
{
	struct conv *c = &convs[0];
	if (!host_wait("lie-psc-on")) {
		tap(false, "convert: the harness did not answer (lie-psc on)");
		return;
	}
	uint32_t res = rmp_really_changed(c, 102);
	tap(res == SVSM_PVALIDATE_FAIL_UNCHANGED,
	    "convert: lying hypervisor detected: PSC claimed shared+private, page still "
	    "validated (SVSM result %#x, want 0x80001010)",
	    res);
	if (!host_wait("lie-psc-off")) {
		tap(false, "convert: the harness did not answer (lie-psc off)");
		return;
	}
	res = rmp_really_changed(c, 102);
	tap(res == SVSM_SUCCESS,
	    "convert: honest host again: the page needed a new PVALIDATE (%#x)", res);
	(void)convert_range(c, 102, 1, SHARED);
}

void convert_report(void)
{
	if (arg_flag("hostcheck")) {
		host_check();
		lie_check();
	} else {
		printf_g("# convert: host view and lie-psc not checked (no 'hostcheck' word: needs "
			 "the harness of tests/suites/82-upm-snp-guest.sh)\n");
	}
	uint64_t ops = 0, tp = 0, ts = 0, vc = 0, err = 0, req = 0, ent = 0, calls = 0;
	for (unsigned int i = 0; i < params.nr_cpus; i++) {
		ops += convs[i].ops + frame_convs[i].ops;
		tp += convs[i].to_private + frame_convs[i].to_private;
		ts += convs[i].to_shared + frame_convs[i].to_shared;
		vc += convs[i].vc404;
		err += convs[i].errors + frame_convs[i].errors;
		req += psc_stats[i].requests;
		ent += psc_stats[i].entries;
		calls += call_stats[i].calls - calls_before[i];
	}
	printf_g("# convert: %llu conversions on %u vCPUs (%llu pages to private, %llu to shared), "
		 "%llu PSC requests (%llu entries), %llu SVSM calls, %llu #VC 0x404 taken, "
		 "%llu errors\n",
		 (unsigned long long)ops, params.nr_cpus, (unsigned long long)tp,
		 (unsigned long long)ts, (unsigned long long)req, (unsigned long long)ent,
		 (unsigned long long)calls, (unsigned long long)vc, (unsigned long long)err);
}
