#!/usr/bin/env bash
# launch-svsm.sh: start an SVSM guest directly with QEMU (no libvirt).
#
#   --kvm        real SEV-SNP host: KVM, sev-snp-guest, IGVM file
#   --emulated   the emulated SNP platform under TCG (our QEMU, no SNP hardware)
#   --plain      no launch security, TCG: the native-platform SVSM (--kernel)
#
# The settings are checked first by `svsm-virt check` (the same C checks the
# libvirt flow uses: SNP policy bits, ID block/auth sizes, HOST_DATA size, IGVM
# magic, emulator), so bad input is refused before QEMU runs. Run with --help.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}

die() { echo "launch-svsm: error: $*" >&2; exit 2; }

usage() {
	cat <<'EOF'
usage: launch-svsm.sh (--kvm | --emulated | --plain) [OPTIONS] [-- QEMU ARGS...]

platform:
  --kvm                  real SEV-SNP host (KVM)
  --emulated             emulated SNP platform under TCG (our QEMU)
  --plain                no SEV, TCG (SVSM on the native platform, with --kernel)
guest:
  --igvm FILE            IGVM file (kvm, emulated; from `igvmtool build`)
  --kernel FILE          plain: kernel/multiboot image to boot
  -m, --memory SIZE      guest memory, QEMU syntax (default 512M)
  --smp N                vCPUs (default 1)
  --disk FILE            disk image (virtio-blk; raw or qcow2 by file name)
  --cpu MODEL            CPU model (default: kvm EPYC-v4, emulated max, plain qemu64)
console and control:
  --serial-log FILE      serial console to FILE (default: this terminal)
  --qmp SOCKET           QMP on a unix socket (svsm-qmp -s SOCKET ...)
  --debug-exit           add isa-debug-exit (port 0xf4) for test guests
  --timeout SECONDS      stop QEMU after this long
SEV-SNP (kvm, emulated):
  --policy X             guest policy (default 0x30000)
  --cbitpos N            C-bit position       } default: asked from QEMU with
  --reduced-phys-bits N  address bits lost    } query-sev-capabilities
  --id-block FILE        base64 ID block  } from `igvmtool sign
  --id-auth FILE         base64 ID auth   }  --id-block-out --id-auth-out`
  --author-key           the ID auth carries an author key signature
  --host-data B64        32 bytes of HOST_DATA, base64
other:
  --qemu PATH            QEMU binary (default: $SVSM_QEMU, else build/qemu/
                         qemu-system-x86_64 for kvm/emulated, the system one for plain)
  --dry-run              print the QEMU command line (one argument a line), run nothing
EOF
}

mode="" igvm="" kernel="" mem=512M smp=1 disk="" cpu="" serial_log="" qmp="" debug_exit=0
timeout_s="" policy=0x30000 cbitpos="" rpb="" id_block="" id_auth="" author_key=0 host_data=""
qemu=${SVSM_QEMU:-} dry_run=0 policy_given=0
extra=()
need() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }
while [ $# -gt 0 ]; do
	case $1 in
	--kvm) mode=kvm ;;
	--emulated) mode=emulated ;;
	--plain) mode=plain ;;
	--igvm) need "$@"; igvm=$2; shift ;;
	--kernel) need "$@"; kernel=$2; shift ;;
	-m | --memory) need "$@"; mem=$2; shift ;;
	--smp) need "$@"; smp=$2; shift ;;
	--disk) need "$@"; disk=$2; shift ;;
	--cpu) need "$@"; cpu=$2; shift ;;
	--serial-log) need "$@"; serial_log=$2; shift ;;
	--qmp) need "$@"; qmp=$2; shift ;;
	--debug-exit) debug_exit=1 ;;
	--timeout) need "$@"; timeout_s=$2; shift ;;
	--policy) need "$@"; policy=$2; policy_given=1; shift ;;
	--cbitpos) need "$@"; cbitpos=$2; shift ;;
	--reduced-phys-bits) need "$@"; rpb=$2; shift ;;
	--id-block) need "$@"; id_block=$2; shift ;;
	--id-auth) need "$@"; id_auth=$2; shift ;;
	--author-key) author_key=1 ;;
	--host-data) need "$@"; host_data=$2; shift ;;
	--qemu) need "$@"; qemu=$2; shift ;;
	--dry-run) dry_run=1 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; extra=("$@"); break ;;
	*) usage >&2; die "unknown option '$1'" ;;
	esac
	shift
done

[ -n "$mode" ] || { usage >&2; die "choose --kvm, --emulated or --plain"; }
[[ "$smp" =~ ^[1-9][0-9]*$ ]] || die "--smp must be a positive number"
[[ "$mem" =~ ^[1-9][0-9]*[MGmg]?$ ]] || die "--memory: use a size like 512M or 2G"
[ -z "$timeout_s" ] || [[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be seconds"
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

if [ -z "$qemu" ]; then
	if [ "$mode" = plain ]; then qemu=$(command -v qemu-system-x86_64 || true)
	else qemu=$build/qemu/qemu-system-x86_64; fi
fi
[ -n "$qemu" ] || die "no qemu-system-x86_64 found (use --qemu PATH)"
qemu=$(abs "$qemu")

# The shared checks (C, include/sev/snp-firmware.h) through svsm-virt.
svsm_virt=${SVSM_VIRT:-$build/vmm-tools/virt/svsm-virt}
[ -x "$svsm_virt" ] || svsm_virt=$(command -v svsm-virt || true)
[ -n "$svsm_virt" ] && [ -x "$svsm_virt" ] || die "svsm-virt not found (make svsm-virt, or set SVSM_VIRT)"

check=("$svsm_virt" check --name launch --emulator "$qemu" --serial-log /dev/null)
case $mode in
kvm) check+=(--variant kvm) ;;
emulated) check+=(--variant emulated) ;;
plain) check+=(--variant plain) ;;
esac
[ -n "$igvm" ] && igvm=$(abs "$igvm") && check+=(--igvm "$igvm")
[ -n "$kernel" ] && kernel=$(abs "$kernel") && check+=(--kernel "$kernel")
[ -n "$disk" ] && disk=$(abs "$disk") && check+=(--disk "$disk")
if [ "$mode" != plain ]; then
	check+=(--policy "$policy")
	[ -n "$cbitpos" ] && check+=(--cbitpos "$cbitpos")
	[ -n "$rpb" ] && check+=(--reduced-phys-bits "$rpb")
	[ -n "$id_block" ] && id_block=$(abs "$id_block") && check+=(--id-block "$id_block")
	[ -n "$id_auth" ] && id_auth=$(abs "$id_auth") && check+=(--id-auth "$id_auth")
	[ "$author_key" = 1 ] && check+=(--author-key)
	[ -n "$host_data" ] && check+=(--host-data "$host_data")
elif [ "$policy_given" = 1 ] || [ -n "$cbitpos$rpb$id_block$id_auth$host_data" ] || [ "$author_key" = 1 ]; then
	die "SEV-SNP options need --kvm or --emulated"
fi
"${check[@]}" || exit 2

accel=tcg
[ "$mode" = kvm ] && accel=kvm

# The QEMU must know the objects this launch uses (stock QEMU 10.0 has no IGVM).
if [ "$mode" != plain ]; then
	types=$("$qemu" -object help 2>/dev/null) || die "$qemu -object help failed"
	grep -qx '  igvm-cfg' <<<"$types" ||
		die "$qemu has no igvm-cfg object (no IGVM support): use our QEMU (make qemu -> build/qemu/qemu-system-x86_64)"
	grep -qx '  sev-snp-guest' <<<"$types" || die "$qemu has no sev-snp-guest object"
fi

# cbitpos / reduced-phys-bits: what the platform reports (probe-sev.sh asks
# query-sev-capabilities of this QEMU on the same accelerator).
if [ "$mode" != plain ] && { [ -z "$cbitpos" ] || [ -z "$rpb" ]; }; then
	if ! caps=$("$here/probe-sev.sh" "$qemu" "$accel"); then
		if [ "$mode" = kvm ]; then
			die "no SEV on this host/QEMU (above); check the host with snp-host --target=snp, or pass --cbitpos and --reduced-phys-bits"
		else
			die "this QEMU has no emulated SEV-SNP platform under TCG (above): build ours with make qemu"
		fi
	fi
	[ -n "$cbitpos" ] || cbitpos=$(sed -n 's/^cbitpos //p' <<<"$caps")
	[ -n "$rpb" ] || rpb=$(sed -n 's/^reduced-phys-bits //p' <<<"$caps")
fi

# QEMU's option syntax: a literal comma is written twice.
qesc() { printf '%s' "${1//,/,,}"; }

cmd=("$qemu" -nodefaults -display none -monitor none -no-reboot -accel "$accel" -smp "$smp" -m "$mem")
case $mode in
kvm) cmd+=(-cpu "${cpu:-EPYC-v4}") ;;
emulated) cmd+=(-cpu "${cpu:-max}") ;;
plain) cmd+=(-cpu "${cpu:-qemu64}") ;;
esac
if [ "$mode" = plain ]; then
	if [ -n "$igvm" ]; then
		cmd+=(-machine q35,igvm-cfg=igvm0 -object "igvm-cfg,id=igvm0,file=$(qesc "$igvm")")
	else
		cmd+=(-machine q35)
	fi
	[ -n "$kernel" ] && cmd+=(-kernel "$kernel")
else
	snp="sev-snp-guest,id=sev0,policy=$policy,cbitpos=$cbitpos,reduced-phys-bits=$rpb"
	if [ -n "$id_block" ]; then
		snp+=",id-block=$(tr -d ' \n\r\t' <"$id_block"),id-auth=$(tr -d ' \n\r\t' <"$id_auth")"
		[ "$author_key" = 1 ] && snp+=",author-key-enabled=on"
	fi
	[ -n "$host_data" ] && snp+=",host-data=$host_data"
	cmd+=(-machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0
		-object "$snp" -object "igvm-cfg,id=igvm0,file=$(qesc "$igvm")")
fi
if [ -n "$serial_log" ]; then
	serial_log=$(abs "$serial_log")
	cmd+=(-chardev "file,id=ser0,path=$(qesc "$serial_log")" -serial chardev:ser0)
else
	cmd+=(-chardev stdio,id=ser0,signal=off -serial chardev:ser0)
fi
[ -n "$qmp" ] && cmd+=(-qmp "unix:$(qesc "$(abs "$qmp")"),server=on,wait=off")
if [ -n "$disk" ]; then
	fmt=raw
	case $disk in *.qcow2) fmt=qcow2 ;; esac
	# Confidential guests: virtio through the guest's IOMMU path (no legacy virtio).
	dev=virtio-blk-pci,drive=disk0
	[ "$mode" != plain ] && dev+=",disable-legacy=on,iommu_platform=on"
	cmd+=(-drive "if=none,id=disk0,format=$fmt,file=$(qesc "$disk")" -device "$dev")
fi
[ "$debug_exit" = 1 ] && cmd+=(-device isa-debug-exit,iobase=0xf4,iosize=0x04)
cmd+=("${extra[@]}")

if [ "$dry_run" = 1 ]; then
	printf '%s\n' "${cmd[@]}"
	exit 0
fi
if [ -n "$timeout_s" ]; then
	exec timeout --kill-after=5 "$timeout_s" "${cmd[@]}"
fi
exec "${cmd[@]}"
