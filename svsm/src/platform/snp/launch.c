// SPDX-License-Identifier: MIT
/*
 * Guest launch at VMPL2 and the request loop (SVSM spec 58019, "Calling Convention"):
 * give the guest's memory to VMPL2 (never the SVSM's), build and mark its BSP VMSA, create
 * it with the AP Creation NAE, publish the SVSM in the secrets page, then run VMPL2 with
 * the Run VMPL request (GHCB spec 56421, MSR protocol 016h) and answer each call with the
 * core protocol.
 */
#include <sev/ghcb-msr.h>
#include <sev/ghcb.h>
#include <sev/secrets.h>
#include <sev/sev-status.h>
#include <svsm/guest-launch.h>
#include <svsm/protocol.h>
#include <x86/msr.h>
#include "snp_hw.h"
#include "svsmk/console.h"
#include "svsmk/guest_access.h"
#include "svsmk/kmalloc.h"
#include "svsmk/layout.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/smp.h"
#include "svsmk/string.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/arch/setup.h"
#include "svsmk/svsm_core.h"

#define GUEST_VMPL 2u

extern uint64_t snp_sev_status;
static struct svsm_core core;
static struct core_backend be;
static bool log_calls; /* log_call() below */

/* ---- Core-protocol back end on SNP hardware ---- */

static int hw_read(void *ctx, uint64_t gpa, void *buf, size_t n)
{
	(void)ctx;
	return copy_from_guest(buf, gpa, n);
}

static int hw_write(void *ctx, uint64_t gpa, const void *buf, size_t n)
{
	(void)ctx;
	return copy_to_guest(gpa, buf, n);
}

static int hw_zero(void *ctx, uint64_t gpa, uint64_t len)
{
	static const uint8_t zeros[256];
	(void)ctx;
	for (uint64_t off = 0; off < len; off += sizeof(zeros)) {
		int rc = copy_to_guest(gpa + off, zeros, sizeof(zeros));
		if (rc)
			return rc;
	}
	return 0;
}

static struct sev_vmsa *map_vmsa(uint64_t gpa)
{
	return pa_in_svsm(gpa, 4096) ? phys_to_virt(gpa) : percpu_map_temp(gpa, true);
}

static void unmap_vmsa(uint64_t gpa, struct sev_vmsa *v)
{
	if (!pa_in_svsm(gpa, 4096))
		percpu_unmap_temp(v);
}

/* EFER.SVME = 0 makes a VMSA non-runnable (VMRUN refuses it, APM vol. 2, 15.5.1). */
static int hw_set_runnable(void *ctx, uint64_t vmsa_gpa, int runnable)
{
	(void)ctx;
	struct sev_vmsa *v = map_vmsa(vmsa_gpa);
	if (!v)
		return -EBUSY;
	if (runnable)
		v->efer |= EFER_SVME;
	else
		v->efer &= ~(uint64_t)EFER_SVME;
	unmap_vmsa(vmsa_gpa, v);
	return 0;
}

static int ap_creation(uint32_t request, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl,
		       uint64_t features)
{
	struct ghcb *g = ghcb_begin();
	if (!g)
		return -EIO;
	ghcb_set(g, offsetof(struct ghcb_save_area, rax), features);
	return ghcb_commit(g, SVM_VMGEXIT_AP_CREATION,
			   ghcb_ap_creation_info1(request, vmpl, apic_id), vmsa_gpa);
}

static int hw_start(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl, uint64_t features)
{
	(void)ctx;
	return ap_creation(SVM_VMGEXIT_AP_CREATE, apic_id, vmsa_gpa, vmpl, features);
}

static int hw_stop(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl)
{
	(void)ctx;
	return ap_creation(SVM_VMGEXIT_AP_DESTROY, apic_id, vmsa_gpa, vmpl,
			   sev_status_to_features(snp_sev_status));
}

static bool hw_is_ram(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	return memmap_is_ram(&boot_memmap, gpa, len);
}

static bool hw_is_svsm(void *ctx, uint64_t gpa, uint64_t len)
{
	(void)ctx;
	uint64_t lo = svsm_load_pa - SNP_BOOT_PAGES_SIZE, hi = svsm_load_pa + SVSM_REGION_SIZE;
	return gpa < hi && lo < gpa + len;
}

/* ---- Launch ---- */

#define MAX_PIECES 256

/* Give [gpa, gpa+len) to VMPL2; a 2 MiB piece backed by 4 KiB RMP entries is retried in
 * 4 KiB steps. Pages the guest has not validated yet cannot be adjusted; its PVALIDATE
 * call grants them later. Returns the number of pages left as they were. */
static uint64_t grant_piece(const struct perm_range *p)
{
	uint64_t skipped = 0;
	uint64_t attrs = rmpadjust_attrs(GUEST_VMPL, RMP_PERM_ALL, 0);
	if (p->size == RMP_PG_SIZE_2M) {
		for (uint64_t off = 0; off < p->len; off += 0x200000) {
			uint32_t eax = snp_rmpadjust_gpa(NULL, p->gpa + off, RMP_PG_SIZE_2M, attrs);
			if (eax == RMP_INSTR_FAIL_SIZEMISMATCH) {
				struct perm_range q = {p->gpa + off, 0x200000, RMP_PG_SIZE_4K};
				skipped += grant_piece(&q);
			} else if (eax) {
				skipped += 512;
			}
		}
		return skipped;
	}
	for (uint64_t off = 0; off < p->len; off += 4096)
		skipped += snp_rmpadjust_gpa(NULL, p->gpa + off, RMP_PG_SIZE_4K, attrs) ? 1 : 0;
	return skipped;
}

extern const uint32_t boot_cbit_hi; /* head.S: the C-bit mask >> 32 */

/* The BSP's calling area is ordinary guest RAM the IGVM file does not carry: make it a
 * private, validated, zeroed page the guest's VMPL may read and write. */
static int prepare_ca(uint64_t ca)
{
	int unchanged = 0;
	if (snp_page_state(ca, 1, SNP_PSC_OP_PRIVATE))
		return -EIO;
	uint32_t eax = snp_pvalidate_gpa(NULL, ca, RMP_PG_SIZE_4K, 1, &unchanged);
	if (eax || hw_zero(NULL, ca, 4096))
		return -EIO;
	return snp_rmpadjust_gpa(NULL, ca, RMP_PG_SIZE_4K,
				 rmpadjust_attrs(GUEST_VMPL, RMP_PERM_READ | RMP_PERM_WRITE, 0))
		       ? -EIO
		       : 0;
}

/* The guest image in our IGVM file (include/svsm/guest-launch.h): its 32-bit start context,
 * or false when there is no valid header (then the reset state is used). */
static bool guest_context(struct sev_vmsa *ctx, uint64_t ca, uint64_t vmsa_pa)
{
	struct svsm_guest_header h;
	if (copy_from_guest(&h, SVSM_GUEST_LOAD_PA, sizeof(h)) || h.magic != SVSM_GUEST_MAGIC ||
	    h.reserved || h.entry < SVSM_GUEST_LOAD_PA + sizeof(h) || h.entry >= h.image_end ||
	    !memmap_is_ram(&boot_memmap, SVSM_GUEST_LOAD_PA, h.image_end - SVSM_GUEST_LOAD_PA))
		return false;
	struct guest_start32 st = {.entry = h.entry,
				   .rax = SVSM_GUEST_MAGIC,
				   .rbx = 32u + (uint32_t)__builtin_ctz(boot_cbit_hi),
				   .rcx = (uint32_t)svsm_load_pa,
				   .rdx = SVSM_REGION_SIZE,
				   .rsi = (uint32_t)ca,
				   .rdi = (uint32_t)vmsa_pa};
	vmsa_guest_ctx32(ctx, &st);
	printk("SNP: guest image at %#x, entry %#x\n", SVSM_GUEST_LOAD_PA, h.entry);
	return true;
}

/* UEFI firmware instead of a guest image (include/svsm/guest-launch.h, struct svsm_fw_desc):
 * true with the descriptor when the page at SVSM_GUEST_LOAD_PA holds a valid one. */
static bool firmware_desc(struct svsm_fw_desc *d)
{
	if (copy_from_guest(d, SVSM_GUEST_LOAD_PA, sizeof(*d)) || d->magic != SVSM_FW_MAGIC)
		return false;
	if (!d->fw_base || d->fw_base & 0xfff || d->secrets & 0xfff || d->caa & 0xfff ||
	    !memmap_is_ram(&boot_memmap, d->secrets, 4096) ||
	    !memmap_is_ram(&boot_memmap, d->caa, 4096) || hw_is_svsm(NULL, d->secrets, 4096) ||
	    hw_is_svsm(NULL, d->caa, 4096) ||
	    hw_is_svsm(NULL, d->fw_base, 0x100000000ull - d->fw_base)) {
		printk("SNP: invalid firmware descriptor at %#x\n", SVSM_GUEST_LOAD_PA);
		return false;
	}
	return true;
}

/* The firmware image below 4 GiB is launch data outside the RAM map: give it to VMPL2. */
static uint64_t grant_firmware(const struct svsm_fw_desc *d)
{
	struct perm_range r = {d->fw_base, 0x100000000ull - d->fw_base, RMP_PG_SIZE_4K};
	return grant_piece(&r);
}

/* Publish the SVSM in a secrets page (SVSM spec 58019, "Secrets Page" SVSM fields). A lower
 * VMPL's copy must not hold VMPCK0, the key reserved for VMPL0 (ABI 56860 "Secrets Page"). */
static int publish_secrets(uint64_t gpa, uint64_t ca, bool guest_copy)
{
	struct snp_secrets_page *sp = percpu_map_temp(gpa, true);
	if (!sp)
		return -EIO;
	sp->svsm_base = svsm_load_pa;
	sp->svsm_size = SVSM_REGION_SIZE;
	sp->svsm_caa = ca;
	sp->svsm_max_version = SVSM_CORE_PROTOCOL_VERSION;
	sp->svsm_guest_vmpl = GUEST_VMPL;
	if (guest_copy)
		memset(sp->vmpck[0], 0, sizeof(sp->vmpck[0]));
	percpu_unmap_temp(sp);
	return 0;
}

static int launch(uint64_t *vmsa_pa_out)
{
	uint64_t boot = svsm_load_pa - SNP_BOOT_PAGES_SIZE;
	uint64_t ca = boot - SNP_GUEST_CA_BELOW;
	/* The guest BSP's VMSA: SVSM memory, never 2 MiB aligned (see snp_start_cpu). */
	char *pages = alloc_pages(1);
	if (!pages)
		return -ENOMEM;
	struct sev_vmsa *v = (struct sev_vmsa *)pages;
	if (IS_ALIGNED(virt_to_phys(v), 0x200000ull))
		v = (struct sev_vmsa *)(pages + 4096);
	uint64_t vmsa_pa = virt_to_phys(v);
	uint64_t features = sev_status_to_features(snp_sev_status);

	static struct perm_range pieces[MAX_PIECES];
	const struct perm_range excl[] = {
		{boot, SNP_BOOT_PAGES_SIZE + SVSM_REGION_SIZE, 0},
	};
	int n = perm_ranges(&boot_memmap, excl, 1, pieces, MAX_PIECES);
	if (n < 0)
		return n;
	uint64_t skipped = 0;
	for (int i = 0; i < n; i++)
		skipped += grant_piece(&pieces[i]);
	printk("SNP: guest memory given to VMPL%u in %d pieces (%llu pages not yet validated)\n",
	       GUEST_VMPL, n, (unsigned long long)skipped);

	struct svsm_fw_desc fw;
	bool is_fw = firmware_desc(&fw);
	log_calls = is_fw;
	if (is_fw) {
		ca = fw.caa;
		printk("SNP: firmware at %#x (%llu pages not granted), secrets %#x, CA %#x\n",
		       fw.fw_base, (unsigned long long)grant_firmware(&fw), fw.secrets, fw.caa);
		/* The firmware validates all RAM outside its own metadata ranges and treats a page
		 * that is valid already as an error: hand the descriptor page back zeroed and
		 * not validated, like any other RAM page. */
		int unchanged = 0;
		if (hw_zero(NULL, SVSM_GUEST_LOAD_PA, 4096) ||
		    snp_pvalidate_gpa(NULL, SVSM_GUEST_LOAD_PA, RMP_PG_SIZE_4K, 0, &unchanged))
			return -EIO;
	}
	if (prepare_ca(ca))
		return -EIO;
	/* Our test guest when the IGVM file carries one, else the reset vector. */
	static struct sev_vmsa ctx;
	vmsa_build_guest(v, !is_fw && guest_context(&ctx, ca, vmsa_pa) ? &ctx : NULL, GUEST_VMPL,
			 features);
	if (snp_rmpadjust_gpa(NULL, vmsa_pa, RMP_PG_SIZE_4K, rmpadjust_attrs(GUEST_VMPL, 0, 1)))
		return -EIO;

	/* Tell the guest where the SVSM and its calling area are (SVSM spec, secrets page). */
	if (publish_secrets(boot + SNP_BOOT_SECRETS, ca, false) ||
	    (is_fw && publish_secrets(fw.secrets, ca, true)))
		return -EIO;

	be = (struct core_backend){NULL,
				   hw_read,
				   hw_write,
				   hw_zero,
				   snp_pvalidate_gpa,
				   snp_rmpadjust_gpa,
				   hw_set_runnable,
				   hw_start,
				   hw_stop,
				   hw_is_ram,
				   hw_is_svsm};
	svsm_core_init(&core, &be, features);
	if (svsm_core_add_startup_vcpu(&core, 0, vmsa_pa, ca, GUEST_VMPL) < 0)
		return -ENOMEM;
	if (hw_start(NULL, 0, vmsa_pa, GUEST_VMPL, features))
		return -EIO;
	*vmsa_pa_out = vmsa_pa;
	return 0;
}

/* Firmware guests (OVMF, then its OS): the first call of each core-protocol call ID goes to
 * the console, failed calls at debug level, so the log shows the guest's use of the SVSM
 * without a line per PVALIDATE. Not for our test guest, whose output shares COM1 and is
 * parsed line by line. */
static void log_call(uint64_t call, uint64_t result)
{
	static uint32_t seen; /* bit per core call ID 0..31 (SVSM spec 58019, core protocol) */
	uint32_t protocol = (uint32_t)(call >> 32), id = (uint32_t)call;
	if (protocol == SVSM_PROTOCOL_CORE && id < 32 &&
	    !(__atomic_fetch_or(&seen, 1u << id, __ATOMIC_RELAXED) & (1u << id)))
		printk("SNP: first guest call: protocol %u call %u -> %#llx\n", protocol, id,
		       (unsigned long long)result);
	else if (result)
		pr_debug("SNP: guest call protocol %u call %u failed: %#llx\n", protocol, id,
			 (unsigned long long)result);
}

/* One guest request: only a VMGEXIT boundary with a call pending is a request. */
static void serve(uint64_t vmsa_pa, int idx)
{
	struct sev_vmsa *v = map_vmsa(vmsa_pa);
	if (!v)
		return;
	uint64_t efer = v->efer;
	v->efer = efer & ~(uint64_t)EFER_SVME; /* the host cannot re-enter it meanwhile */
	enum core_outcome out = CORE_CALL_SPURIOUS;
	/* A request is what SVSM_CALL_PENDING says (SVSM spec 58019, calling convention; the
	 * core checks it). The VMSA's exit code rules out other exits: a VMGEXIT saves the
	 * guest with GUEST_EXIT_CODE = VMEXIT_VMGEXIT (403h; APM vol. 2 Table B-4). */
	if (v->guest_exit_code == SVM_EXIT_VMGEXIT) {
		struct svsm_call_regs r = {v->rax, v->rcx, v->rdx, v->r8, v->r9};
		uint64_t call = r.rax;
		out = svsm_core_handle(&core, (unsigned int)idx, &r);
		if (log_calls && out != CORE_CALL_SPURIOUS)
			log_call(call, out == CORE_CALL_DONE ? r.rax : 0);
		if (out == CORE_CALL_DONE) {
			v->rax = r.rax;
			v->rcx = r.rcx;
			v->rdx = r.rdx;
			v->r8 = r.r8;
		}
	}
	/* A vCPU that deleted itself stays non-runnable: its page is the guest's again. */
	if (out != CORE_CALL_NO_RETURN)
		v->efer = efer | EFER_SVME;
	unmap_vmsa(vmsa_pa, v);
}

/*
 * Each SVSM CPU serves the guest vCPU with its APIC ID (VMPL switches stay on one vCPU):
 * run VMPL2 on this vCPU, and when it comes back to VMPL0 handle the request. A CPU whose
 * guest vCPU does not exist yet (CREATE_VCPU not called) waits for it.
 */
static int find_vcpu(uint32_t apic)
{
	read_lock(&core.lock);
	int idx = svsm_core_find_vcpu(&core, apic);
	read_unlock(&core.lock);
	return idx;
}

static void request_loop(void *arg)
{
	(void)arg;
	/* The APIC ID this CPU was started with (CPUID here would answer from the CPUID page,
	 * which holds the boot CPU's values). */
	uint32_t apic = this_cpu()->shared->apic_id;
	for (;;) {
		int idx = find_vcpu(apic);
		if (idx < 0) {
			cpu_relax();
			continue;
		}
		uint64_t resp = ghcb_msr_exchange(ghcb_msr_vmpl_req(GUEST_VMPL));
		if (!ghcb_msr_is(resp, GHCB_MSR_VMPL_RESP) || ghcb_msr_vmpl_resp_error(resp)) {
			/* Without Run VMPL the guest cannot run at all: say so, then stop. */
			printk("SNP: the host refused Run VMPL%u (GHCB MSR response 0x%llx)\n",
			       GUEST_VMPL, (unsigned long long)resp);
			snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_GHCB);
		}
		/* Back at VMPL0: the guest vCPU made a request (or the host entered us). */
		idx = find_vcpu(apic);
		if (idx >= 0)
			serve(core.vcpu[idx].vmsa_gpa, idx);
	}
}

__noreturn void snp_run_guest(void)
{
	uint64_t vmsa_pa = 0;
	int rc = launch(&vmsa_pa);
	if (rc) {
		printk("SNP: guest launch failed: %d\n", rc);
		snp_terminate(SNP_TERM_SET_SVSM, SNP_TERM_PANIC);
	}
	printk("SNP: guest BSP started at VMPL%u, serving requests\n", GUEST_VMPL);
	for (uint32_t i = 1; i < nr_cpus; i++)
		smp_call_async(i, request_loop, NULL);
	request_loop(NULL);
	for (;;)
		halt();
}
