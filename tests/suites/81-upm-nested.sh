#!/usr/bin/env bash
# timeout: 3600
# upm-convtest inside the nested-KVM VM of the kernel pipeline: its bzImage (KVM,
# KVM_AMD, KVM_SW_PROTECTED_VM built in) under QEMU TCG -cpu max, with our initramfs.
# Without that bzImage every nested run reports "not ok" (never a silent pass).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
if ! make --no-print-directory -s "$BUILD/upm/initramfs.cpio.gz" >"$BUILD/upm-initramfs.log" 2>&1; then
	cat "$BUILD/upm-initramfs.log"
	not_ok "upm initramfs builds"
	exit 0
fi

# Runs: discard and keep policies on 2 vCPUs converting concurrently (every scenario,
# including the shared 2M frame), then 10000 random conversions with audits on 1 vCPU.
# A vCPU that stops (e.g. KVM_EXIT_SHUTDOWN, see docs/upm.md "Known problems") is a
# "not ok" with the guest's breadcrumbs in the log.
upm/scripts/run-nested.sh "$BUILD/upm/initramfs.cpio.gz" -- check
