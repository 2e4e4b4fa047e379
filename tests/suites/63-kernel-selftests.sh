#!/usr/bin/env bash
# timeout: 2400
# The patched kernel boots under QEMU TCG -cpu max (nested SVM) with a busybox
# initramfs, initialises kvm_amd and runs the KVM selftests of
# kvm-patches/selftests.txt (upstream guest_memfd/private-memory tests and ours).
# SNP-only tests skip cleanly here and are reported as SKIP, never as passes.
source "$TOP/tests/lib.sh"
kp=$TOP/kvm-patches/scripts
set +e
"$kp/build-kernel.sh" || { not_ok "kernel boot: make kernel failed"; exit 0; }
"$kp/build-selftests.sh" || { not_ok "kvm selftests: build failed"; exit 0; }
"$kp/boot-selftests.sh"
