#!/usr/bin/env bash
# timeout: 1200
# KUnit suites of the patched kernel, run by tools/testing/kunit/kunit.py
# (--arch=x86_64 under QEMU; KVM does not build for UML).
source "$TOP/tests/lib.sh"
kp=$TOP/kvm-patches/scripts
set +e
"$kp/build-kernel.sh" || { not_ok "kunit: make kernel failed"; exit 0; }
"$kp/run-kunit.sh"
