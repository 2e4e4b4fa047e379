/* SPDX-License-Identifier: MIT */
/*
 * Linux /dev/sev ioctl ABI (host user space only).
 * abi-headers: hosted-only (needs <linux/ioctl.h>; see tests/suites/10-abi-headers.sh)
 *
 * Source: Linux include/uapi/linux/psp-sev.h (struct sev_issue_cmd,
 * SEV_ISSUE_CMD and the command enum). Debian 12's linux-libc-dev (6.1) predates
 * the SNP commands, so the ABI is written out here under our own names (no clash
 * with <linux/psp-sev.h>). Command numbers are the enum's positions:
 * SEV_FACTORY_RESET = 0 ... SEV_GET_ID2 = 8, SNP_PLATFORM_STATUS = 9.
 */
#ifndef SEV_SEV_IOCTL_H
#define SEV_SEV_IOCTL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ioctl.h>

struct sev_ioctl_issue_cmd {
	uint32_t cmd;	/* 00h: SEV_IOCTL_CMD_* */
	uint64_t data;	/* 04h: user address of the command buffer */
	uint32_t error; /* 0Ch: firmware status code on failure */
} __attribute__((packed));

_Static_assert(sizeof(struct sev_ioctl_issue_cmd) == 16, "sev_issue_cmd size");
_Static_assert(offsetof(struct sev_ioctl_issue_cmd, cmd) == 0x0, "sev_issue_cmd cmd");
_Static_assert(offsetof(struct sev_ioctl_issue_cmd, data) == 0x4, "sev_issue_cmd data");
_Static_assert(offsetof(struct sev_ioctl_issue_cmd, error) == 0xc, "sev_issue_cmd error");

#define SEV_IOCTL_TYPE	    'S'
#define SEV_IOCTL_ISSUE_CMD _IOWR(SEV_IOCTL_TYPE, 0x0, struct sev_ioctl_issue_cmd)

/* cmd values; data points to a struct snp_platform_status (sev/snp-platform-status.h). */
#define SEV_IOCTL_CMD_PLATFORM_STATUS	  1u
#define SEV_IOCTL_CMD_SNP_PLATFORM_STATUS 9u

#endif /* SEV_SEV_IOCTL_H */
