// SPDX-License-Identifier: MIT
/* upm-convtest output: "ok - NAME" / "not ok - NAME" lines and the libupm counters. */
#include <stdarg.h>
#include <stdio.h>

#include "convtest.h"

const char *ct_scenario_name(int scenario)
{
	switch (scenario) {
	case CT_SC_SINGLE_4K:
		return "single 4K page round trip";
	case CT_SC_WHOLE_2M:
		return "whole 2M frame round trip";
	case CT_SC_CROSS_2M:
		return "range crossing a 2M boundary, with holes";
	case CT_SC_HC_ERRORS:
		return "bad MAP_GPA_RANGE requests rejected without change";
	case CT_SC_RANDOM:
		return "random conversions with integrity audits";
	case CT_SC_SHARED_FRAME:
		return "all vCPUs converting one 2M frame at once";
	case CT_SC_FINAL:
		return "final attributes consistent (guest, host view, libupm)";
	case CT_SC_BENCH_4K:
		return "bench 4K";
	case CT_SC_BENCH_2M:
		return "bench 2M";
	default:
		return "unknown scenario";
	}
}

void ct_result(struct ct_vm *vm, bool ok, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->out_lock);
	printf("%s - upm-convtest %s: ", ok ? "ok" : "not ok", vm->label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (ok)
		vm->passed++;
	else
		vm->failed++;
	pthread_mutex_unlock(&vm->out_lock);
}

void ct_print_stats(const char *what, const struct upm_stats *s)
{
	printf("# %s: conversions to private %llu, to shared %llu, no-op %llu; pages to private "
	       "%llu, to shared %llu; bytes %llu; runs %llu\n",
	       what, (unsigned long long)s->to_private, (unsigned long long)s->to_shared,
	       (unsigned long long)s->noop_requests, (unsigned long long)s->pages_to_private,
	       (unsigned long long)s->pages_to_shared, (unsigned long long)s->bytes_converted,
	       (unsigned long long)s->runs);
	printf("# %s: exits: hypercall %llu, memory fault %llu (spurious %llu); calls: "
	       "set_attributes %llu, private discards %llu, shared discards %llu (%llu bytes); "
	       "rejected %llu, kernel errors %llu; time %.3f ms\n",
	       what, (unsigned long long)s->hypercall_exits, (unsigned long long)s->fault_exits,
	       (unsigned long long)s->spurious_faults, (unsigned long long)s->attr_calls,
	       (unsigned long long)s->private_discard_calls,
	       (unsigned long long)s->shared_discard_calls, (unsigned long long)s->discarded_bytes,
	       (unsigned long long)s->rejected, (unsigned long long)s->kernel_errors,
	       (double)s->time_ns / 1e6);
	fflush(stdout);
}
