#!/usr/bin/env bash
# run-libvirt.sh: `make run LAUNCH=libvirt`. Boots the SVSM as a libvirt domain
# under a private session daemon (libvirt-session.sh) and shows its serial
# console until it reports ready:
#   - on the emulated SNP platform (our QEMU under TCG, <launchSecurity
#     type='sev-snp'>, IGVM) when that QEMU answers query-sev-capabilities;
#   - otherwise, saying so, the native-platform SVSM as a plain domain.
# SVSM_IGVM overrides the IGVM file (default: `make svsm-igvm`, build/svsm/svsm.igvm).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}
qemu=${SVSM_QEMU:-$build/qemu/qemu-system-x86_64}
state=$build/launch/run-libvirtd

mkdir -p "$state"
if ! "$here/libvirt-session.sh" reachable "$state"; then
	# The daemon runs unprivileged: a tree under /root is out of its reach.
	state=$(mktemp -d /tmp/svsm-run-libvirtd.XXXXXX)
	chmod 0755 "$state"
fi
eval "$("$here/libvirt-session.sh" start "$state")"
export LIBVIRT_URI LIBVIRT_GUEST_DIR
trap '"$here/libvirt-session.sh" stop "$state"; [[ "$state" == /tmp/* ]] && rm -rf "$state"' EXIT

opts=()
if [ -x "$qemu" ] && reason=$("$here/probe-sev.sh" "$qemu" tcg 2>&1); then
	igvm=${SVSM_IGVM:-}
	if [ -z "$igvm" ]; then
		make -C "$top" --no-print-directory -s svsm-igvm # the SVSM built for SNP
		igvm=$build/svsm/svsm.igvm
	fi
	echo "run-libvirt: emulated SEV-SNP platform ($qemu), IGVM $igvm"
	cp "$igvm" "$LIBVIRT_GUEST_DIR/svsm.igvm" # where the daemon's user can read it
	opts=(--variant emulated --emulator "$qemu" --igvm "$LIBVIRT_GUEST_DIR/svsm.igvm")
else
	[ -x "$qemu" ] || reason="$qemu not built (make qemu)"
	echo "run-libvirt: emulated SEV-SNP platform not available: $reason"
	echo "run-libvirt: running the native-platform SVSM as a plain libvirt domain instead"
	cp "$build/svsm/svsm.bin" "$LIBVIRT_GUEST_DIR/svsm.bin"
	opts=(--variant plain --kernel "$LIBVIRT_GUEST_DIR/svsm.bin")
fi
"$here/libvirt-flow.sh" --name svsm-run --workdir "$build/launch/run" \
	--wait-for "SVSM ready" --timeout "${SVSM_TIMEOUT:-120}" -- --memory 512 --vcpus 2 "${opts[@]}"
