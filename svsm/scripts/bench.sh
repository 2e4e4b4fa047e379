#!/usr/bin/env bash
# SVSM benchmark (printed, never asserted): image size, RAM reserved with 4 vCPUs, and
# boot-to-ready cost under TCG (wall time, and instructions with -icount shift=0, where the
# virtual TSC advances by one per instruction executed by any vCPU).
set -uo pipefail
cd "${TOP:?}" || exit 1
out=$BUILD/svsm
bin=$out/svsm.bin
echo "== SVSM benchmark (native platform, QEMU TCG, 4 vCPUs)"
printf 'image: flat binary %d bytes (goal <= 1048576)\n' "$(stat -c %s "$bin")"
size -A "$out/svsm.elf" | awk '$1 ~ /^\.(text|rodata|data|ksymtab|bss)$/ {printf "  %-9s %8d bytes\n", $1, $2}'
log=$(mktemp)
t0=$(date +%s%N)
svsm/scripts/run-native.sh "$bin" >"$log" 2>&1
rc=$?
t1=$(date +%s%N)
tr -d '\r' <"$log" | grep -E '^(CPUs online|SVSM memory|SVSM ready)' | sed 's/^/  /'
printf 'boot+self-test+exit wall time: %d ms (QEMU start-up included; run status %d)\n' \
	$(((t1 - t0) / 1000000)) "$rc"
mem=$(tr -d '\r' <"$log" | sed -n 's/^SVSM memory: image \([0-9]*\) KiB, region \([0-9]*\) KiB, heap used \([0-9]*\) KiB, private \([0-9]*\) KiB$/\1 \2 \3 \4/p')
if [ -n "$mem" ]; then
	read -r img region heap priv <<<"$mem"
	echo "RAM reserved: $region KiB region (goal <= 8192 KiB); in use at exit: image $img + heap $heap + per-CPU private $priv = $((img + heap + priv)) KiB"
fi
SVSM_QEMU_EXTRA="-icount shift=0" svsm/scripts/run-native.sh "$bin" >"$log" 2>&1
n=$(tr -d '\r' <"$log" | sed -n 's/^SVSM ready: boot-to-ready \([0-9]*\) TSC cycles$/\1/p')
echo "boot-to-ready under -icount shift=0: ${n:-?} instructions (all vCPUs, incl. the 10 ms INIT waits per AP)"
rm -f "$log"
