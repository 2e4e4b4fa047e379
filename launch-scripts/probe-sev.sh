#!/usr/bin/env bash
# probe-sev.sh QEMU ACCEL: does this QEMU offer SEV on this accelerator (kvm, or
# tcg for the emulated SNP platform)? Starts it with -machine none and asks
# query-sev-capabilities over QMP, the same question libvirt's capability probe
# asks. Prints "cbitpos N" / "reduced-phys-bits N" and exits 0, or prints the
# reason on stderr and exits 1 (2: cannot ask at all).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${BUILD:-$(cd "$here/.." && pwd)/build}
svsm_qmp=${SVSM_QMP:-$build/vmm-tools/qmp/svsm-qmp}
[ $# -eq 2 ] || { echo "usage: $0 QEMU kvm|tcg" >&2; exit 2; }
qemu=$1 accel=$2
[ -x "$svsm_qmp" ] || { echo "probe-sev: svsm-qmp not built (make svsm-qmp)" >&2; exit 2; }
[ -x "$qemu" ] || { echo "probe-sev: $qemu: no such executable" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$qemu" -machine none -accel "$accel" -nodefaults -display none -monitor none \
	-qmp "unix:$dir/qmp.sock,server=on,wait=off" >"$dir/qemu.log" 2>&1 &
pid=$!
out=$("$svsm_qmp" -s "$dir/qmp.sock" -t 10 sev-capabilities 2>&1)
rc=$?
"$svsm_qmp" -s "$dir/qmp.sock" -t 5 exec quit >/dev/null 2>&1 || kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ $rc -ne 0 ]; then
	echo "probe-sev: $qemu (-accel $accel) offers no SEV: ${out#svsm-qmp: }" >&2
	sed 's/^/probe-sev:   qemu: /' "$dir/qemu.log" >&2
	exit 1
fi
echo "$out"
