/* SPDX-License-Identifier: MIT */
/* Native (plain VM) platform internals: boot-parameter and ACPI parsers, APIC start-up. */
#ifndef SVSM_PLATFORM_NATIVE_H
#define SVSM_PLATFORM_NATIVE_H

#include <stdint.h>
#include <stddef.h>
#include "svsmk/memmap.h"
#include "svsmk/platform.h"

/* Reads guest-physical memory; returns 0 or -errno. */
typedef int (*phys_read_fn)(void *ctx, uint64_t pa, void *buf, size_t len);

/* Multiboot info -> memory map and command line (without the image name). */
int mb1_parse_info(phys_read_fn rd, void *ctx, uint64_t info_pa, struct memmap *map, char *cmdline,
		   size_t cmdline_size);
/* ACPI RSDP -> RSDT/XSDT -> MADT: enabled local APIC IDs. Returns count or -errno. */
int acpi_enum_lapics(phys_read_fn rd, void *ctx, uint32_t *ids, size_t max);

void serial_init(void);
void serial_putc(char c);
void pit_udelay(uint32_t us);
int native_start_cpu(uint32_t apic_id, const struct cpu_start_state *st);

#endif /* SVSM_PLATFORM_NATIVE_H */
