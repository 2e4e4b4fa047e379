// SPDX-License-Identifier: MIT
/*
 * upm-convtest guest payload (freestanding, 64-bit, ring 0, identity-mapped).
 *
 * Converts pages of its own region explicitly with KVM_HC_MAP_GPA_RANGE and checks,
 * together with the host (commands in protocol.h), what each side sees:
 *   - data written while shared is visible to the host, and the reverse;
 *   - data written while private never shows up in the host's view;
 *   - after a conversion the new view holds what the discard policy says: zero when
 *     the stale copy is discarded (default), the old contents of that view when kept;
 *   - libupm's page states match the guest's model and KVM's actual mapping.
 * No per-vCPU data lives in globals: all vCPUs run this same image at once.
 */
#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"
#include "x86/desc.h"
#include "x86/kvm-hypercall.h"

#define PAGE 0x1000ULL
#define M2   0x200000ULL

struct ctx {
	volatile struct ct_mailbox *mb;
	volatile struct ct_model *model;
	uint64_t region;
	bool keep;
	bool ok; /* the current scenario */
	uint64_t rng;
};

/* Guest memory is identity-mapped: a guest physical address is a pointer. */
static volatile uint64_t *qword(uint64_t gpa)
{
	return (volatile uint64_t *)(uintptr_t)gpa; // NOLINT(performance-no-int-to-ptr)
}

static void out_cmd(uint32_t cmd)
{
	__asm__ volatile("outl %0, %1" : : "a"(cmd), "Nd"((uint16_t)CT_PORT) : "memory");
}

static int64_t host(struct ctx *c, uint32_t cmd, uint64_t a0, uint64_t a1, uint64_t a2)
{
	c->mb->arg[0] = a0;
	c->mb->arg[1] = a1;
	c->mb->arg[2] = a2;
	c->mb->result = 0;
	out_cmd(cmd);
	return c->mb->result;
}

static void fail(struct ctx *c, unsigned int line, uint64_t gpa, uint64_t want, uint64_t got)
{
	if (c->ok) { /* keep the first failure */
		c->mb->fail_line = line;
		c->mb->fail_gpa = gpa;
		c->mb->fail_expected = want;
		c->mb->fail_got = got;
	}
	c->ok = false;
}

#define CHECK(c, cond, gpa, want, got)                             \
	do {                                                       \
		if (!(cond))                                       \
			fail((c), __LINE__, (gpa), (want), (got)); \
	} while (0)

/* Host-side checks: a nonzero result is a failure the host has already described. */
#define HOST(c, cmd, a0, a1, a2)                            \
	do {                                                \
		if (host((c), (cmd), (a0), (a1), (a2)))     \
			fail((c), __LINE__, (a0), (a2), 0); \
	} while (0)

static uint64_t hypercall(struct ctx *c, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint64_t ret;

	c->mb->last_hc[0] = a0; /* breadcrumbs for the host if the vCPU dies */
	c->mb->last_hc[1] = a1;
	c->mb->last_hc[2] = a2;
	/* hypercalls.rst: number in RAX, arguments in RBX, RCX, RDX; result in RAX. */
	if (c->mb->flags & CT_F_VMMCALL)
		__asm__ volatile("vmmcall"
				 : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2)
				 : "memory");
	else
		__asm__ volatile("vmcall"
				 : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2)
				 : "memory");
	c->mb->hypercalls++;
	return ret;
}

static uint64_t map_gpa(struct ctx *c, uint64_t gpa, uint64_t size, bool to_private)
{
	uint64_t attrs = to_private ? KVM_MAP_GPA_ENCRYPTED : 0;

	if (!(gpa & (M2 - 1)) && !(size & (M2 - 1)))
		attrs |= KVM_MAP_GPA_PAGE_SZ_2M; /* the hint: whole 2M frames */
	return hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, gpa, size / PAGE, attrs);
}

static volatile struct ct_model *model_of(struct ctx *c, uint64_t gpa)
{
	if (gpa < c->region || gpa >= c->region + CT_REGION_SIZE)
		return 0;
	return &c->model[(gpa - c->region) / PAGE];
}

/* Converts and keeps the model: the stale view keeps its data only with CT_F_KEEP. */
static void convert(struct ctx *c, uint64_t gpa, uint64_t size, bool to_private)
{
	uint64_t ret = map_gpa(c, gpa, size, to_private);

	CHECK(c, ret == 0, gpa, 0, ret);
	c->mb->conversions++;
	for (uint64_t p = gpa; p < gpa + size; p += PAGE) {
		volatile struct ct_model *m = model_of(c, p);

		if (!m || m->is_private == to_private)
			continue;
		uint64_t now = m->tag;
		m->tag = m->stale_tag;
		m->stale_tag = c->keep ? now : 0;
		m->is_private = to_private;
	}
}

static void fill(uint64_t gpa, uint64_t size, uint8_t v)
{
	uint64_t q = 0x0101010101010101ULL * v;

	for (uint64_t a = gpa; a < gpa + size; a += 8)
		*qword(a) = q;
}

static void check(struct ctx *c, unsigned int line, uint64_t gpa, uint64_t size, uint8_t v)
{
	uint64_t q = 0x0101010101010101ULL * v;

	for (uint64_t a = gpa; a < gpa + size; a += 8) {
		uint64_t got = *qword(a);

		if (got != q) {
			fail(c, line, a, q, got);
			return;
		}
	}
}
#define CHECK_MEM(c, gpa, size, v) check((c), __LINE__, (gpa), (size), (v))

/* Sets the model of [gpa, +size) after byte fills (first qword = the fill pattern). */
static void model_fill(struct ctx *c, uint64_t gpa, uint64_t size, uint8_t v)
{
	for (uint64_t p = gpa; p < gpa + size; p += PAGE) {
		volatile struct ct_model *m = model_of(c, p);

		if (m)
			m->tag = 0x0101010101010101ULL * v;
	}
}

static void begin(struct ctx *c, enum ct_scenario s)
{
	c->ok = true;
	c->mb->fail_line = 0;
	host(c, CT_CMD_BEGIN, s, 0, 0);
}

static void end(struct ctx *c, enum ct_scenario s)
{
	host(c, CT_CMD_END, s, c->ok, 0);
}

/*
 * One page or frame through a full round trip. A: guest's shared data, B: host's shared
 * data, C: private data, D: shared data written after coming back.
 */
static void round_trip(struct ctx *c, uint64_t gpa, uint64_t size, uint8_t base)
{
	const uint8_t A = base, B = base + 1, C = base + 2, D = base + 3;
	const uint64_t pages = size / PAGE;

	HOST(c, CT_CMD_HOST_STATE, gpa, size, 0);
	fill(gpa, size, A);
	HOST(c, CT_CMD_HOST_EXPECT, gpa, size, A); /* shared write visible to the host */
	HOST(c, CT_CMD_HOST_FILL, gpa, size, B);
	CHECK_MEM(c, gpa, size, B); /* and the host's write to the guest */

	convert(c, gpa, size, true);
	HOST(c, CT_CMD_HOST_STATE, gpa, size, pages);
	CHECK_MEM(c, gpa, size, 0); /* fresh private memory reads zero either way */
	fill(gpa, size, C);
	HOST(c, CT_CMD_HOST_ABSENT, gpa, size, C); /* private data never visible */
	HOST(c, CT_CMD_HOST_EXPECT, gpa, size, c->keep ? B : 0);

	convert(c, gpa, size, false);
	HOST(c, CT_CMD_HOST_STATE, gpa, size, 0);
	CHECK_MEM(c, gpa, size, c->keep ? B : 0);
	fill(gpa, size, D);
	HOST(c, CT_CMD_HOST_EXPECT, gpa, size, D);

	convert(c, gpa, size, true); /* private data: destroyed by the hole punch, or kept */
	CHECK_MEM(c, gpa, size, c->keep ? C : 0);
	HOST(c, CT_CMD_HOST_ABSENT, gpa, size, C);
	convert(c, gpa, size, false);
	CHECK_MEM(c, gpa, size, c->keep ? D : 0);
	fill(gpa, size, 0);
	model_fill(c, gpa, size, 0);
	/* Reset the stale views too, so later scenarios start from zeroes everywhere. */
	if (c->keep) {
		convert(c, gpa, size, true);
		fill(gpa, size, 0);
		convert(c, gpa, size, false);
	}
	for (uint64_t p = gpa; p < gpa + size; p += PAGE) {
		volatile struct ct_model *m = model_of(c, p);

		if (m)
			m->tag = m->stale_tag = 0;
	}
}

static void sc_single_4k(struct ctx *c)
{
	begin(c, CT_SC_SINGLE_4K);
	round_trip(c, c->region + PAGE, PAGE, 0x10); /* not 2M aligned on purpose */
	end(c, CT_SC_SINGLE_4K);
}

static void sc_whole_2m(struct ctx *c)
{
	begin(c, CT_SC_WHOLE_2M);
	round_trip(c, c->region + M2, M2, 0x20);
	end(c, CT_SC_WHOLE_2M);
}

/* 16 pages around the 2M boundary, with holes: odd pages go back and forth alone. */
static void sc_cross_2m(struct ctx *c)
{
	const uint64_t r = c->region + M2 - 8 * PAGE, n = 16;

	begin(c, CT_SC_CROSS_2M);
	fill(r, n * PAGE, 0x55);
	convert(c, r, n * PAGE, true); /* one hypercall over the boundary */
	fill(r, n * PAGE, 0x66);
	HOST(c, CT_CMD_HOST_ABSENT, r, n * PAGE, 0x66);
	HOST(c, CT_CMD_HOST_STATE, r, n * PAGE, n);
	for (uint64_t i = 1; i < n; i += 2) {
		convert(c, r + i * PAGE, PAGE, false);
		CHECK_MEM(c, r + i * PAGE, PAGE, c->keep ? 0x55 : 0);
		fill(r + i * PAGE, PAGE, 0x77);
		HOST(c, CT_CMD_HOST_EXPECT, r + i * PAGE, PAGE, 0x77);
	}
	HOST(c, CT_CMD_HOST_STATE, r, n * PAGE, n / 2);
	for (uint64_t i = 0; i < n; i += 2) {
		CHECK_MEM(c, r + i * PAGE, PAGE, 0x66);
		HOST(c, CT_CMD_HOST_ABSENT, r + i * PAGE, PAGE, 0x66);
	}
	/* Whole range to shared: libupm merges the even-page runs per 2M frame; the odd
	 * (already shared) pages must keep their data. */
	convert(c, r, n * PAGE, false);
	HOST(c, CT_CMD_HOST_STATE, r, n * PAGE, 0);
	for (uint64_t i = 0; i < n; i++)
		CHECK_MEM(c, r + i * PAGE, PAGE, (i & 1) ? 0x77 : (c->keep ? 0x55 : 0));
	/* Odd pages private with new data, then the whole range private: they keep it. */
	for (uint64_t i = 1; i < n; i += 2) {
		convert(c, r + i * PAGE, PAGE, true);
		fill(r + i * PAGE, PAGE, 0x88);
	}
	convert(c, r, n * PAGE, true);
	HOST(c, CT_CMD_HOST_STATE, r, n * PAGE, n);
	for (uint64_t i = 1; i < n; i += 2)
		CHECK_MEM(c, r + i * PAGE, PAGE, 0x88);
	HOST(c, CT_CMD_HOST_ABSENT, r, n * PAGE, 0x88);
	convert(c, r, n * PAGE, false);
	fill(r, n * PAGE, 0);
	if (c->keep) {
		convert(c, r, n * PAGE, true);
		fill(r, n * PAGE, 0);
		convert(c, r, n * PAGE, false);
	}
	for (uint64_t i = 0; i < n; i++) {
		volatile struct ct_model *m = model_of(c, r + i * PAGE);

		m->tag = m->stale_tag = 0;
	}
	end(c, CT_SC_CROSS_2M);
}

/* Bad requests: rejected (by KVM or by libupm) and nothing changes. */
static void sc_hc_errors(struct ctx *c)
{
	const uint64_t einval = (uint64_t) - (int64_t)KVM_HC_ERR_EINVAL;
	const uint64_t efault = (uint64_t) - (int64_t)KVM_HC_ERR_EFAULT;
	uint64_t ret;

	begin(c, CT_SC_HC_ERRORS);
	ret = hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, c->region + 0x800, 1,
			KVM_MAP_GPA_ENCRYPTED); /* misaligned: KVM refuses */
	CHECK(c, ret == einval, c->region, einval, ret);
	ret = hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, c->region, 0, KVM_MAP_GPA_ENCRYPTED);
	CHECK(c, ret == einval, c->region, einval, ret); /* no pages: KVM refuses */
	ret = hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, c->region, 1, 1ULL << 5);
	CHECK(c, ret == einval, c->region, einval, ret); /* reserved attribute bit: libupm */
	ret = hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, CT_CODE_GPA, 1, KVM_MAP_GPA_ENCRYPTED);
	CHECK(c, ret == efault, CT_CODE_GPA, efault, ret); /* not a guest_memfd slot */
	/* starts in our region, runs past the end of the slot: all or nothing */
	ret = hypercall(c, KVM_HYPERCALL_MAP_GPA_RANGE, c->region,
			CT_SLOT1_SIZE(c->mb->nr_vcpus) / PAGE + 1, KVM_MAP_GPA_ENCRYPTED);
	CHECK(c, ret == efault, c->region, efault, ret);
	HOST(c, CT_CMD_HOST_STATE, c->region, CT_REGION_SIZE, 0);
	end(c, CT_SC_HC_ERRORS);
}

static uint64_t rnd(struct ctx *c)
{
	/* xorshift64 */
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng;
}

/* Guest side of an audit: every page's current view holds the model's tag. */
static void audit(struct ctx *c)
{
	for (uint64_t i = 0; i < CT_REGION_PAGES; i++) {
		uint64_t gpa = c->region + i * PAGE;
		uint64_t got = *qword(gpa);

		CHECK(c, got == c->model[i].tag, gpa, c->model[i].tag, got);
	}
	HOST(c, CT_CMD_HOST_AUDIT, c->region, CT_REGION_SIZE, 0);
}

/* Random ranges (4K to 2M, some 2M aligned) in random directions, with integrity checks. */
static void sc_random(struct ctx *c)
{
	uint64_t iters = c->mb->iterations, every = c->mb->audit_every;

	begin(c, CT_SC_RANDOM);
	for (uint64_t it = 1; it <= iters && c->ok; it++) {
		uint64_t r = rnd(c), first, count;

		c->mb->iteration = it;
		bool to_private = (r >> 8) & 1;

		if ((r & 0xf) == 0) { /* a whole 2M frame */
			first = ((r >> 16) & 1) * (M2 / PAGE);
			count = M2 / PAGE;
		} else {
			first = (r >> 16) % CT_REGION_PAGES;
			count = 1 + (r >> 32) % ((r & 0x10) ? 64 : 4);
			if (first + count > CT_REGION_PAGES)
				count = CT_REGION_PAGES - first;
		}
		/* After it, changed pages show their stale view (zero unless kept) and pages
		 * already in the target state keep their data: convert() updates the model. */
		convert(c, c->region + first * PAGE, count * PAGE, to_private);
		for (uint64_t i = first; i < first + count; i++) {
			uint64_t gpa = c->region + i * PAGE;
			uint64_t got = *qword(gpa);
			uint64_t tag = (it << 24) | (i << 1) | (to_private ? 1 : 0) | (1ULL << 63);

			CHECK(c, got == c->model[i].tag, gpa, c->model[i].tag, got);
			*qword(gpa) = tag;
			c->model[i].tag = tag;
		}
		if (every && it % every == 0)
			audit(c);
	}
	audit(c);
	c->mb->iteration = 0;
	end(c, CT_SC_RANDOM);
}

/* All vCPUs convert interleaved pages of one shared 2M frame at the same time. */
static void sc_shared_frame(struct ctx *c)
{
	const uint64_t frame = CT_FRAME_GPA(c->mb->nr_vcpus);
	const uint32_t n = c->mb->nr_vcpus, me = c->mb->vcpu;

	host(c, CT_CMD_BARRIER, 1, 0, 0);
	begin(c, CT_SC_SHARED_FRAME);
	for (uint64_t round = 0; round < c->mb->frame_rounds && c->ok; round++) {
		uint8_t v = (uint8_t)(0x40 + round * 2 + (me & 1));
		/* both views of a page hold the previous round's data when stale copies are kept */
		uint8_t prev = round ? (uint8_t)(v - 2) : 0;

		for (uint64_t i = me; i < M2 / PAGE; i += n * 8) {
			uint64_t gpa = frame + i * PAGE;

			uint64_t ret = map_gpa(c, gpa, PAGE, true);
			CHECK(c, ret == 0, gpa, 0, ret);
			CHECK_MEM(c, gpa, PAGE, c->keep ? prev : 0);
			fill(gpa, PAGE, v);
			HOST(c, CT_CMD_HOST_ABSENT, gpa, PAGE, v);
			ret = map_gpa(c, gpa, PAGE, false);
			CHECK(c, ret == 0, gpa, 0, ret);
			CHECK_MEM(c, gpa, PAGE, c->keep ? prev : 0);
			fill(gpa, PAGE, v);
			HOST(c, CT_CMD_HOST_EXPECT, gpa, PAGE, v);
		}
	}
	end(c, CT_SC_SHARED_FRAME);
	host(c, CT_CMD_BARRIER, 2, 0, 0);
}

/* Final: every page of the region in a random state, checked from both sides. */
static void sc_final(struct ctx *c)
{
	begin(c, CT_SC_FINAL);
	for (uint64_t i = 0; i < CT_REGION_PAGES; i++) {
		uint64_t gpa = c->region + i * PAGE;
		bool to_private = rnd(c) & 1;

		if (c->model[i].is_private != to_private)
			convert(c, gpa, PAGE, to_private);
		*qword(gpa) = c->model[i].tag = (i << 12) | 0xf1a1ULL | (1ULL << 62);
	}
	audit(c);
	convert(c, c->region, CT_REGION_SIZE, false);
	HOST(c, CT_CMD_HOST_STATE, c->region, CT_REGION_SIZE, 0);
	end(c, CT_SC_FINAL);
}

/* Benchmarks: the host times BEGIN..END. 4K: page by page; 2M: whole frames. */
static void sc_bench(struct ctx *c, enum ct_scenario s)
{
	const uint64_t step = s == CT_SC_BENCH_2M ? M2 : PAGE;
	const uint64_t rounds = s == CT_SC_BENCH_2M ? 64 : 1;

	begin(c, s);
	for (uint64_t r = 0; r < rounds; r++)
		for (int dir = 1; dir >= 0; dir--)
			for (uint64_t a = c->region; a < c->region + M2; a += step)
				convert(c, a, step, dir);
	end(c, s);
}

/* entry.S: the 32 exception stubs. */
extern const uint64_t guest_exc_stubs[X86_NUM_EXCEPTIONS];

/* One IDT per vCPU (each writes only its own), exceptions only: no interrupts are used. */
static struct idt_gate64 idt[CT_MAX_VCPUS][X86_NUM_EXCEPTIONS];

static void load_idt(uint64_t vcpu)
{
	struct idt_gate64 *g = idt[vcpu];
	struct desc_ptr64 ptr;

	for (unsigned int v = 0; v < X86_NUM_EXCEPTIONS; v++) {
		uint64_t a = guest_exc_stubs[v];

		g[v] = (struct idt_gate64){
			.offset_lo = (uint16_t)a,
			.selector = CT_SEL_CODE,
			.ist = 1, /* IST1: the host's TSS points it at CT_IST_TOP */
			.type_attr = DESC_PRESENT | GATE_TYPE_INT64,
			.offset_mid = (uint16_t)(a >> 16),
			.offset_hi = (uint32_t)(a >> 32),
		};
	}
	ptr.limit = sizeof(idt[0]) - 1;
	ptr.base = (uint64_t)(uintptr_t)g;
	__asm__ volatile("lidt %0" : : "m"(ptr) : "memory");
}

void guest_exception(const uint64_t *frame);

/*
 * Any exception is a test failure: report it (vector, error code, RIP, RSP, RFLAGS, CR2)
 * instead of letting it become a triple fault. frame: vector, error, RIP, CS, RFLAGS, RSP,
 * SS (entry.S). The mailbox is found through GS (its first field is the vCPU index).
 */
void guest_exception(const uint64_t *frame)
{
	uint32_t vcpu;
	uint64_t cr2;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(vcpu));
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	volatile struct ct_mailbox *mb = (volatile struct ct_mailbox *)qword(CT_MAILBOX(vcpu));

	mb->exc_vector = frame[0];
	mb->exc_error = frame[1];
	mb->exc_rip = frame[2];
	mb->exc_rflags = frame[4];
	mb->exc_rsp = frame[5];
	mb->exc_cr2 = cr2;
	out_cmd(CT_CMD_EXCEPTION);
}

static bool wanted(volatile struct ct_mailbox *mb, enum ct_scenario s)
{
	return !mb->scenarios || (mb->scenarios & (1U << s));
}

void guest_main(uint64_t vcpu, volatile struct ct_mailbox *mb);

void guest_main(uint64_t vcpu, volatile struct ct_mailbox *mb)
{
	struct ctx c = {
		.mb = mb,
		.model = (volatile struct ct_model *)qword(CT_MODEL_GPA(vcpu)),
		.region = CT_REGION(vcpu),
		.keep = (mb->flags & CT_F_KEEP) != 0,
		.ok = true,
		.rng = mb->seed | 1,
	};

	load_idt(vcpu);
	if (mb->flags & CT_F_BENCH) {
		sc_bench(&c, CT_SC_BENCH_4K);
		sc_bench(&c, CT_SC_BENCH_2M);
	} else {
		if (wanted(mb, CT_SC_SINGLE_4K))
			sc_single_4k(&c);
		if (wanted(mb, CT_SC_WHOLE_2M))
			sc_whole_2m(&c);
		if (wanted(mb, CT_SC_CROSS_2M))
			sc_cross_2m(&c);
		if (wanted(mb, CT_SC_HC_ERRORS))
			sc_hc_errors(&c);
		if (wanted(mb, CT_SC_RANDOM))
			sc_random(&c);
		if (wanted(mb, CT_SC_SHARED_FRAME))
			sc_shared_frame(&c);
		if (wanted(mb, CT_SC_FINAL))
			sc_final(&c);
	}
	host(&c, CT_CMD_DONE, 0, 0, 0);
}
