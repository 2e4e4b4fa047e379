#!/usr/bin/env bash
# timeout: 2400
# kvm-patches: checkpatch.pl --strict per patch; every prefix of the series builds
# arch/x86/kvm (+ virt/kvm) with W=1 and adds no warning over Debian's tree.
source "$TOP/tests/lib.sh"
kp=$TOP/kvm-patches/scripts
set +e
"$kp/build-kernel.sh" || { not_ok "kernel series: make kernel failed"; exit 0; }
t0=$SECONDS
"$kp/check-series.sh"
echo "# series checks took $((SECONDS - t0)) s"
