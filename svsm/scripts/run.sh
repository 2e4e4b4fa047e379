#!/usr/bin/env bash
# run.sh: what `make run` does for the SVSM. With a QEMU that emulates SEV-SNP
# (svsm/scripts/run-snp.sh), boot svsm.igvm there: the SVSM launches the VMPL2 test guest,
# whose console is shown, followed by a short account of what the guest asked and got.
# Otherwise say why and boot the same IGVM file natively (plain q35/TCG). Status 0 = success.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/svsm
console=$out/run-snp.console
"$top/svsm/scripts/run-snp.sh" "$out/svsm.igvm" 2>"$console.stderr" | tr -d '\r' | tee "$console"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 77 ]; then
	cat "$console.stderr" >&2
	echo
	echo "== Account: the VMPL2 guest and the SVSM (emulated SEV-SNP, $(grep -c '^CPUs online' "$console" >/dev/null && sed -n 's/^CPUs online: //p' "$console") SVSM CPUs)"
	grep -E '^# (account|bench):' "$console" | sed 's/^# /  /'
	awk '/^(not )?ok - guest: / {
		ok = ($1 == "ok"); sub(/^(not )?ok - guest: /, "");
		key = $1; if (key == "hostile") key = "hostile requests";
		else if (key == "vCPU") key = "calls from 4 vCPUs";
		sub(/:$/, "", key); n[key]++; if (!ok) bad[key]++ }
	END { for (k in n) printf "  %-24s %3d checked, %3d as the spec says\n", k, n[k], n[k] - bad[k] }' \
		"$console" | sort
	exit "$rc"
fi
echo "run: $(cat "$console.stderr")"
echo "run: no emulated SEV-SNP platform in that QEMU yet; booting svsm.igvm natively instead"
qemu=${SNP_EMU_QEMU:-$top/build/qemu/qemu-system-x86_64}
if [ ! -x "$qemu" ]; then
	echo "run: no QEMU with the IGVM loader ($qemu; make qemu): multiboot boot on stock QEMU"
	exec "$top/svsm/scripts/run-native.sh" "$out/svsm.bin"
fi
timeout --kill-after=5 "${SVSM_TIMEOUT:-120}" "$qemu" -accel tcg -cpu qemu64 \
	-machine q35,igvm-cfg=igvm0 -object "igvm-cfg,id=igvm0,file=$out/svsm.igvm" -m 256M -smp 4 \
	-nodefaults -display none -monitor none -no-reboot -chardev stdio,id=ser,mux=off,signal=off \
	-serial chardev:ser -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
nrc=$?
[ "$nrc" -eq 33 ] && exit 0
echo "run: native boot ended with QEMU status $nrc" >&2
exit 1
