/* SPDX-License-Identifier: MIT */
/*
 * SNP_PLATFORM_STATUS (SEV-SNP firmware ABI, pub. 56860, section 8.3
 * "SNP_PLATFORM_STATUS"): the status buffer the firmware writes and the
 * platform states it reports.
 *
 * Linux hands the firmware's buffer to user space unchanged through /dev/sev
 * (drivers/crypto/ccp/sev-dev.c copies sizeof(struct sev_user_data_snp_status)
 * bytes), so this layout is also the ioctl's (include/uapi/linux/psp-sev.h,
 * struct sev_user_data_snp_status; cross-checked against QEMU's copy of that
 * header and virtee/sev).
 */
#ifndef SEV_SNP_PLATFORM_STATUS_H
#define SEV_SNP_PLATFORM_STATUS_H

#include <stddef.h>
#include <stdint.h>

/* Platform states (STATE field). */
#define SNP_PLATFORM_STATE_UNINIT 0u /* only SNP_INIT, SNP_PLATFORM_STATUS, ... allowed */
#define SNP_PLATFORM_STATE_INIT	  1u /* SNP_INIT done: guests can be launched */

/* Byte 03h. */
#define SNP_STATUS_IS_RMP_INITIALIZED (1u << 0)
/* Dword at 08h. */
#define SNP_STATUS_MASK_CHIP_ID	      (1u << 0)
#define SNP_STATUS_MASK_CHIP_KEY      (1u << 1)
#define SNP_STATUS_VLEK_EN	      (1u << 2)

struct snp_platform_status {
	uint8_t api_major;     /* 00h */
	uint8_t api_minor;     /* 01h */
	uint8_t state;	       /* 02h: SNP_PLATFORM_STATE_* */
	uint8_t rmp_flags;     /* 03h: SNP_STATUS_IS_RMP_INITIALIZED */
	uint32_t build_id;     /* 04h */
	uint32_t config_flags; /* 08h: SNP_STATUS_MASK_CHIP_ID ... */
	uint32_t guest_count;  /* 0Ch */
	uint64_t current_tcb;  /* 10h: TCB_VERSION (sev/snp-firmware.h) */
	uint64_t reported_tcb; /* 18h */
};

#define SNP_PLATFORM_STATUS_SIZE 0x20u

_Static_assert(sizeof(struct snp_platform_status) == SNP_PLATFORM_STATUS_SIZE,
	       "SNP_PLATFORM_STATUS size");
_Static_assert(offsetof(struct snp_platform_status, api_major) == 0x00, "status api_major");
_Static_assert(offsetof(struct snp_platform_status, api_minor) == 0x01, "status api_minor");
_Static_assert(offsetof(struct snp_platform_status, state) == 0x02, "status state");
_Static_assert(offsetof(struct snp_platform_status, rmp_flags) == 0x03, "status rmp_flags");
_Static_assert(offsetof(struct snp_platform_status, build_id) == 0x04, "status build_id");
_Static_assert(offsetof(struct snp_platform_status, config_flags) == 0x08, "status config_flags");
_Static_assert(offsetof(struct snp_platform_status, guest_count) == 0x0c, "status guest_count");
_Static_assert(offsetof(struct snp_platform_status, current_tcb) == 0x10, "status current_tcb");
_Static_assert(offsetof(struct snp_platform_status, reported_tcb) == 0x18, "status reported_tcb");

#endif /* SEV_SNP_PLATFORM_STATUS_H */
