#!/usr/bin/env bash
# run-snp.sh [IGVM]: boot the SVSM's IGVM file (default build/svsm/svsm.igvm, which carries
# the VMPL2 test guest) on QEMU's emulated SEV-SNP platform under TCG (docs/svsm-guest.md):
#   -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0
#   -object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1 -accel tcg
# QEMU: $SNP_EMU_QEMU, else the one built from qemu-patches/series (build/qemu). Console on
# stdout. SVSM_SNP_MEM (2G: the guest's 1 GiB PVALIDATE needs RAM at 1-2 GiB), SVSM_SNP_SMP
# (4), SVSM_TIMEOUT (900), SVSM_QEMU_EXTRA add to the command line, SVSM_SNP_PROPS to the
# sev-snp-guest object (e.g. lie-run-vmpl=on); SVSM_SNP_FORCE=1 skips the check of the
# emulator's pieces.
# Exit: 0 all passed (isa-debug-exit 33), 1 failures reported (35), 2 crash (37) or another
# QEMU status, 3 timeout, 77 this QEMU lacks emulated-SNP pieces (listed on stderr).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
img=${1:-$top/build/svsm/svsm.igvm}
qemu=${SNP_EMU_QEMU:-$top/build/qemu/qemu-system-x86_64}

# What the SVSM needs from the emulator, by the entry point that implements it (the names
# the emulator's authors announced, docs/snp-emulation.md and the helpers' board).
missing=()
need() { grep -qaF "$1" "$qemu" 2>/dev/null || missing+=("$2 ($1)"); }
if [ ! -x "$qemu" ]; then
	echo "run-snp: no QEMU at $qemu" >&2
	exit 77
fi
need sev_snp_tcg_init "sev-snp-guest under TCG"
need helper_vmgexit "VMGEXIT and the GHCB"
need snp_vmpl_run "VMPL contexts and Run VMPL"
need snp_emu_launch_vmsa "IGVM launch on the emulated platform"
# SVSM_SNP_FORCE=1 runs anyway (if the emulator names its entry points differently).
if [ ${#missing[@]} -gt 0 ] && [ -z "${SVSM_SNP_FORCE:-}" ]; then
	echo "run-snp: $qemu lacks: $(IFS=,; echo "${missing[*]}")" >&2
	exit 77
fi

# Option ROMs (kvmvapic.bin): the build tree's pc-bios, the pipeline's share dir, Debian's.
bios=()
for d in "$(dirname "$qemu")/pc-bios" "$top/build/qemu/share/qemu" /usr/share/qemu /usr/share/seabios; do
	[ -d "$d" ] && bios+=(-L "$d")
done
timeout --kill-after=5 "${SVSM_TIMEOUT:-900}" "$qemu" "${bios[@]}" -accel tcg \
	-machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
	-object "igvm-cfg,id=igvm0,file=$img" \
	-object "sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1${SVSM_SNP_PROPS:+,$SVSM_SNP_PROPS}" \
	-m "${SVSM_SNP_MEM:-2G}" -smp "${SVSM_SNP_SMP:-4}" -nodefaults -display none \
	-monitor none -no-reboot -chardev stdio,id=ser,mux=off,signal=off -serial chardev:ser \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 ${SVSM_QEMU_EXTRA:-} </dev/null
rc=$?
case $rc in
33) exit 0 ;;
35) echo "run-snp: failures reported" >&2; exit 1 ;;
124 | 137) echo "run-snp: timed out" >&2; exit 3 ;;
*) echo "run-snp: QEMU exited with $rc" >&2; exit 2 ;;
esac
