/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the hypervisor side of the GHCB (snp-ghcb.c,
 * extracted from our QEMU patches), on GHCB contents built from the input
 * (see LLVMFuzzerTestOneInput). Whatever the
 * guest writes, the handler must answer with SW_EXITINFO1 0, 1 or 2 and only
 * result fields marked valid (GHCB spec 56421 2.3.1, 4.1), never assign a
 * page outside RAM and never change an AMD-SP (immutable) page.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sev/ghcb.h"
#include "sev/ghcb-msr.h"
#include "snp-ghcb.h"
#include "snp-rmp.h"

#define PG	 SNP_RMP_PAGE_SIZE
#define MB2	 SNP_RMP_2M_SIZE
#define NPAGES	 (4 * SNP_RMP_PAGES_PER_2M)
#define RAM_TOP	 (3 * MB2)
#define GHCB_GPA (2 * PG)
#define FW_PAGE	 (MB2 + 10 * PG)

static struct snp_rmp rmp;
static struct snp_rmp_entry entries[NPAGES];
static uint8_t mem[RAM_TOP];

static bool read_page(void *opaque, uint64_t gpa, void *buf)
{
	(void)opaque;
	if (gpa + PG > RAM_TOP) {
		return false;
	}
	memcpy(buf, mem + gpa, PG);
	return true;
}

static bool write_page(void *opaque, uint64_t gpa, const void *buf)
{
	(void)opaque;
	if (gpa + PG > RAM_TOP) {
		return false;
	}
	memcpy(mem + gpa, buf, PG);
	return true;
}

static bool is_ram(void *opaque, uint64_t gpa)
{
	(void)opaque;
	return gpa < RAM_TOP;
}

static uint32_t io_in(void *opaque, uint16_t port, unsigned int size)
{
	(void)opaque;
	if (size != 1 && size != 2 && size != 4) {
		abort();
	}
	return port;
}

static void io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	(void)opaque;
	(void)port;
	(void)val;
	if (size != 1 && size != 2 && size != 4) {
		abort();
	}
}

static bool mmio(void *opaque, uint64_t gpa, void *buf, unsigned int len, bool write)
{
	(void)opaque;
	(void)gpa;
	if (len == 0 || len > 8) {
		abort();
	}
	if (!write) {
		memset(buf, 0xab, len);
	}
	return true;
}

static bool rdmsr_cb(void *opaque, uint32_t index, uint64_t *val)
{
	(void)opaque;
	*val = index;
	return index != 0;
}

static bool wrmsr_cb(void *opaque, uint32_t index, uint64_t val)
{
	(void)opaque;
	(void)val;
	return index != 0;
}

static void cpuid_cb(void *opaque, uint32_t fn, uint32_t index, uint64_t xcr0, uint32_t regs[4])
{
	(void)opaque;
	regs[0] = fn;
	regs[1] = index;
	regs[2] = (uint32_t)xcr0;
	regs[3] = 0;
}

static uint64_t rdtsc_cb(void *opaque)
{
	(void)opaque;
	return 1;
}

static uint32_t tsc_aux_cb(void *opaque)
{
	(void)opaque;
	return 2;
}

static int run_vmpl_cb(void *opaque, unsigned int vmpl)
{
	(void)opaque;
	if (vmpl >= SNP_RMP_NUM_VMPLS) {
		abort(); /* the handler must have refused it */
	}
	return vmpl == 3 ? -1 : 0;
}

static int ap_create_cb(void *opaque, const struct snp_ghcb_ap_create *req)
{
	(void)opaque;
	if (req->request > SVM_VMGEXIT_AP_DESTROY || req->vmpl >= SNP_RMP_NUM_VMPLS) {
		abort();
	}
	return 0;
}

static void ap_reset_hold_cb(void *opaque)
{
	(void)opaque;
}

static const struct snp_ghcb_ops ops = {
	.read_page = read_page,
	.write_page = write_page,
	.is_ram = is_ram,
	.io_in = io_in,
	.io_out = io_out,
	.mmio = mmio,
	.rdmsr = rdmsr_cb,
	.wrmsr = wrmsr_cb,
	.cpuid = cpuid_cb,
	.rdtsc = rdtsc_cb,
	.tsc_aux = tsc_aux_cb,
	.run_vmpl = run_vmpl_cb,
	.ap_create = ap_create_cb,
	.ap_reset_hold = ap_reset_hold_cb,
};

/* Result valid bits only (2.3.1). */
static bool only_result_bits(const struct ghcb *g)
{
	static const size_t outs[] = {
		offsetof(struct ghcb_save_area, rax),
		offsetof(struct ghcb_save_area, rbx),
		offsetof(struct ghcb_save_area, rcx),
		offsetof(struct ghcb_save_area, rdx),
		offsetof(struct ghcb_save_area, sw_exit_info_1),
		offsetof(struct ghcb_save_area, sw_exit_info_2),
	};
	struct ghcb want;

	memset(&want, 0, sizeof(want));
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (ghcb_is_valid(g, outs[i])) {
			ghcb_mark_valid(&want, outs[i]);
		}
	}
	return memcmp(want.save.valid_bitmap, g->save.valid_bitmap, 16) == 0;
}

static const uint64_t codes[] = {
	SVM_EXIT_IOIO,
	SVM_VMGEXIT_MMIO_READ,
	SVM_VMGEXIT_MMIO_WRITE,
	SVM_EXIT_MSR,
	SVM_EXIT_CPUID,
	SVM_EXIT_RDTSC,
	SVM_EXIT_RDTSCP,
	SVM_EXIT_WBINVD,
	SVM_VMGEXIT_PSC,
	SVM_VMGEXIT_HV_FEATURES,
	SVM_VMGEXIT_AP_CREATION,
	SVM_VMGEXIT_SNP_RUN_VMPL,
	SVM_VMGEXIT_GUEST_REQUEST,
	SVM_VMGEXIT_EXT_GUEST_REQUEST,
	SVM_VMGEXIT_TERM_REQUEST,
	SVM_VMGEXIT_NMI_COMPLETE,
	SVM_VMGEXIT_UNSUPPORTED,
	SVM_VMGEXIT_AP_RESET_HOLD,
	SVM_VMGEXIT_AP_JUMP_TABLE,
	SVM_EXIT_READ_DR7,
	SVM_EXIT_WRITE_DR7,
	SVM_EXIT_MONITOR,
	SVM_EXIT_MWAIT,
};

/* Consume @n bytes of input into @dst (zero when the input is short). */
static void take(const uint8_t **data, size_t *size, void *dst, size_t n)
{
	size_t k = *size < n ? *size : n;

	memset(dst, 0, n);
	memcpy(dst, *data, k);
	*data += k;
	*size -= k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Input: an event index and flags, then the valid bitmap (inverted: zero
 * bytes = every field valid), SW_EXITINFO1/2, SW_SCRATCH as an offset in
 * the page, RAX, RCX, RDX, XCR0, then the shared buffer. Flags: bit 0 =
 * MSR protocol with SW_EXITINFO1 as the MSR value; bits 1-3 = lies; bit 4
 * = usage 1.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t jump_table = 0;
	struct snp_ghcb_hv hv = {
		.rmp = &rmp, .ops = &ops, .asid = 1, .cbitpos = 47, .ap_jump_table = &jump_table};
	struct snp_ghcb_vcpu vcpu = {.registered_gpa = GHCB_GPA, .registered = true};
	struct snp_rmp_update fw = {.assigned = true, .immutable = true};
	struct ghcb *g = (struct ghcb *)(void *)(mem + GHCB_GPA);
	uint8_t head[2], bitmap[16];
	uint64_t f[7], msr;
	uint16_t scratch_off;
	struct snp_ghcb_result r;

	memset(entries, 0, sizeof(entries));
	snp_rmp_init(&rmp, entries, NPAGES);
	if (snp_rmp_update(&rmp, FW_PAGE, &fw) != 0) {
		abort();
	}
	/* Some private pages, one 2 MiB page, for the PSC paths. */
	for (uint64_t pa = 16 * PG; pa < 24 * PG; pa += PG) {
		struct snp_rmp_update u = {.gpa = pa, .asid = 1, .assigned = true};

		snp_rmp_update(&rmp, pa, &u);
	}
	{
		struct snp_rmp_update u = {
			.gpa = 2 * MB2, .asid = 1, .assigned = true, .page_size_2m = true};

		snp_rmp_update(&rmp, 2 * MB2, &u);
	}

	take(&data, &size, head, sizeof(head));
	take(&data, &size, bitmap, sizeof(bitmap));
	take(&data, &size, &scratch_off, sizeof(scratch_off));
	take(&data, &size, f, sizeof(f));
	memset(g, 0, PG);
	g->save.sw_exit_code = codes[head[0] % (sizeof(codes) / sizeof(codes[0]))];
	if (head[0] >= 0xf0) {
		g->save.sw_exit_code = f[0] ^ f[1]; /* any exit code */
	}
	g->save.sw_exit_info_1 = f[0];
	g->save.sw_exit_info_2 = f[1];
	g->save.sw_scratch = GHCB_GPA + (scratch_off % 0x1100);
	g->save.rax = f[2];
	g->save.rcx = f[3];
	g->save.rdx = f[4];
	g->save.xcr0 = f[5];
	g->save.rbx = f[6];
	for (size_t i = 0; i < sizeof(bitmap); i++) {
		g->save.valid_bitmap[i] = (uint8_t)~bitmap[i];
	}
	g->ghcb_usage = (head[1] >> 4) & 1;
	memcpy(g->shared_buffer, data,
	       size < sizeof(g->shared_buffer) ? size : sizeof(g->shared_buffer));
	hv.lies = (head[1] >> 1) & 7;

	msr = (head[1] & 1) ? f[0] : GHCB_GPA;
	r = snp_ghcb_vmgexit(&hv, NULL, &vcpu, &msr);
	if (!(head[1] & 1) || !ghcb_msr_info(f[0])) {
		if (msr != GHCB_GPA) {
			return 0; /* an unregistered GHCB GPA: the guest is stopped */
		}
		if (r.exit == SNP_GHCB_STOP) {
			abort(); /* the registered, shared GHCB is always usable */
		}
		if (r.exit == SNP_GHCB_RESUME &&
		    (g->save.sw_exit_info_1 > 2 || !only_result_bits(g))) {
			abort();
		}
	}
	/* A SIPI after an AP Reset Hold answers with result bits only. */
	if (snp_ghcb_ap_reset_release(&hv, NULL, &vcpu, &msr) && !(head[1] & 1) &&
	    (g->save.sw_exit_info_2 == 0 || !only_result_bits(g))) {
		abort();
	}
	if (!entries[FW_PAGE / PG].immutable || entries[FW_PAGE / PG].asid != 0) {
		abort();
	}
	for (uint64_t pa = RAM_TOP; pa < NPAGES * PG; pa += PG) {
		if (entries[pa / PG].assigned) {
			abort();
		}
	}
	return 0;
}
