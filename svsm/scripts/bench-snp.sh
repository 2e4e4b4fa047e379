#!/usr/bin/env bash
# SVSM figures on the emulated SEV-SNP platform (printed, never asserted; make bench):
# hypervisor exits per SVSM call (goal 2: one Run VMPL each way) and the SVSM calls and
# exits to PVALIDATE 1 GiB with 2 MiB pages (goal <= 2 calls, <= 4 exits), as counted by
# the VMPL2 test guest (tests/svsm-guest/main.c). Skipped, with the reason, when the QEMU
# has no emulated SNP platform (svsm/scripts/run-snp.sh exit 77).
set -uo pipefail
cd "${TOP:?}" || exit 1
echo "== SVSM on the emulated SEV-SNP platform (QEMU TCG, 4 vCPUs, VMPL2 test guest)"
log=$BUILD/svsm/bench-snp.console
t0=$(date +%s%N)
svsm/scripts/run-snp.sh "$BUILD/svsm/svsm.igvm" >"$log" 2>"$log.stderr"
rc=$?
t1=$(date +%s%N)
if [ "$rc" -eq 77 ]; then
	echo "skipped: $(cat "$log.stderr")"
	exit 0
fi
tr -d '\r' <"$log" | sed -n 's/^# bench: /  /p'
printf 'launch + guest run + exit wall time: %d ms (run status %d)\n' \
	$(((t1 - t0) / 1000000)) "$rc"
