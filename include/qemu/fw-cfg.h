/* SPDX-License-Identifier: MIT */
/*
 * QEMU firmware configuration device (fw_cfg), x86 port I/O interface: QEMU
 * docs/specs/fw_cfg.rst ("Selector (Control) Register", "Data Register",
 * "Selector Register keys", "File Directory"), and the "etc/e820" file
 * (hw/i386/e820_memory_layout.h: packed little-endian entries, type 1 = RAM).
 * Used by the SVSM's VMPL2 test guest (tests/svsm-guest) to learn its CPU count,
 * its RAM and its harness arguments (-fw_cfg name=opt/...,string=...).
 */
#ifndef QEMU_FW_CFG_H
#define QEMU_FW_CFG_H

#include <stdint.h>

#define FW_CFG_PORT_SEL	 0x510 /* 16-bit write: selects an item, resets its offset */
#define FW_CFG_PORT_DATA 0x511 /* 8-bit read: next byte of the selected item */

#define FW_CFG_SIGNATURE 0x0000u /* "QEMU" */
#define FW_CFG_ID	 0x0001u /* 32-bit LE feature bits */
#define FW_CFG_NB_CPUS	 0x0005u /* 16-bit LE: CPUs at boot (-smp) */
#define FW_CFG_FILE_DIR	 0x0019u /* struct fw_cfg_files: 32-bit BE count, then entries */

/* One entry of the file directory; every multi-byte field is big-endian. */
struct fw_cfg_file {
	uint32_t size;	   /* 00h: file size in bytes */
	uint16_t select;   /* 04h: selector key of the file */
	uint16_t reserved; /* 06h */
	char name[56];	   /* 08h: NUL-terminated path, e.g. "etc/e820" */
};

_Static_assert(sizeof(struct fw_cfg_file) == 64, "fw_cfg file entry size");
_Static_assert(__builtin_offsetof(struct fw_cfg_file, size) == 0, "fw_cfg file size");
_Static_assert(__builtin_offsetof(struct fw_cfg_file, select) == 4, "fw_cfg file select");
_Static_assert(__builtin_offsetof(struct fw_cfg_file, name) == 8, "fw_cfg file name");

/* "etc/e820": packed little-endian entries of 20 bytes. */
#define FW_CFG_E820_FILE       "etc/e820"
#define FW_CFG_E820_ENTRY_SIZE 20u
#define FW_CFG_E820_OFF_ADDR   0u  /* 64-bit start */
#define FW_CFG_E820_OFF_LEN    8u  /* 64-bit length */
#define FW_CFG_E820_OFF_TYPE   16u /* 32-bit type */
#define FW_CFG_E820_RAM	       1u

#endif /* QEMU_FW_CFG_H */
