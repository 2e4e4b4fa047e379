/* SPDX-License-Identifier: MIT */
/*
 * upm-convtest guest <-> host protocol (ours, not an architectural ABI): memory layout,
 * the per-vCPU mailbox and the commands the guest sends with an OUT to CT_PORT.
 * Freestanding-safe: included by the guest payload and by the host tool.
 */
#ifndef UPM_CONVTEST_PROTOCOL_H
#define UPM_CONVTEST_PROTOCOL_H

#include <stdint.h>

/* Guest physical layout. Slot 0: ordinary memory [0, CT_LOW_SIZE), always shared. */
#define CT_LOW_SIZE	 0x200000ULL
#define CT_PML4_GPA	 0x1000ULL
#define CT_PDPT_GPA	 0x2000ULL
#define CT_PD_GPA	 0x3000ULL /* 4 page directories: [0, 4 GiB) in 2M pages */
#define CT_GDT_GPA	 0x7000ULL /* null, 64-bit code (0x8), data (0x10): built by the host */
#define CT_SEL_CODE	 0x8
#define CT_SEL_DATA	 0x10
#define CT_SEL_TSS	 0x18 /* TR's selector; the host loads TR directly (KVM_SET_SREGS) */
#define CT_TSS_GPA(i)	 (0x7800ULL + (uint64_t)(i)*0x80ULL) /* one 64-bit TSS per vCPU */
#define CT_CODE_GPA	 0x10000ULL /* the payload is linked here (guest.ld) */
#define CT_CODE_MAX	 0x60000ULL
#define CT_STACK_TOP(i)	 (0xa0000ULL - (uint64_t)(i)*0x4000ULL) /* 16K per vCPU */
/* IST1 stack per vCPU: exceptions are reported even if the normal stack is unusable. */
#define CT_IST_TOP(i)	 (0xc0000ULL - (uint64_t)(i)*0x1000ULL)
#define CT_MAILBOX(i)	 (0x100000ULL + (uint64_t)(i)*0x1000ULL)
#define CT_MODEL_GPA(i)	 (0x110000ULL + (uint64_t)(i)*0x8000ULL) /* 32 B per page of region */
#define CT_MAX_VCPUS	 8
/* Slot 1: guest_memfd-backed test memory, CT_REGION_SIZE per vCPU, then one 2M frame
 * shared by all vCPUs (CT_SC_SHARED_FRAME). */
#define CT_TEST_GPA	 0x40000000ULL
#define CT_REGION_SIZE	 0x400000ULL /* 4 MiB: two whole 2M frames */
#define CT_REGION_PAGES	 (CT_REGION_SIZE >> 12)
#define CT_REGION(i)	 (CT_TEST_GPA + (uint64_t)(i)*CT_REGION_SIZE)
#define CT_FRAME_GPA(n)	 CT_REGION(n) /* after the n vCPUs' regions */
#define CT_SLOT1_SIZE(n) ((uint64_t)(n)*CT_REGION_SIZE + 0x200000ULL)

/* OUT to this port (32-bit, value = command) hands the mailbox to the host. */
#define CT_PORT 0xe0

enum ct_cmd {
	CT_CMD_BEGIN = 1,	/* a0 = scenario id */
	CT_CMD_END = 2,		/* a0 = scenario id, a1 = 1 pass / 0 fail */
	CT_CMD_HOST_EXPECT = 3, /* host view of [a0, +a1) must be all a2 */
	CT_CMD_HOST_ABSENT = 4, /* byte a2 must not occur in the host view of [a0, +a1) */
	CT_CMD_HOST_FILL = 5,	/* host writes a2 to its view of [a0, +a1) */
	CT_CMD_HOST_STATE = 6,	/* libupm must count a2 private pages in [a0, +a1) */
	CT_CMD_HOST_AUDIT = 7,	/* check the model table against host view and libupm */
	CT_CMD_DONE = 8,	/* this vCPU has finished */
	CT_CMD_LOG = 9,		/* print text[] */
	CT_CMD_BARRIER = 10,	/* wait until every vCPU reached the barrier a0 */
	CT_CMD_EXCEPTION = 11,	/* the guest took exception exc_vector (details in exc_*) */
};

enum ct_scenario {
	CT_SC_SINGLE_4K = 1,
	CT_SC_WHOLE_2M = 2,
	CT_SC_CROSS_2M = 3,
	CT_SC_HC_ERRORS = 4,
	CT_SC_RANDOM = 5,
	CT_SC_SHARED_FRAME = 6, /* all vCPUs convert interleaved pages of one 2M frame */
	CT_SC_FINAL = 7,	/* every page's attribute as libupm says, seen from both sides */
	CT_SC_BENCH_4K = 8,
	CT_SC_BENCH_2M = 9,
	CT_SC_COUNT
};

/* Run flags (mailbox.flags, set by the host before the first run). */
#define CT_F_KEEP    (1U << 0) /* libupm keeps stale copies: contents survive round trips */
#define CT_F_STRESS  (1U << 1) /* random scenario runs `iterations` conversions */
#define CT_F_BENCH   (1U << 2) /* run only the benchmark scenarios */
#define CT_F_VMMCALL (1U << 3) /* AMD: hypercall with VMMCALL (else VMCALL) */

/* One entry per 4K page of the vCPU's region, kept by the guest, read by the host. */
struct ct_model {
	uint32_t is_private; /* the guest's idea of the page state */
	uint32_t reserved;
	uint64_t tag;	    /* the page's first qword in its current view */
	uint64_t stale_tag; /* ... in the other view (0 once discarded) */
	uint64_t reserved2;
};
_Static_assert(sizeof(struct ct_model) == 32, "32 bytes per page, CT_MODEL_GPA spacing");
_Static_assert(CT_REGION_PAGES * sizeof(struct ct_model) <= 0x8000, "fits the spacing");

struct ct_mailbox {
	/* host -> guest, set once */
	uint32_t vcpu;
	uint32_t nr_vcpus;
	uint32_t flags;
	uint32_t scenarios; /* bit (1 << id) per scenario to run; 0: all (not the benchmarks) */
	uint64_t seed;
	uint64_t iterations;
	uint64_t audit_every;
	uint64_t frame_rounds; /* rounds of CT_SC_SHARED_FRAME */
	/* guest -> host, per command */
	uint64_t arg[4];
	/* host -> guest: 0 ok, nonzero failure */
	int64_t result;
	/* guest-side failure details (for the host to print) */
	uint64_t fail_gpa;
	uint64_t fail_expected;
	uint64_t fail_got;
	uint32_t fail_line;
	uint32_t reserved1;
	/* guest-side counters */
	uint64_t hypercalls;
	uint64_t conversions;
	char text[128];
	/* breadcrumbs: the last hypercall made (a0..a2) and the random iteration */
	uint64_t last_hc[3];
	uint64_t iteration;
	/* CT_CMD_EXCEPTION: what the guest's exception handler saw */
	uint64_t exc_vector;
	uint64_t exc_error;
	uint64_t exc_rip;
	uint64_t exc_rsp;
	uint64_t exc_rflags;
	uint64_t exc_cr2;
};
_Static_assert(sizeof(struct ct_mailbox) <= 0x1000, "one page per vCPU");

#endif /* UPM_CONVTEST_PROTOCOL_H */
