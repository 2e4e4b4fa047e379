// SPDX-License-Identifier: MIT
/*
 * Processor enumeration from ACPI: find the RSDP in the BIOS area (ACPI 6.5 §5.2.5.1),
 * follow the XSDT (or RSDT) to the MADT (§5.2.12) and collect enabled local APIC and
 * x2APIC entries. Every table is checksummed; bad tables give -EINVAL.
 */
#include <acpi/madt.h>
#include "native.h"
#include "svsmk/compiler.h"
#include "svsmk/string.h"

#define MAX_TABLE_LEN 65536

static uint8_t sum_bytes(const uint8_t *p, size_t n)
{
	uint8_t s = 0;
	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static int find_rsdp(phys_read_fn rd, void *ctx, struct acpi_rsdp *out)
{
	for (uint64_t pa = ACPI_BIOS_AREA_START; pa < ACPI_BIOS_AREA_END; pa += 16) {
		char sig[8];
		if (rd(ctx, pa, sig, sizeof(sig)))
			continue;
		if (memcmp(sig, ACPI_RSDP_SIGNATURE, 8) != 0)
			continue;
		if (rd(ctx, pa, out, sizeof(*out)))
			continue;
		if (sum_bytes((const uint8_t *)out, 20) == 0)
			return 0;
	}
	return -ENOENT;
}

/* Read a whole table into buf after validating its length and checksum. */
static int read_table(phys_read_fn rd, void *ctx, uint64_t pa, uint8_t *buf, size_t size)
{
	struct acpi_sdt_header h;
	int rc = rd(ctx, pa, &h, sizeof(h));
	if (rc)
		return rc;
	if (h.length < sizeof(h) || h.length > size)
		return -EINVAL;
	if ((rc = rd(ctx, pa, buf, h.length)) != 0)
		return rc;
	return sum_bytes(buf, h.length) == 0 ? (int)h.length : -EINVAL;
}

static int parse_madt(const uint8_t *t, size_t len, uint32_t *ids, size_t max)
{
	size_t n = 0;
	size_t off = sizeof(struct acpi_madt);
	while (off + sizeof(struct madt_entry_header) <= len) {
		const struct madt_entry_header *e = (const void *)(t + off);
		if (e->length < sizeof(*e) || off + e->length > len)
			return -EINVAL;
		uint32_t id = 0, flags = 0;
		int cpu = 0;
		if (e->type == MADT_TYPE_LOCAL_APIC &&
		    e->length >= sizeof(struct madt_local_apic)) {
			struct madt_local_apic la;
			memcpy(&la, e, sizeof(la));
			id = la.apic_id;
			flags = la.flags;
			cpu = 1;
		} else if (e->type == MADT_TYPE_LOCAL_X2APIC &&
			   e->length >= sizeof(struct madt_local_x2apic)) {
			struct madt_local_x2apic xa;
			memcpy(&xa, e, sizeof(xa));
			id = xa.x2apic_id;
			flags = xa.flags;
			cpu = 1;
		}
		if (cpu && (flags & MADT_LAPIC_ENABLED)) {
			if (n >= max)
				return -ENOSPC;
			ids[n++] = id;
		}
		off += e->length;
	}
	return (int)n;
}

int acpi_enum_lapics(phys_read_fn rd, void *ctx, uint32_t *ids, size_t max)
{
	static uint8_t buf[MAX_TABLE_LEN]; /* boot-time only, single caller */
	struct acpi_rsdp rsdp;
	int rc = find_rsdp(rd, ctx, &rsdp);
	if (rc)
		return rc;
	int xsdt = rsdp.revision >= 2 && rsdp.xsdt_address;
	uint64_t root = xsdt ? rsdp.xsdt_address : rsdp.rsdt_address;
	int len = read_table(rd, ctx, root, buf, sizeof(buf));
	if (len < 0)
		return len;
	if (memcmp(buf, xsdt ? ACPI_XSDT_SIGNATURE : ACPI_RSDT_SIGNATURE, 4) != 0)
		return -EINVAL;
	size_t esize = xsdt ? 8 : 4;
	size_t count = ((size_t)len - sizeof(struct acpi_sdt_header)) / esize;
	uint64_t entries[64];
	if (count > ARRAY_SIZE(entries))
		count = ARRAY_SIZE(entries);
	for (size_t i = 0; i < count; i++) {
		uint64_t v = 0;
		memcpy(&v, buf + sizeof(struct acpi_sdt_header) + i * esize, esize);
		entries[i] = v;
	}
	for (size_t i = 0; i < count; i++) {
		struct acpi_sdt_header h;
		if (rd(ctx, entries[i], &h, sizeof(h)) ||
		    memcmp(h.signature, ACPI_MADT_SIGNATURE, 4) != 0)
			continue;
		len = read_table(rd, ctx, entries[i], buf, sizeof(buf));
		if (len < 0)
			return len;
		if ((size_t)len < sizeof(struct acpi_madt))
			return -EINVAL;
		return parse_madt(buf, (size_t)len, ids, max);
	}
	return -ENOENT;
}
