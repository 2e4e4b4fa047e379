// SPDX-License-Identifier: MIT
/* Software RMP model for tests without SNP hardware (see svsmk/fake_rmp.h). */
#include <sev/rmp-instr.h>
#include "svsmk/compiler.h"
#include "svsmk/fake_rmp.h"

#define PAGES_2M 512u

void fake_rmp_init(struct fake_rmp *f, uint64_t base, uint64_t npages, struct fake_page *pages,
		   uint8_t *rmp_2m, uint64_t svsm_base, uint64_t svsm_size)
{
	*f = (struct fake_rmp){.lock = SPINLOCK_INIT, .base = base, .npages = npages};
	f->page = pages;
	f->rmp_2m = rmp_2m;
	f->svsm_base = svsm_base;
	f->svsm_size = svsm_size;
	f->fail_gpa = ~0ull;
	f->busy_vmsa = ~0ull;
	for (uint64_t i = 0; i < npages; i++)
		pages[i] = (struct fake_page){0};
	for (uint64_t i = 0; i < npages / PAGES_2M; i++)
		rmp_2m[i] = 0;
}

struct fake_page *fake_rmp_page(struct fake_rmp *f, uint64_t gpa)
{
	if (gpa < f->base || (gpa - f->base) / 4096 >= f->npages)
		return NULL;
	return &f->page[(gpa - f->base) / 4096];
}

/*
 * Size and range checks common to both instructions: FAIL_INPUT / FAIL_SIZEMISMATCH. The
 * page-size rule is asymmetric (APM vol. 2 Table 15-40, 15.36.11): a 2 MiB operation on
 * 4 KiB RMP entries fails with FAIL_SIZEMISMATCH, while a 4 KiB operation inside a 2 MiB
 * entry is a nested page fault with EXITINFO1.SIZEM that the host resolves with PSMASH
 * (as KVM does) before the instruction is retried: modelled as the split, then success.
 */
static uint32_t check_op(struct fake_rmp *f, uint64_t gpa, unsigned int size, uint64_t *first,
			 uint64_t *count)
{
	uint64_t len = size == RMP_PG_SIZE_2M ? PAGES_2M * 4096ull : 4096;
	if (size > RMP_PG_SIZE_2M || !IS_ALIGNED(gpa, len) || gpa < f->base ||
	    (gpa - f->base) / 4096 + len / 4096 > f->npages)
		return RMP_INSTR_FAIL_INPUT;
	*first = (gpa - f->base) / 4096;
	*count = len / 4096;
	int is_2m = f->rmp_2m[*first / PAGES_2M] != 0;
	if (size == RMP_PG_SIZE_2M && !is_2m)
		return RMP_INSTR_FAIL_SIZEMISMATCH;
	if (size == RMP_PG_SIZE_4K && is_2m) {
		f->rmp_2m[*first / PAGES_2M] = 0; /* PSMASH keeps every other field */
		f->n_psmash++;
	}
	return RMP_INSTR_SUCCESS;
}

static uint32_t fake_pvalidate(void *ctx, uint64_t gpa, unsigned int size, int validate,
			       int *unchanged)
{
	struct fake_rmp *f = ctx;
	uint64_t first = 0, count = 0;
	spin_lock(&f->lock);
	f->n_pvalidate++;
	uint32_t eax = gpa == f->fail_gpa ? f->fail_eax : check_op(f, gpa, size, &first, &count);
	if (eax == RMP_INSTR_SUCCESS) {
		*unchanged = 1;
		for (uint64_t i = first; i < first + count; i++) {
			if (f->page[i].valid != (uint8_t) !!validate)
				*unchanged = 0;
			f->page[i].valid = (uint8_t) !!validate;
		}
	}
	spin_unlock(&f->lock);
	return eax;
}

static uint32_t fake_rmpadjust(void *ctx, uint64_t gpa, unsigned int size, uint64_t attrs)
{
	struct fake_rmp *f = ctx;
	uint64_t first = 0, count = 0;
	uint8_t vmpl = rmpadjust_attrs_vmpl(attrs);
	spin_lock(&f->lock);
	f->n_rmpadjust++;
	/* Running at VMPL0: the target must be numerically greater, and VMPLs stop at 3. */
	uint32_t eax = vmpl == 0 || vmpl > 3 ? RMP_INSTR_FAIL_PERMISSION
					     : check_op(f, gpa, size, &first, &count);
	if (eax == RMP_INSTR_SUCCESS) {
		for (uint64_t i = first; i < first + count; i++) {
			f->page[i].perm[vmpl - 1] = rmpadjust_attrs_perms(attrs);
			f->page[i].vmsa = (attrs & RMPADJUST_VMSA) != 0;
		}
	}
	spin_unlock(&f->lock);
	return eax;
}

static int fake_set_runnable(void *ctx, uint64_t vmsa_gpa, int runnable)
{
	struct fake_rmp *f = ctx;
	(void)runnable;
	return vmsa_gpa == f->busy_vmsa ? -EBUSY : 0;
}

static int fake_start(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl,
		      uint64_t features)
{
	struct fake_rmp *f = ctx;
	(void)apic_id;
	(void)vmpl;
	(void)features;
	struct fake_page *p = fake_rmp_page(f, vmsa_gpa);
	if (f->refuse_start || !p || !p->vmsa)
		return -EIO; /* the host only runs pages marked as VMSA */
	__atomic_fetch_add(&f->n_started, 1, __ATOMIC_RELAXED);
	return 0;
}

static int fake_stop(void *ctx, uint32_t apic_id, uint64_t vmsa_gpa, uint8_t vmpl)
{
	struct fake_rmp *f = ctx;
	(void)apic_id;
	(void)vmsa_gpa;
	(void)vmpl;
	__atomic_fetch_add(&f->n_stopped, 1, __ATOMIC_RELAXED);
	return 0;
}

static bool fake_is_ram(void *ctx, uint64_t gpa, uint64_t len)
{
	struct fake_rmp *f = ctx;
	return gpa >= f->base && len <= f->npages * 4096 && gpa - f->base <= f->npages * 4096 - len;
}

static bool fake_is_svsm(void *ctx, uint64_t gpa, uint64_t len)
{
	struct fake_rmp *f = ctx;
	return gpa < f->svsm_base + f->svsm_size && f->svsm_base < gpa + len;
}

void fake_rmp_backend(struct fake_rmp *f, struct core_backend *be)
{
	be->ctx = f;
	be->pvalidate = fake_pvalidate;
	be->rmpadjust = fake_rmpadjust;
	be->set_vmsa_runnable = fake_set_runnable;
	be->start_vcpu = fake_start;
	be->stop_vcpu = fake_stop;
	be->is_guest_ram = fake_is_ram;
	be->is_svsm_memory = fake_is_svsm;
}
