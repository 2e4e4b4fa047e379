#!/usr/bin/env bash
# libvirt-flow.sh: the whole libvirt life of an SVSM guest, one readable step at
# a time (each step is one svsm-virt or virsh command you can also type):
#
#   1. generate the domain XML            svsm-virt xml ... -o NAME.xml
#   2. check it with libvirt's own schema virt-xml-validate NAME.xml domain
#   3. define the domain                  svsm-virt define ...
#   4. start it                           svsm-virt start NAME
#   5. show its state                     svsm-virt status NAME
#   6. read its serial console            svsm-virt console NAME --wait-for TEXT
#   7. stop and remove it                 svsm-virt destroy NAME; svsm-virt undefine NAME
#
# usage: libvirt-flow.sh [--uri URI] [--name NAME] [--wait-for TEXT] [--timeout S]
#                        [--keep] [--workdir DIR] -- SVSM-VIRT DOMAIN OPTIONS...
# e.g.   libvirt-flow.sh --wait-for 'SVSM ready' -- --variant emulated \
#            --emulator build/qemu/qemu-system-x86_64 --igvm build/svsm/svsm.igvm
# URI defaults to $LIBVIRT_URI, else qemu:///session; serial logs go to
# $LIBVIRT_GUEST_DIR when set (see libvirt-session.sh), else to --workdir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${BUILD:-$(cd "$here/.." && pwd)/build}
svsm_virt=${SVSM_VIRT:-$build/vmm-tools/virt/svsm-virt}

die() { echo "libvirt-flow: error: $*" >&2; exit 2; }
step() { printf '\n== %s\n' "$*" >&2; }

uri=${LIBVIRT_URI:-qemu:///session} name=svsm-guest wait_for="" timeout_s=60 keep=0
workdir=$PWD
while [ $# -gt 0 ]; do
	case $1 in
	--uri) uri=$2; shift ;;
	--name) name=$2; shift ;;
	--wait-for) wait_for=$2; shift ;;
	--timeout) timeout_s=$2; shift ;;
	--keep) keep=1 ;;
	--workdir) workdir=$2; shift ;;
	--) shift; break ;;
	*) die "unknown option '$1' (domain options go after --)" ;;
	esac
	shift
done
[ -x "$svsm_virt" ] || die "svsm-virt not found at $svsm_virt (make svsm-virt)"
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
logdir=${LIBVIRT_GUEST_DIR:-$workdir}
xml=$workdir/$name.xml
domain_opts=(--name "$name" --serial-log "$logdir/$name-serial.log" "$@")
virt() { "$svsm_virt" -c "$uri" "$@"; }

step "1. domain XML -> $xml"
"$svsm_virt" xml "${domain_opts[@]}" -o "$xml"

step "2. libvirt's schema: virt-xml-validate"
virt-xml-validate "$xml" domain

step "3. define $name"
virt define "${domain_opts[@]}"

cleanup() {
	[ "$keep" = 1 ] && return
	step "7. destroy and undefine $name"
	virt undefine --force "$name" || true
}
trap cleanup EXIT

step "4. start $name"
virt start "$name"

step "5. status"
virt status "$name"

step "6. serial console${wait_for:+ (waiting for '$wait_for', ${timeout_s}s)}"
if [ -n "$wait_for" ]; then
	virt console "$name" --wait-for "$wait_for" --timeout "$timeout_s"
else
	virt console "$name" --timeout "$timeout_s"
fi
virt status "$name"
