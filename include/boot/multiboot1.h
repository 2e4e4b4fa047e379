/* SPDX-License-Identifier: MIT */
/*
 * Multiboot (version 0.6.96) header and boot information:
 * GNU Multiboot Specification §3.1.1 (header layout), §3.1.2 (magic fields),
 * §3.1.3 (address fields), §3.2 (machine state: EAX magic, EBX info),
 * §3.3 (boot information format, memory map).
 */
#ifndef BOOT_MULTIBOOT1_H
#define BOOT_MULTIBOOT1_H

#define MB1_HEADER_MAGIC     0x1badb002
#define MB1_BOOTLOADER_MAGIC 0x2badb002
#define MB1_HDR_PAGE_ALIGN   (1 << 0)
#define MB1_HDR_MEMORY_INFO  (1 << 1)
#define MB1_HDR_ADDRESS	     (1 << 16) /* header address fields are valid */
#define MB1_SEARCH_LIMIT     8192      /* header lies in the first 8192 bytes, 4-aligned */

/* Boot-information flags, §3.3. */
#define MB1_INFO_MEMORY	 (1 << 0)
#define MB1_INFO_CMDLINE (1 << 2)
#define MB1_INFO_MMAP	 (1 << 6)

#define MB1_MMAP_AVAILABLE 1 /* §3.3: type 1 = available RAM, other values reserved */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct mb1_header {
	uint32_t magic;
	uint32_t flags;
	uint32_t checksum;
	uint32_t header_addr;
	uint32_t load_addr;
	uint32_t load_end_addr;
	uint32_t bss_end_addr;
	uint32_t entry_addr;
};
_Static_assert(sizeof(struct mb1_header) == 32, "multiboot §3.1.1: address fields end at 32");

struct mb1_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
};
_Static_assert(__builtin_offsetof(struct mb1_info, cmdline) == 16, "multiboot §3.3 cmdline");
_Static_assert(__builtin_offsetof(struct mb1_info, mmap_length) == 44, "multiboot §3.3 mmap");
_Static_assert(sizeof(struct mb1_info) == 52, "multiboot §3.3 fields used here");

/* Memory-map entry; 'size' does not count itself (§3.3). */
struct mb1_mmap_entry {
	uint32_t size;
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
} __attribute__((packed));
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "multiboot §3.3 mmap entry");
#endif

#endif /* BOOT_MULTIBOOT1_H */
