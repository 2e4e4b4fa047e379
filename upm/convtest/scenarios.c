// SPDX-License-Identifier: MIT
/*
 * Host side of the guest's commands (protocol.h): checks of the host view of guest
 * memory, libupm's page states, the audit against the guest's model, scenario results
 * and benchmark figures.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "convtest.h"

#define PAGE 0x1000ULL

/* Host view of guest memory, or NULL (and a recorded failure) if out of range. */
static uint8_t *hva_of(struct ct_vcpu *v, uint64_t gpa, uint64_t size)
{
	struct ct_vm *vm = v->vm;

	if (gpa + size <= CT_LOW_SIZE && gpa + size >= gpa)
		return vm->low + gpa;
	if (gpa >= CT_TEST_GPA && gpa + size <= CT_TEST_GPA + vm->test_size && gpa + size > gpa)
		return vm->test + (gpa - CT_TEST_GPA);
	return NULL;
}

static int host_fail(struct ct_vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int host_fail(struct ct_vcpu *v, const char *fmt, ...)
{
	va_list ap;

	if (!v->host_error[0]) {
		va_start(ap, fmt);
		vsnprintf(v->host_error, sizeof(v->host_error), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int cmd_expect(struct ct_vcpu *v, uint64_t gpa, uint64_t size, uint8_t want)
{
	const uint8_t *p = hva_of(v, gpa, size);

	if (!p)
		return host_fail(v, "expect: bad range 0x%" PRIx64 "+0x%" PRIx64, gpa, size);
	for (uint64_t i = 0; i < size; i++)
		if (p[i] != want)
			return host_fail(
				v, "host view of gpa 0x%" PRIx64 " is 0x%02x, expected 0x%02x",
				gpa + i, p[i], want);
	return 0;
}

static int cmd_absent(struct ct_vcpu *v, uint64_t gpa, uint64_t size, uint8_t secret)
{
	const uint8_t *p = hva_of(v, gpa, size);

	if (!p)
		return host_fail(v, "absent: bad range 0x%" PRIx64 "+0x%" PRIx64, gpa, size);
	const uint8_t *hit = memchr(p, secret, size);
	if (hit)
		return host_fail(v, "private data 0x%02x visible to the host at gpa 0x%" PRIx64,
				 secret, gpa + (uint64_t)(hit - p));
	return 0;
}

static int cmd_fill(struct ct_vcpu *v, uint64_t gpa, uint64_t size, uint8_t val)
{
	uint8_t *p = hva_of(v, gpa, size);

	if (!p)
		return host_fail(v, "fill: bad range 0x%" PRIx64 "+0x%" PRIx64, gpa, size);
	memset(p, val, size);
	return 0;
}

static int cmd_state(struct ct_vcpu *v, uint64_t gpa, uint64_t size, uint64_t want)
{
	int64_t n = upm_count_private(v->vm->upm, gpa, size);

	if (n < 0 || (uint64_t)n != want)
		return host_fail(v,
				 "libupm counts %" PRId64 " private pages in 0x%" PRIx64
				 "+0x%" PRIx64 ", expected %" PRIu64 " (%s)",
				 n, gpa, size, want, n < 0 ? upm_last_error(v->vm->upm) : "");
	return 0;
}

/*
 * The guest's model against libupm and against what KVM actually mapped: a shared page's
 * first qword (written by the guest) must show in the host view; a private page's must
 * not, and the host view holds the stale tag (zero once discarded).
 */
static int cmd_audit(struct ct_vcpu *v, uint64_t gpa, uint64_t size)
{
	const volatile struct ct_model *m =
		(const volatile struct ct_model *)(v->vm->low + CT_MODEL_GPA(v->idx));
	const uint64_t pages = size / PAGE;

	if (pages > CT_REGION_PAGES || !hva_of(v, gpa, size))
		return host_fail(v, "audit: bad range");
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t g = gpa + i * PAGE, seen;
		int st = upm_is_private(v->vm->upm, g);

		memcpy(&seen, hva_of(v, g, 8), 8);
		if (st != (int)m[i].is_private)
			return host_fail(v, "gpa 0x%" PRIx64 ": libupm says %s, guest says %s", g,
					 st ? "private" : "shared",
					 m[i].is_private ? "private" : "shared");
		if (!st && seen != m[i].tag)
			return host_fail(v,
					 "shared gpa 0x%" PRIx64 ": host sees 0x%" PRIx64
					 ", guest wrote 0x%" PRIx64,
					 g, seen, m[i].tag);
		if (st && seen == m[i].tag && seen)
			return host_fail(v,
					 "private gpa 0x%" PRIx64 ": guest data 0x%" PRIx64
					 " visible to the host",
					 g, seen);
		if (st && seen != m[i].stale_tag)
			return host_fail(v,
					 "private gpa 0x%" PRIx64 ": host view 0x%" PRIx64
					 ", expected the stale copy 0x%" PRIx64,
					 g, seen, m[i].stale_tag);
	}
	return 0;
}

void ct_barrier_leave(struct ct_vm *vm)
{
	pthread_mutex_lock(&vm->bar_lock);
	vm->bar_alive--;
	if (vm->bar_waiting && vm->bar_waiting >= vm->bar_alive) {
		vm->bar_waiting = 0;
		vm->bar_gen++;
		pthread_cond_broadcast(&vm->bar_cond);
	}
	pthread_mutex_unlock(&vm->bar_lock);
}

static void barrier_wait(struct ct_vm *vm)
{
	pthread_mutex_lock(&vm->bar_lock);
	unsigned int gen = vm->bar_gen;
	if (++vm->bar_waiting >= vm->bar_alive) {
		vm->bar_waiting = 0;
		vm->bar_gen++;
		pthread_cond_broadcast(&vm->bar_cond);
	} else {
		while (gen == vm->bar_gen)
			pthread_cond_wait(&vm->bar_cond, &vm->bar_lock);
	}
	pthread_mutex_unlock(&vm->bar_lock);
}

static void begin(struct ct_vcpu *v, int scenario)
{
	v->scenario = scenario;
	v->host_error[0] = '\0';
	upm_get_stats(v->vm->upm, &v->s0);
	v->conv0 = v->mb->conversions;
	v->hc0 = v->mb->hypercalls;
	v->t0_ns = ct_now_ns();
}

static void bench_report(struct ct_vcpu *v, int scenario)
{
	struct upm_stats s;
	double secs = (double)(ct_now_ns() - v->t0_ns) / 1e9;
	uint64_t conv = v->mb->conversions - v->conv0;

	upm_get_stats(v->vm->upm, &s);
	uint64_t exits = s.hypercall_exits - v->s0.hypercall_exits;
	uint64_t attr = s.attr_calls - v->s0.attr_calls;
	uint64_t bytes = s.bytes_converted - v->s0.bytes_converted;
	uint64_t lib_ns = s.time_ns - v->s0.time_ns;

	printf("# bench %s: %" PRIu64 " conversions (contiguous ranges) in %.3f s = %.0f "
	       "conversions/s, %.1f MiB/s converted\n",
	       scenario == CT_SC_BENCH_2M ? "2M" : "4K", conv, secs, conv / secs,
	       (double)bytes / (1 << 20) / secs);
	printf("# bench %s: exits per contiguous range %.2f; KVM_SET_MEMORY_ATTRIBUTES calls per "
	       "range %.2f; libupm time per conversion %.1f us\n",
	       scenario == CT_SC_BENCH_2M ? "2M" : "4K", conv ? (double)exits / conv : 0.0,
	       conv ? (double)attr / conv : 0.0, conv ? (double)lib_ns / conv / 1e3 : 0.0);
	if (scenario == CT_SC_BENCH_4K)
		printf("# bench 4K: a 2M frame converted page by page costs %.0f exits; as one "
		       "range (bench 2M) it costs 1\n",
		       conv ? (double)exits / conv * 512 : 0.0);
	fflush(stdout);
}

static void end(struct ct_vcpu *v, int scenario, bool guest_ok)
{
	const char *name = ct_scenario_name(scenario);
	bool ok = guest_ok && !v->host_error[0];

	if (scenario == CT_SC_BENCH_4K || scenario == CT_SC_BENCH_2M)
		bench_report(v, scenario);
	if (ok) {
		ct_result(v->vm, true, "%s (vcpu %u)", name, v->idx);
	} else if (v->host_error[0]) {
		ct_result(v->vm, false, "%s (vcpu %u): %s", name, v->idx, v->host_error);
	} else {
		ct_result(v->vm, false,
			  "%s (vcpu %u): guest check at guest.c:%u: gpa 0x%" PRIx64
			  " expected 0x%" PRIx64 " got 0x%" PRIx64,
			  name, v->idx, v->mb->fail_line, v->mb->fail_gpa, v->mb->fail_expected,
			  v->mb->fail_got);
	}
	v->scenario = 0;
}

int ct_handle_command(struct ct_vcpu *v, uint32_t cmd)
{
	volatile struct ct_mailbox *mb = v->mb;
	uint64_t a0 = mb->arg[0], a1 = mb->arg[1], a2 = mb->arg[2];
	int rc = 0;

	switch (cmd) {
	case CT_CMD_BEGIN:
		begin(v, (int)a0);
		break;
	case CT_CMD_END:
		end(v, (int)a0, a1 != 0);
		break;
	case CT_CMD_HOST_EXPECT:
		rc = cmd_expect(v, a0, a1, (uint8_t)a2);
		break;
	case CT_CMD_HOST_ABSENT:
		rc = cmd_absent(v, a0, a1, (uint8_t)a2);
		break;
	case CT_CMD_HOST_FILL:
		rc = cmd_fill(v, a0, a1, (uint8_t)a2);
		break;
	case CT_CMD_HOST_STATE:
		rc = cmd_state(v, a0, a1, a2);
		break;
	case CT_CMD_HOST_AUDIT:
		rc = cmd_audit(v, a0, a1);
		/* progress of long runs (a stall shows where it happened) */
		if (v->vm->opt.iterations >= 10000 && mb->iteration && mb->iteration % 10000 == 0)
			printf("# vcpu %u: audit %s at random iteration %" PRIu64 "\n", v->idx,
			       rc ? "FAILED" : "ok", mb->iteration);
		break;
	case CT_CMD_BARRIER:
		barrier_wait(v->vm);
		break;
	case CT_CMD_LOG:
		printf("# vcpu %u: %.*s\n", v->idx, (int)sizeof(mb->text), (const char *)mb->text);
		break;
	case CT_CMD_DONE:
		return 1;
	case CT_CMD_EXCEPTION:
		ct_result(v->vm, false,
			  "vcpu %u: guest exception %" PRIu64 " error 0x%" PRIx64
			  " at rip 0x%" PRIx64 " rsp 0x%" PRIx64 " rflags 0x%" PRIx64
			  " cr2 0x%" PRIx64 " during '%s'",
			  v->idx, mb->exc_vector, mb->exc_error, mb->exc_rip, mb->exc_rsp,
			  mb->exc_rflags, mb->exc_cr2, ct_scenario_name(v->scenario));
		return -1;
	default:
		rc = host_fail(v, "unknown command %u", cmd);
		break;
	}
	mb->result = rc;
	return 0;
}
