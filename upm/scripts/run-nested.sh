#!/usr/bin/env bash
# Boot the kernel pipeline's bzImage (KVM, KVM_AMD, KVM_SW_PROTECTED_VM built in) under
# QEMU TCG with nested SVM, run upm-convtest from the initramfs and relay its
# "ok - / not ok - " lines, plus "not ok" for every run that did not finish.
#
# Usage: upm/scripts/run-nested.sh INITRAMFS [-- check|stress|bench]
#   UPM_BZIMAGE  kernel image (default: build/kernel/bzImage, docs/kernel-pipeline.md)
#   UPM_STRESS   random conversions per vCPU: check mode 10000 (1 vCPU), stress mode 50000 (2 vCPUs)
#   UPM_QEMU_OPTS  extra QEMU options (e.g. "-monitor unix:/tmp/m,server,nowait" to look at
#                a stalled vCPU with "info registers")
#   UPM_ARGS, UPM_REPEAT  mode "args" (a reproducer): upm-convtest --seed K UPM_ARGS for
#                K = 1..UPM_REPEAT; the log is relayed as it is
# Console log: build/upm/nested-MODE.log
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(cd "$here/../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
initrd=${1:?usage: run-nested.sh INITRAMFS [-- check|bench]}
shift
[ "${1:-}" = "--" ] && shift
mode=${1:-check}
bz=${UPM_BZIMAGE:-$BUILD/kernel/bzImage}
qemu=${QEMU:-qemu-system-x86_64}
log=$BUILD/upm/nested-$mode.log

if [ "$mode" = args ]; then
	runs=()
	for ((k = 1; k <= ${UPM_REPEAT:-1}; k++)); do runs+=("--seed $k ${UPM_ARGS:-}"); done
elif [ "$mode" = bench ]; then
	runs=("--bench")
elif [ "$mode" = stress ]; then
	runs=("--vcpus 2 --stress ${UPM_STRESS:-50000} --seed 11 --label [stress]")
else
	runs=("--vcpus 2" "--vcpus 2 --keep" "--vcpus 1 --stress ${UPM_STRESS:-10000} --seed 7 --label [random]")
fi

missing() {
	for r in "${runs[@]}"; do echo "not ok - upm nested run '$r': $1"; done
	exit 0
}
command -v "$qemu" >/dev/null || missing "$qemu not installed"
[ -f "$bz" ] || missing "kernel image $bz not built (make kernel, kvm-patches pipeline)"
[ -f "$initrd" ] || missing "initramfs $initrd not built"

stress=${UPM_STRESS:-}
[ -n "$stress" ] || { [ "$mode" = stress ] && stress=50000 || stress=10000; }
mkdir -p "$(dirname "$log")"
t0=$SECONDS
qemu_limit=3300
[ "$mode" = stress ] && qemu_limit=11400
# shellcheck disable=SC2086 # UPM_QEMU_OPTS is a list of words
timeout "$qemu_limit" "$qemu" -accel tcg -cpu max -smp 2 -m 2G -nographic -no-reboot \
	-kernel "$bz" -initrd "$initrd" ${UPM_QEMU_OPTS:-} \
	-append "console=ttyS0 quiet loglevel=1 panic=-1 kunit.enable=0 upm.mode=$mode upm.stress=$stress${UPM_ARGS:+ upm.args=${UPM_ARGS// /,} upm.repeat=${UPM_REPEAT:-1}}" \
	</dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.txt"
echo "# nested boot + upm-convtest ($mode) took $((SECONDS - t0)) s, qemu exit $rc; log $log"

if ! grep -q 'UPM-BOOT ' "$log.txt"; then
	tail -20 "$log.txt" | sed 's/^/# /'
	missing "the kernel never reached the initramfs"
fi
grep -q '^UPM-KVM present' "$log.txt" || echo "# /dev/kvm missing in the nested kernel"

for r in "${runs[@]}"; do
	body=$(awk -v r="UPM-BEGIN $r" '$0 == r { on = 1; next } on && /^UPM-END rc=/ { print; exit } on { print }' "$log.txt")
	# Counters and figures as log; results as they are.
	echo "$body" | grep -E '^# ' || true
	echo "$body" | grep -E '^(ok|not ok) - ' || true
	end=$(echo "$body" | grep '^UPM-END rc=' || true)
	if [ -z "$end" ]; then
		echo "not ok - upm nested run '$r': did not finish (see $log)"
		echo "$body" | grep -v -E '^(#|ok|not ok) ' | tail -15 | sed 's/^/# /'
	elif [ "${end##*rc=}" != 0 ] && ! echo "$body" | grep -q '^not ok - '; then
		echo "not ok - upm nested run '$r': exit ${end##*rc=} without a failed check"
		echo "$body" | grep -v -E '^(#|ok|not ok) ' | tail -15 | sed 's/^/# /'
	fi
done
exit 0
