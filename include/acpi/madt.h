/* SPDX-License-Identifier: MIT */
/*
 * ACPI tables needed to enumerate processors: ACPI 6.5 §5.2.5.3 (RSDP, table 5.3),
 * §5.2.6 (system description table header, table 5.4), §5.2.7 RSDT, §5.2.8 XSDT,
 * §5.2.12 MADT (table 5.19), §5.2.12.2 processor local APIC (table 5.22),
 * §5.2.12.12 processor local x2APIC (table 5.37). RSDP search: §5.2.5.1.
 */
#ifndef ACPI_MADT_H
#define ACPI_MADT_H

#include <stdint.h>

#define ACPI_RSDP_SIGNATURE  "RSD PTR "
#define ACPI_MADT_SIGNATURE  "APIC"
#define ACPI_RSDT_SIGNATURE  "RSDT"
#define ACPI_XSDT_SIGNATURE  "XSDT"
#define ACPI_BIOS_AREA_START 0xe0000U /* §5.2.5.1: search 0E0000h..0FFFFFh on 16-byte */
#define ACPI_BIOS_AREA_END   0x100000U

#define MADT_TYPE_LOCAL_APIC	  0
#define MADT_TYPE_LOCAL_X2APIC	  9
#define MADT_LAPIC_ENABLED	  (1U << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1U << 1)

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum; /* bytes 0..19 sum to zero */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length; /* revision >= 2 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI table 5.3: RSDP is 36 bytes");

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI table 5.4: header is 36 bytes");

struct acpi_madt {
	struct acpi_sdt_header header;
	uint32_t local_apic_address;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "ACPI table 5.19: entries start at 44");

struct madt_entry_header {
	uint8_t type;
	uint8_t length;
} __attribute__((packed));

struct madt_local_apic {
	uint8_t type;
	uint8_t length; /* 8 */
	uint8_t acpi_processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_local_apic) == 8, "ACPI table 5.22");

struct madt_local_x2apic {
	uint8_t type;
	uint8_t length; /* 16 */
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t acpi_processor_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_local_x2apic) == 16, "ACPI table 5.37");

#endif /* ACPI_MADT_H */
