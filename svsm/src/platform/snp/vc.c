// SPDX-License-Identifier: MIT
/*
 * #VC handler (vector 29, APM vol. 2, 15.35.5): CPUID is answered from the SNP CPUID page,
 * IN/OUT and RDMSR/WRMSR go to the hypervisor through this CPU's GHCB (GHCB spec 56421,
 * 4.1 "IOIO", "MSR" NAEs), anything else terminates the guest with a reason.
 */
#include <sev/ghcb.h>
#include "snp_hw.h"
#include "svsmk/guest_access.h"

static const struct snp_cpuid_table *cpuid_page;

void snp_set_cpuid_page(const struct snp_cpuid_table *t)
{
	cpuid_page = t;
}

static int do_cpuid(struct trap_frame *tf)
{
	struct cpuid_result r;
	if (!cpuid_page)
		return -EINVAL;
	/* An absent leaf reads as zeros (the table is the whole truth). */
	(void)snp_cpuid_lookup(cpuid_page, (uint32_t)tf->rax, (uint32_t)tf->rcx, &r);
	tf->rax = r.eax;
	tf->rbx = r.ebx;
	tf->rcx = r.ecx;
	tf->rdx = r.edx;
	return 0;
}

static int do_ioio(struct trap_frame *tf, const struct vc_op *op)
{
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -EIO;
	uint64_t info = op->ioio_info;
	if (!(info & SVM_IOIO_PORT_MASK))
		info |= (tf->rdx & 0xffff) << SVM_IOIO_PORT_SHIFT; /* DX forms */
	uint64_t mask = op->io_size == 1 ? 0xff : op->io_size == 2 ? 0xffff : 0xffffffff;
	if (!(info & SVM_IOIO_TYPE_IN))
		ghcb_set(g, offsetof(struct ghcb_save_area, rax), tf->rax & mask);
	if (ghcb_commit(g, SVM_EXIT_IOIO, info, 0))
		return -EIO;
	if (info & SVM_IOIO_TYPE_IN)
		tf->rax = (tf->rax & ~mask) | (g->save.rax & mask);
	return 0;
}

static int do_msr(struct trap_frame *tf, bool write)
{
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -EIO;
	ghcb_set(g, offsetof(struct ghcb_save_area, rcx), tf->rcx & 0xffffffff);
	if (write) {
		ghcb_set(g, offsetof(struct ghcb_save_area, rax), tf->rax & 0xffffffff);
		ghcb_set(g, offsetof(struct ghcb_save_area, rdx), tf->rdx & 0xffffffff);
	}
	if (ghcb_commit(g, SVM_EXIT_MSR, write ? 1 : 0, 0))
		return -EIO;
	if (!write) {
		tf->rax = g->save.rax & 0xffffffff;
		tf->rdx = g->save.rdx & 0xffffffff;
	}
	return 0;
}

/* RDTSC/RDTSCP through the GHCB (GHCB spec 56421 NAE events 6Eh/87h: RAX, RDX, and RCX =
 * TSC_AUX for RDTSCP). Before this CPU has a GHCB there is no way to ask: the TSC reads 0
 * (only the boot-time figure uses it that early). */
static int do_rdtsc(struct trap_frame *tf, bool p)
{
	struct ghcb *g = ghcb_begin();
	if (!g) {
		tf->rax = tf->rdx = 0;
		if (p)
			tf->rcx = 0;
		return 0;
	}
	if (ghcb_commit(g, p ? SVM_EXIT_RDTSCP : SVM_EXIT_RDTSC, 0, 0))
		return -EIO;
	tf->rax = g->save.rax & 0xffffffff;
	tf->rdx = g->save.rdx & 0xffffffff;
	if (p)
		tf->rcx = g->save.rcx & 0xffffffff;
	return 0;
}

int snp_vc_handler(struct trap_frame *tf)
{
	/* A page that is not validated (APM vol. 2 15.36.10): not an event to forward; a
	 * fault-tolerant copy fixes it up (-EFAULT), anything else is reported as a crash. */
	if (tf->error_code == SVM_EXIT_PAGE_NOT_VALIDATED)
		return 0;
	uint8_t insn[15];
	struct vc_op op;
	/* Fetch what bytes are readable: an instruction may end just before an unmapped page. */
	size_t len = 0;
	while (len < sizeof(insn) &&
	       copy_bytes_safe(&insn[len], addr_to_ptr(tf->rip + len), 1) == 0)
		len++;
	int rc = vc_decode(tf->error_code, insn, len, &op);
	if (!rc) {
		switch (op.action) {
		case VC_CPUID:
			rc = do_cpuid(tf);
			break;
		case VC_IOIO:
			rc = do_ioio(tf, &op);
			break;
		case VC_RDMSR:
		case VC_WRMSR:
			rc = do_msr(tf, op.action == VC_WRMSR);
			break;
		case VC_RDTSC:
		case VC_RDTSCP:
			rc = do_rdtsc(tf, op.action == VC_RDTSCP);
			break;
		default:
			rc = -EINVAL;
		}
	}
	if (rc)
		snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_VC_UNHANDLED);
	tf->rip += op.insn_len;
	return 1;
}
