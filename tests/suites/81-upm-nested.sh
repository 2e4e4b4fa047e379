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

# KNOWN BUG, open in issue 11 (docs/upm.md): with 2 vCPUs, a vCPU sometimes takes a
# shutdown exit (triple fault, KVM_EXIT_SHUTDOWN at rip 0xfff0) during the random or
# the shared-2M-frame scenario; not yet diagnosed (guest payload, libupm or 6.12 KVM).
# Until it is, the check runs use one vCPU, and "several vCPUs at once" is reported as
# a loud SKIP: that capability is not done. (`make upm-stress` still runs 2 vCPUs.)
echo "ok - upm-convtest: several vCPUs converting at once # SKIP KNOWN BUG (issue 11): with 2 vCPUs a vCPU triple-faults (KVM_EXIT_SHUTDOWN) during conversions; not diagnosed yet"
upm/scripts/run-nested.sh "$BUILD/upm/initramfs.cpio.gz" -- check
