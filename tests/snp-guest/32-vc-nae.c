/* SPDX-License-Identifier: MIT */
/*
 * #VC for intercepted events (Non-Automatic Exits) and their resolution
 * through the GHCB (ghcb.h). AMD APM vol. 2 15.35.5: the #VC error code is
 * the SVM exit code of the event; 15.36.12: an SNP guest always has CPUID
 * and port I/O intercepted. The other intercepts are the emulated
 * hypervisor's (as KVM's for SEV-ES guests): RDMSR/WRMSR except of MSRs held
 * in the VMSA (EFER ...), RDTSC, RDTSCP, VMMCALL, WBINVD, INVD, MONITOR,
 * MWAIT, DR7 reads and writes, and MMIO (a shared access to an emulated
 * device: #VC with the NPF exit code).
 *
 * Runs in mode=rmp when the command line also says "vc" (QEMU:
 * sev-snp-guest,x-emu-validate-ram=on,x-emu-nae-vc=on, where #VC for
 * intercepted events starts with the first GHCB GPA written to the GHCB
 * MSR), and when started from snp-guest.igvm (#VC from the first
 * instruction: guest.c must call vc_nae_console_init() before any output).
 * From then on the console goes through the GHCB.
 */
#include <stdbool.h>
#include <stdint.h>

#include "sev/ghcb-msr.h"
#include "sev/ghcb.h"
#include "sev/rmp-instr.h"
#include "x86/msr.h"
#include "x86/paging.h"

#include "ghcb.h"
#include "lib.h"
#include "paging.h"
#include "vc.h"
#include "rmp-instr-guest.h"

#define X86_VEC_VC	  29	      /* APM vol. 2 15.35.5 */
#define MMIO_TEST_GPA	  0xfed00000u /* HPET capabilities (IA-PC HPET spec 2.3.4) */
#define DEBUGCON_READBACK 0xe9u	      /* QEMU isa-debugcon reads as 0xe9 */

void vc_handler(void);

static bool nae_ready;
static volatile uint32_t nae_count, nae_code, nae_eip, nae_skip, nae_rc;
static uint32_t dr7_shadow = 0x400; /* DR7 reset value (APM vol. 2 13.1.1.5) */
static uint32_t mmio_direct;

static inline uint8_t insn_byte(uint32_t eip, uint32_t i)
{
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	return *(const volatile uint8_t *)(uintptr_t)(eip + i);
}

/* INS/OUTS (6C-6F), optionally REP, DF = 0: through the GHCB's buffer. */
static uint32_t vc_ioio_string(struct vc_frame *f, uint8_t op, uint32_t size, bool rep,
			       uint32_t len)
{
	uint32_t count = rep ? f->ecx : 1;
	uint16_t port = (uint16_t)f->edx;

	if (op & 2) { /* OUTS: from DS:ESI */
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		nae_rc = ghcb_outs(port, size, (const void *)(uintptr_t)f->esi, count);
		f->esi += count * size;
	} else { /* INS: to ES:EDI */
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		nae_rc = ghcb_ins(port, size, (void *)(uintptr_t)f->edi, count);
		f->edi += count * size;
	}
	if (rep) {
		f->ecx = 0;
	}
	return len;
}

/* IN/OUT/INS/OUTS: the port, size and direction from the opcode. */
static uint32_t vc_ioio(struct vc_frame *f)
{
	uint32_t i = 0, len, size = 4, port, v;
	bool rep = false;
	uint8_t op;

	for (;; i++) {
		op = insn_byte(f->eip, i);
		if (op == 0x66) {
			size = 2;
		} else if (op == 0xf3) {
			rep = true;
		} else {
			break;
		}
	}
	if (op >= 0x6c && op <= 0x6f) {
		return vc_ioio_string(f, op, (op & 1) ? size : 1, rep, i + 1);
	}
	if (op == 0xe4 || op == 0xe6 || op == 0xec || op == 0xee) {
		size = 1;
	}
	if (op >= 0xe4 && op <= 0xe7) {
		port = insn_byte(f->eip, i + 1);
		len = i + 2;
	} else if (op >= 0xec && op <= 0xef) {
		port = f->edx & 0xffff;
		len = i + 1;
	} else {
		return ~0u;
	}
	if (op & 2) { /* OUT */
		nae_rc = ghcb_out((uint16_t)port, size, f->eax);
	} else {
		nae_rc = ghcb_in((uint16_t)port, size, &v);
		f->eax = size == 4 ? v : (f->eax & ~((1u << (size * 8)) - 1)) | v;
	}
	return len;
}

int vc_nae(struct vc_frame *f)
{
	uint32_t regs[4], len = nae_skip;
	uint64_t v;

	if (!nae_ready) {
		return 0;
	}
	nae_count++;
	nae_code = f->error_code;
	nae_eip = f->eip;
	switch (f->error_code) {
	case SVM_EXIT_CPUID:
		nae_rc = ghcb_cpuid(f->eax, f->ecx, regs);
		f->eax = regs[0];
		f->ebx = regs[1];
		f->ecx = regs[2];
		f->edx = regs[3];
		len = 2;
		break;
	case SVM_EXIT_IOIO:
		len = vc_ioio(f);
		if (len == ~0u) {
			return 0;
		}
		break;
	case SVM_EXIT_MSR:
		if (insn_byte(f->eip, 1) == 0x32) { /* RDMSR 0F 32 */
			nae_rc = ghcb_rdmsr(f->ecx, &v);
			f->eax = (uint32_t)v;
			f->edx = (uint32_t)(v >> 32);
		} else { /* WRMSR 0F 30 */
			nae_rc = ghcb_wrmsr(f->ecx, (uint64_t)f->edx << 32 | f->eax);
		}
		len = 2;
		break;
	case SVM_EXIT_RDTSC:
		nae_rc = ghcb_rdtsc(&v);
		f->eax = (uint32_t)v;
		f->edx = (uint32_t)(v >> 32);
		len = 2;
		break;
	case SVM_EXIT_RDTSCP:
		ghcb_clear();
		nae_rc = ghcb_nae(SVM_EXIT_RDTSCP, 0, 0);
		f->eax = (uint32_t)ghcb_get(offsetof(struct ghcb_save_area, rax));
		f->edx = (uint32_t)ghcb_get(offsetof(struct ghcb_save_area, rdx));
		f->ecx = (uint32_t)ghcb_get(offsetof(struct ghcb_save_area, rcx));
		len = 3;
		break;
	case SVM_EXIT_READ_DR7: /* DR7 lives in the guest (as Linux keeps it) */
		f->eax = dr7_shadow;
		break;
	case SVM_EXIT_WRITE_DR7:
		dr7_shadow = f->eax;
		break;
	case SVM_EXIT_NPF: /* MMIO: the test names the address it reads */
		nae_rc = ghcb_mmio_read(MMIO_TEST_GPA, &f->eax, 4);
		break;
	default: /* VMMCALL, WBINVD, INVD, MONITOR, MWAIT: recorded, skipped */
		break;
	}
	f->eip += len;
	return 1;
}

/*
 * Paging, the #VC gate, the GHCB in the shared window and the console
 * through it, before anything that may raise #VC (vc.h). Once.
 */
bool vc_nae_console_init(const struct snp_guest_env *env)
{
	static uint32_t psc_rc, pval_rc;
	bool cf;

	if (nae_ready) {
		return true;
	}
	paging_enable(env);
	set_gate(X86_VEC_VC, vc_handler, 0);
	if (!env->igvm) {
		/* #VC for MMIO starts with the first GHCB call: read it directly. */
		/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
		mmio_direct = *(volatile uint32_t *)(uintptr_t)MMIO_TEST_GPA;
	}
	/* The GHCB page: no longer validated, then shared (GHCB spec 2.3.1). */
	pval_rc = snp_pvalidate(PAGING_SHARED_WINDOW, RMP_PG_SIZE_4K, 0, &cf);
	psc_rc = ghcb_msr_psc(PAGING_SHARED_WINDOW >> PAGE_SHIFT, GHCB_MSR_PSC_OP_SHARED);
	/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
	if (!ghcb_init((void *)(uintptr_t)PAGING_SHARED_WINDOW, PAGING_SHARED_WINDOW)) {
		return false;
	}
	nae_ready = true;
	snp_guest_putc = ghcb_putc; /* the first NAE switches #VC on (x-emu-nae-vc) */
	puts_dbg("snp-guest: console through the GHCB\n");
	expect(pval_rc == RMP_INSTR_SUCCESS && psc_rc == 0,
	       "GHCB page rescinded and made shared (PSC through the MSR protocol)",
	       (uint64_t)pval_rc << 32 | psc_rc, 0);
	return true;
}

static bool nae_setup(const struct snp_guest_env *env)
{
	if (!env->igvm && !cmdline_has(env->cmdline, "vc")) {
		return false;
	}
	if (!vc_nae_console_init(env)) {
		expect(false, "GHCB registered for the #VC checks", 0, 1);
		return false;
	}
	return true;
}

static void nae_reset(uint32_t skip)
{
	nae_count = 0;
	nae_code = 0;
	nae_eip = 0;
	nae_rc = ~0u;
	nae_skip = skip;
}

/* One #VC with @code, resolved (GHCB answer 0 where the GHCB is used). */
static void expect_nae(const char *name, uint64_t code, bool via_ghcb)
{
	expect(nae_count == 1 && nae_code == code && (!via_ghcb || nae_rc == 0), name,
	       (uint64_t)nae_count << 48 | (uint64_t)nae_rc << 16 | nae_code,
	       (uint64_t)1 << 48 | code);
}

static void check_nae_cpuid(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d, msr_eax = 0;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(0);
	cpuid(0x8000001fu, &a, &b, &c, &d);
	expect_nae("CPUID: #VC with error code 72h (CPUID exit), 15.36.12", SVM_EXIT_CPUID, true);
	expect(ghcb_msr_cpuid(0x8000001fu, GHCB_CPUID_REG_EAX, &msr_eax) && a == msr_eax && a != 0,
	       "CPUID through #VC and the GHCB: 8000_001F EAX as the MSR protocol answers", a,
	       msr_eax);
}
SNP_GUEST_TEST(check_nae_cpuid, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);

static void check_nae_msr(const struct snp_guest_env *env)
{
	uint64_t apic_base, efer;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(0);
	apic_base = rdmsr(MSR_APIC_BASE);
	expect_nae("RDMSR APIC_BASE: #VC 7Ch (MSR exit)", SVM_EXIT_MSR, true);
	expect((apic_base & MSR_APIC_BASE_ADDR_MASK) == 0xfee00000u,
	       "RDMSR through the GHCB: the APIC base address", apic_base, 0xfee00000u);
	nae_reset(0);
	wrmsr(MSR_APIC_BASE, apic_base);
	/* (whether the hypervisor accepts the write is the GHCB's business) */
	expect_nae("WRMSR APIC_BASE: #VC 7Ch", SVM_EXIT_MSR, false);
	nae_reset(0);
	efer = rdmsr(MSR_EFER);
	expect(nae_count == 0, "RDMSR EFER (state in the VMSA): no #VC", nae_count, 0);
	(void)efer;
}
SNP_GUEST_TEST(check_nae_msr, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);

static void check_nae_ioio(const struct snp_guest_env *env)
{
	static const char nl[2] = "\n\n";
	uint8_t v, in[3] = {0, 0, 0};
	const void *src = nl;
	void *dst = in;
	uint32_t n = 2;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(0);
	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"((uint16_t)DEBUGCON_PORT));
	expect_nae("IN: #VC 7Bh (IOIO exit), 15.36.12", SVM_EXIT_IOIO, true);
	expect(v == DEBUGCON_READBACK, "IN through the GHCB reads the device", v,
	       DEBUGCON_READBACK);
	nae_reset(0);
	outb(DEBUGCON_PORT, '\n');
	expect_nae("OUT: #VC 7Bh", SVM_EXIT_IOIO, true);

	nae_reset(0);
	__asm__ volatile("cld; rep outsb"
			 : "+S"(src), "+c"(n)
			 : "d"((uint32_t)DEBUGCON_PORT)
			 : "memory");
	expect_nae("REP OUTSB: #VC 7Bh", SVM_EXIT_IOIO, true);
	expect(n == 0 && src == nl + 2, "REP OUTSB through the GHCB: ECX 0, ESI advanced", n, 0);
	nae_reset(0);
	n = 2;
	__asm__ volatile("cld; rep insb"
			 : "+D"(dst), "+c"(n)
			 : "d"((uint32_t)DEBUGCON_PORT)
			 : "memory");
	expect_nae("REP INSB: #VC 7Bh", SVM_EXIT_IOIO, true);
	expect(in[0] == DEBUGCON_READBACK && in[1] == DEBUGCON_READBACK && in[2] == 0 && n == 0,
	       "REP INSB through the GHCB: two bytes read, ECX 0", in[0] | in[1] << 8 | in[2] << 16,
	       DEBUGCON_READBACK | DEBUGCON_READBACK << 8);
}
SNP_GUEST_TEST(check_nae_ioio, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);

static void check_nae_tsc(const struct snp_guest_env *env)
{
	uint32_t lo1, hi1, lo2, hi2, aux, a, b, c, d;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(0);
	__asm__ volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
	expect_nae("RDTSC: #VC 6Eh", SVM_EXIT_RDTSC, true);
	cpuid(0x80000001u, &a, &b, &c, &d);
	if (!(d & (1u << 27))) { /* CPUID Fn8000_0001_EDX[27] RDTSCP */
		puts_dbg("ok - RDTSCP #VC # SKIP CPUID.80000001h:EDX.RDTSCP = 0 in this CPU "
			 "model\n");
		return;
	}
	nae_reset(0);
	__asm__ volatile("rdtscp" : "=a"(lo2), "=d"(hi2), "=c"(aux));
	expect_nae("RDTSCP: #VC 87h", SVM_EXIT_RDTSCP, true);
	expect(((uint64_t)hi2 << 32 | lo2) > ((uint64_t)hi1 << 32 | lo1),
	       "RDTSC then RDTSCP through the GHCB: the TSC advances", (uint64_t)hi2 << 32 | lo2,
	       (uint64_t)hi1 << 32 | lo1);
	(void)aux;
}
SNP_GUEST_TEST(check_nae_tsc, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);

static void check_nae_others(const struct snp_guest_env *env)
{
	uint32_t a, b, c, d, dr7;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(3);
	__asm__ volatile("vmmcall" ::: "memory");
	expect_nae("VMMCALL: #VC 81h", SVM_EXIT_VMMCALL, false);
	nae_reset(2);
	__asm__ volatile("wbinvd" ::: "memory");
	expect_nae("WBINVD: #VC 89h", SVM_EXIT_WBINVD, false);
	nae_reset(2);
	__asm__ volatile("invd" ::: "memory");
	expect_nae("INVD: #VC 76h", SVM_EXIT_INVD, false);
	nae_reset(3);
	__asm__ volatile("mov %0, %%dr7" : : "a"(0x401u)); /* 0F 23 F8 */
	expect_nae("MOV to DR7: #VC 37h", SVM_EXIT_WRITE_DR7, false);
	nae_reset(3);
	__asm__ volatile("mov %%dr7, %0" : "=a"(dr7)); /* 0F 21 F8 */
	expect_nae("MOV from DR7: #VC 27h", SVM_EXIT_READ_DR7, false);
	expect(dr7 == 0x401u, "DR7 read gives what the handler kept", dr7, 0x401u);

	cpuid(1, &a, &b, &c, &d);
	if (!(c & (1u << 3))) { /* CPUID Fn0000_0001_ECX[3] MONITOR */
		puts_dbg("ok - MONITOR/MWAIT #VC # SKIP CPUID.01h:ECX.MONITOR = 0 in this CPU "
			 "model\n");
		return;
	}
	nae_reset(3);
	__asm__ volatile("monitor" : : "a"(PAGING_4K_REGION), "c"(0), "d"(0));
	expect_nae("MONITOR: #VC 8Ah", SVM_EXIT_MONITOR, false);
	nae_reset(3);
	__asm__ volatile("mwait" : : "a"(0), "c"(0));
	expect_nae("MWAIT: #VC 8Bh", SVM_EXIT_MWAIT, false);
}
SNP_GUEST_TEST(check_nae_others, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);

static void check_nae_mmio(const struct snp_guest_env *env)
{
	uint32_t v;

	if (!nae_setup(env)) {
		return;
	}
	nae_reset(2); /* mov (%eax), %eax: 8B 00 */
	__asm__ volatile("movl (%%eax), %%eax" : "=a"(v) : "a"(MMIO_TEST_GPA) : "memory");
	expect_nae("MMIO read (shared mapping of a device): #VC 400h (NPF)", SVM_EXIT_NPF, true);
	if (!env->igvm) {
		expect(v == mmio_direct,
		       "MMIO read through the GHCB: the HPET capabilities as read directly", v,
		       mmio_direct);
	}
}
SNP_GUEST_TEST(check_nae_mmio, SNP_GUEST_MODE_SNP | SNP_GUEST_MODE_RMP | SNP_GUEST_MODE_IGVM);
