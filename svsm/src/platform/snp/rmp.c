// SPDX-License-Identifier: MIT
/*
 * PVALIDATE / RMPADJUST on guest-physical addresses. The instructions take a virtual address
 * (APM vol. 3), 2 MiB aligned for the 2 MiB size: SVSM memory is reached through its own
 * mapping, guest pages through this CPU's temporary window (4 KiB) or 2 MiB window.
 * Successful PVALIDATEs update the validation bitmap.
 */
#include "snp_hw.h"
#include "svsmk/layout.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/arch/cpu.h"
#include <x86/msr.h>

struct vbitmap snp_valid_bitmap;

static void *map_gpa(uint64_t gpa, unsigned int size, bool *temp)
{
	uint64_t len = size == RMP_PG_SIZE_2M ? 0x200000ull : 0x1000ull;
	*temp = false;
	if (pa_in_svsm(gpa, len))
		return phys_to_virt(gpa);
	if (!rdmsr(MSR_GS_BASE))
		return NULL; /* before per-CPU state: only SVSM memory is reachable */
	*temp = true;
	return size == RMP_PG_SIZE_2M ? mm_window_2m_map(this_cpu()->index, gpa)
				      : percpu_map_temp(gpa, true);
}

static void unmap_gpa(void *va, unsigned int size, bool temp)
{
	if (!temp)
		return;
	if (size == RMP_PG_SIZE_2M)
		mm_window_2m_unmap(va);
	else
		percpu_unmap_temp(va);
}

uint32_t snp_pvalidate_gpa(void *ctx, uint64_t gpa, unsigned int size, int validate, int *unchanged)
{
	(void)ctx;
	bool temp;
	void *va = map_gpa(gpa, size, &temp);
	if (!va)
		return RMP_INSTR_FAIL_INPUT;
	uint32_t eax = pvalidate_insn((uint64_t)(uintptr_t)va, size, validate ? 1 : 0, unchanged);
	unmap_gpa(va, size, temp);
	if (eax == RMP_INSTR_SUCCESS && snp_valid_bitmap.bits)
		(void)vbitmap_set(&snp_valid_bitmap, gpa, size == RMP_PG_SIZE_2M ? 512 : 1,
				  validate != 0);
	return eax;
}

uint32_t snp_rmpadjust_gpa(void *ctx, uint64_t gpa, unsigned int size, uint64_t attrs)
{
	(void)ctx;
	bool temp;
	void *va = map_gpa(gpa, size, &temp);
	if (!va)
		return RMP_INSTR_FAIL_INPUT;
	uint32_t eax = rmpadjust_insn((uint64_t)(uintptr_t)va, size, attrs);
	unmap_gpa(va, size, temp);
	return eax;
}
