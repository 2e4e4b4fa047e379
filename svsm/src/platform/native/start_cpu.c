// SPDX-License-Identifier: MIT
/*
 * Starting an AP natively: copy the trampoline below 1 MiB, then INIT, 10 ms, STARTUP,
 * 200 us, STARTUP through the xAPIC ICR (SDM vol 3 §9.4.4.1 "Typical BSP initialization
 * sequence"; ICR format APM vol 2 §16.5 figure 16-12).
 */
#include <x86/apic.h>
#include "native.h"
#include "trampoline.h"
#include "svsmk/arch/cpu.h"
#include "svsmk/compiler.h"
#include "svsmk/mm.h"
#include "svsmk/percpu.h"
#include "svsmk/string.h"

extern char boot_pml4[];

static void apic_write(uint32_t reg, uint32_t v)
{
	apic_mmio[reg / 4] = v;
}

static uint32_t apic_read(uint32_t reg)
{
	return apic_mmio[reg / 4];
}

static int apic_send_ipi(uint32_t apic_id, uint32_t icr_lo)
{
	apic_write(APIC_REG_ICR_HI, apic_id << APIC_ICR_DEST_SHIFT);
	apic_write(APIC_REG_ICR_LO, icr_lo);
	for (int i = 0; i < 1000000; i++) {
		if (!(apic_read(APIC_REG_ICR_LO) & APIC_ICR_DELIV_PENDING))
			return 0;
		cpu_relax();
	}
	return -ETIMEDOUT;
}

int native_start_cpu(uint32_t apic_id, const struct cpu_start_state *st)
{
	if (!apic_mmio || apic_id > 0xff)
		return -EINVAL;
	size_t len = (uintptr_t)trampoline_end - (uintptr_t)trampoline_start;
	char *page = percpu_map_temp(NATIVE_TRAMPOLINE_PA, true);
	if (!page)
		return -EBUSY;
	memcpy(page, trampoline_start, len);
	struct tramp_params *p = (struct tramp_params *)(page + TRAMP_PARAMS_OFFSET);
	p->boot_cr3 = virt_to_phys(boot_pml4);
	p->entry = (uint64_t)(uintptr_t)native_ap_high;
	p->cr3 = st->cr3;
	p->rsp = st->rsp;
	p->rip = st->rip;
	p->arg = st->arg;
	percpu_unmap_temp(page);

	int rc = apic_send_ipi(apic_id, APIC_ICR_DM_INIT | APIC_ICR_LEVEL_ASSERT);
	if (rc)
		return rc;
	pit_udelay(10000);
	for (int i = 0; i < 2; i++) {
		rc = apic_send_ipi(apic_id, APIC_ICR_DM_STARTUP |
						    APIC_ICR_VECTOR(NATIVE_TRAMPOLINE_PA >> 12));
		if (rc)
			return rc;
		pit_udelay(200);
	}
	return 0;
}
