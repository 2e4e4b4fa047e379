#!/usr/bin/env bash
# run-libvirt.sh: `make run LAUNCH=libvirt`. Boots the SVSM as a libvirt domain
# under a private session daemon (libvirt-session.sh) and shows its serial
# console until it reports ready:
#   - on the emulated SNP platform (our QEMU under TCG, <launchSecurity
#     type='sev-snp'>, IGVM) when that QEMU answers query-sev-capabilities;
#   - otherwise, saying so, the native-platform SVSM as a plain domain.
# SVSM_IGVM overrides the IGVM file (default build/svsm/svsm.igvm, else one built
# from build/svsm/svsm.bin with igvmtool).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}
qemu=${SVSM_QEMU:-$build/qemu/qemu-system-x86_64}
state=$build/launch/run-libvirtd
svsm_load=0x1000000 # the SVSM's multiboot load address (svsm/, run-native.sh)

eval "$("$here/libvirt-session.sh" start "$state")"
export LIBVIRT_URI LIBVIRT_GUEST_DIR
trap '"$here/libvirt-session.sh" stop "$state"' EXIT

opts=()
if [ -x "$qemu" ] && reason=$("$here/probe-sev.sh" "$qemu" tcg 2>&1); then
	igvm=${SVSM_IGVM:-$build/svsm/svsm.igvm}
	if [ ! -f "$igvm" ]; then
		igvm=$build/launch/svsm.igvm
		"$build/vmm-tools/igvm/igvmtool" build --svsm "$build/svsm/svsm.bin" \
			--svsm-addr "$svsm_load" -o "$igvm"
	fi
	echo "run-libvirt: emulated SEV-SNP platform ($qemu), IGVM $igvm"
	opts=(--variant emulated --emulator "$qemu" --igvm "$igvm")
else
	[ -x "$qemu" ] || reason="$qemu not built (make qemu)"
	echo "run-libvirt: emulated SEV-SNP platform not available: $reason"
	echo "run-libvirt: running the native-platform SVSM as a plain libvirt domain instead"
	opts=(--variant plain --kernel "$build/svsm/svsm.bin")
fi
"$here/libvirt-flow.sh" --name svsm-run --workdir "$build/launch/run" \
	--wait-for "SVSM ready" --timeout "${SVSM_TIMEOUT:-120}" -- --memory 512 --vcpus 2 "${opts[@]}"
