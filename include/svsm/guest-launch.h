/* SPDX-License-Identifier: MIT */
/*
 * How this project's SVSM starts the lower-VMPL guest it finds in its IGVM file (our own
 * contract between svsm/ and tests/svsm-guest/, not a published specification; the spec
 * leaves the guest's start to the SVSM and its loader).
 *
 * The IGVM file carries the guest image as launch data at SVSM_GUEST_LOAD_PA (so every
 * image page is validated at launch; the SVSM gives them to the guest's VMPL). The image
 * starts with struct svsm_guest_header. Without a valid header the SVSM starts the guest
 * from the x86 reset state instead.
 *
 * Start state of the guest's BSP: 32-bit flat protected mode (CS = 08h, data = 10h, 4 GiB
 * limits), paging off, interrupts off, at `entry`, with
 *   EAX = SVSM_GUEST_MAGIC, EBX = C-bit position (CPUID Fn8000_001F EBX[5:0] from the
 *   firmware-checked CPUID page), ECX = SVSM base GPA, EDX = SVSM region size,
 *   ESI = the BSP's calling-area GPA (validated, zeroed, guest read/write; also in the
 *   secrets page's SVSM fields, which the guest cannot read here), EDI = the BSP's VMSA GPA
 *   (SVSM memory; given so that tests can aim requests at it).
 * Every value fits in 32 bits in our layout (below 4 GiB).
 *
 * Instead of a guest image, the page at SVSM_GUEST_LOAD_PA may hold struct svsm_fw_desc:
 * the guest is then UEFI firmware with SEV metadata (OVMF) that the IGVM file carries below
 * 4 GiB. The SVSM gives [fw_base, 4 GiB) to the guest's VMPL as well, publishes itself in the
 * firmware's own secrets page (the firmware's SNP_SECRETS section; VMPCK0 cleared there, SVSM
 * spec 58019 "Secrets Page"), uses the firmware's SVSM_CAA section as the BSP's calling area,
 * and starts the BSP from the x86 reset state (the firmware's reset vector at FFFF_FFF0h).
 */
#ifndef SVSM_GUEST_LAUNCH_H
#define SVSM_GUEST_LAUNCH_H

#define SVSM_GUEST_LOAD_PA 0x2000000  /* 32 MiB: above the SVSM region at 16 MiB */
#define SVSM_GUEST_MAGIC   0x54534756 /* "VGST" in little-endian bytes */
#define SVSM_FW_MAGIC	   0x57465653 /* "SVFW" in little-endian bytes */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct svsm_guest_header {
	uint32_t magic;	    /* 00h: SVSM_GUEST_MAGIC */
	uint32_t entry;	    /* 04h: GPA of the 32-bit entry point */
	uint32_t image_end; /* 08h: GPA just past the image (launch data up to here) */
	uint32_t reserved;  /* 0Ch: zero */
};

_Static_assert(sizeof(struct svsm_guest_header) == 16, "guest header size");
_Static_assert(__builtin_offsetof(struct svsm_guest_header, entry) == 4, "guest header entry");
_Static_assert(__builtin_offsetof(struct svsm_guest_header, image_end) == 8,
	       "guest header image_end");

struct svsm_fw_desc {
	uint32_t magic;	  /* 00h: SVSM_FW_MAGIC */
	uint32_t fw_base; /* 04h: GPA of the firmware image; it ends at 4 GiB */
	uint32_t secrets; /* 08h: GPA of the firmware's secrets page */
	uint32_t caa;	  /* 0Ch: GPA of the firmware's SVSM calling area */
};

_Static_assert(sizeof(struct svsm_fw_desc) == 16, "firmware descriptor size");
_Static_assert(__builtin_offsetof(struct svsm_fw_desc, secrets) == 8, "fw desc secrets");
_Static_assert(__builtin_offsetof(struct svsm_fw_desc, caa) == 12, "fw desc caa");

#endif /* __ASSEMBLER__ */

#endif /* SVSM_GUEST_LAUNCH_H */
