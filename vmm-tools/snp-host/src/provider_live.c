// SPDX-License-Identifier: MIT
/* Live provider: the real host (CPUID instruction, /dev/cpu/N/msr, /dev/sev, /dev/kvm). */
#include "provider.h"
#include "fileio.h"
#include "runcmd.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include <sev/sev-ioctl.h>
#include <sev/snp-platform-status.h>

/* External probes (QEMU start-and-quit, virsh) finish in a second or two. */
#define LIVE_CMD_TIMEOUT_S 20u

static enum probe_status live_read_file(void *ctx, const char *path, char **data, size_t *len)
{
	(void)ctx;
	return fileio_read(path, data, len);
}

static enum probe_status live_exists(void *ctx, const char *path)
{
	(void)ctx;
	return fileio_exists(path);
}

static enum probe_status live_count_dir(void *ctx, const char *path, const char *prefix,
					unsigned *count)
{
	(void)ctx;
	return fileio_count_dir(path, prefix, count);
}

static enum probe_status live_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
				    struct cpuid_regs *out)
{
	(void)ctx;
	/* __get_cpuid_count checks the leaf against the basic/extended maximum. */
	if (!__get_cpuid_count(leaf, subleaf, &out->eax, &out->ebx, &out->ecx, &out->edx))
		return PROBE_ABSENT;
	return PROBE_OK;
}

static enum probe_status live_rdmsr(void *ctx, unsigned cpu, uint32_t msr, uint64_t *value)
{
	(void)ctx;
	char path[64];
	snprintf(path, sizeof(path), "/dev/cpu/%u/msr", cpu);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return probe_from_errno(errno);
	/* The msr driver reads MSR n at file offset n. */
	ssize_t n = pread(fd, value, sizeof(*value), (off_t)msr);
	int err = errno;
	close(fd);
	if (n == (ssize_t)sizeof(*value))
		return PROBE_OK;
	return n < 0 ? (err == EACCES || err == EPERM ? PROBE_DENIED : PROBE_ERROR) : PROBE_ERROR;
}

static enum probe_status live_snp_platform_status(void *ctx, struct snp_status_info *out,
						  uint32_t *fw_error)
{
	(void)ctx;
	*fw_error = 0;
	int fd = open("/dev/sev", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return probe_from_errno(errno);
	/* The firmware writes a whole page-aligned buffer; give it its own page. */
	void *page = NULL;
	if (posix_memalign(&page, 4096, 4096) != 0) {
		close(fd);
		return PROBE_ERROR;
	}
	memset(page, 0, 4096);
	struct sev_ioctl_issue_cmd cmd = {
		.cmd = SEV_IOCTL_CMD_SNP_PLATFORM_STATUS,
		.data = (uint64_t)(uintptr_t)page,
	};
	int rc = ioctl(fd, SEV_IOCTL_ISSUE_CMD, &cmd);
	int err = errno;
	close(fd);
	if (rc != 0) {
		free(page);
		*fw_error = cmd.error;
		if (err == EACCES || err == EPERM)
			return PROBE_DENIED;
		/* EINVAL/ENOTTY: a kernel without SNP commands on /dev/sev. */
		return err == EINVAL || err == ENOTTY ? PROBE_ABSENT : PROBE_ERROR;
	}
	struct snp_platform_status s;
	memcpy(&s, page, sizeof(s));
	free(page);
	*out = (struct snp_status_info){
		.api_major = s.api_major,
		.api_minor = s.api_minor,
		.state = s.state,
		.rmp_initialized = s.rmp_flags & SNP_STATUS_IS_RMP_INITIALIZED,
		.build_id = s.build_id,
		.mask_chip_id = s.config_flags & SNP_STATUS_MASK_CHIP_ID,
		.mask_chip_key = s.config_flags & SNP_STATUS_MASK_CHIP_KEY,
		.vlek_en = s.config_flags & SNP_STATUS_VLEK_EN,
		.guest_count = s.guest_count,
		.current_tcb = s.current_tcb,
		.reported_tcb = s.reported_tcb,
	};
	return PROBE_OK;
}

static enum probe_status live_kvm_check_extension(void *ctx, long cap, long *value)
{
	(void)ctx;
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return probe_from_errno(errno);
	int rc = ioctl(fd, KVM_CHECK_EXTENSION, cap);
	int err = errno;
	close(fd);
	if (rc < 0)
		return probe_from_errno(err);
	*value = rc;
	return PROBE_OK;
}

static enum probe_status live_run(void *ctx, const char *id, const char *const argv[],
				  const char *input, struct cmd_result *res)
{
	(void)ctx;
	(void)id;
	return runcmd(argv, input, LIVE_CMD_TIMEOUT_S, res);
}

static enum probe_status live_write_file(void *ctx, const char *path, const char *content)
{
	(void)ctx;
	return fileio_write(path, content);
}

static unsigned live_euid(void *ctx)
{
	(void)ctx;
	return (unsigned)geteuid();
}

static const struct provider_ops live_ops = {
	.read_file = live_read_file,
	.exists = live_exists,
	.count_dir = live_count_dir,
	.cpuid = live_cpuid,
	.rdmsr = live_rdmsr,
	.snp_platform_status = live_snp_platform_status,
	.kvm_check_extension = live_kvm_check_extension,
	.run = live_run,
	.write_file = live_write_file,
	.euid = live_euid,
	.destroy = NULL,
};

int provider_live_open(struct provider *p)
{
	p->ops = &live_ops;
	p->ctx = NULL;
	return 0;
}
