#!/usr/bin/env bash
# make bench (snp-guest-ratio): wall-time ratio of the same guest workload
# (tests/snp-guest/70-bench.c) on the emulated SEV-SNP platform vs plain TCG,
# in one run, on one QEMU binary:
#   plain: -machine q35 -accel tcg, the Multiboot ELF ("mode=plain")
#   SNP:   the same guest started from snp-guest.igvm with sev-snp-guest, as
#          hardware starts it: RMP checks and #VC from the first instruction
# Runs alternate (plain, SNP, plain, ...) so that load from other processes
# hits both alike. Prints each run, the medians, the ratio and whether the
# issue's goal (SNP <= 1.15 x plain) is met. Figures only: never fails on time.
#   SNP_EMU_QEMU   QEMU binary (default: the pipeline's build/qemu)
#   SNP_BENCH_REPS repetitions per platform (default 3)
#   SNP_BENCH_ROUNDS workload rounds (default 8; see 70-bench.c)
set -euo pipefail
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BUILD:-$top/build}
out=$build/snp-bench
qemu=${SNP_EMU_QEMU:-$build/qemu/qemu-system-x86_64}
reps=${SNP_BENCH_REPS:-3}
rounds=${SNP_BENCH_ROUNDS:-8}
goal=1.15
args="bench rounds=$rounds only=bench_workload"
cbit=47
reduced=1

if [ ! -x "$qemu" ]; then
	echo "snp-bench: $qemu not built (make qemu)" >&2
	exit 1
fi
mkdir -p "$out"
SNP_GUEST_IGVM_ARGS="$args" "$top/tests/snp-guest/build.sh" "$out/guest" >"$out/build.log" 2>&1 ||
	{ echo "snp-bench: guest build failed ($out/build.log)" >&2; exit 1; }
[ -f "$out/guest/snp-guest.igvm" ] ||
	{ echo "snp-bench: snp-guest.igvm not built (igvmtool: make all)" >&2; exit 1; }

# shellcheck disable=SC2054 # commas inside QEMU option values
common=(-L /usr/share/seabios -L /usr/share/qemu -accel tcg -display none -nodefaults -m 256M
	-device isa-debug-exit,iobase=0xf4)
run_plain() { # LOG
	timeout 900 "$qemu" "${common[@]}" -machine q35 -kernel "$out/guest/snp-guest.elf" \
		-append "mode=plain $args" -debugcon "file:$1"
}
run_snp() { # LOG
	timeout 900 "$qemu" "${common[@]}" -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
		-object igvm-cfg,id=igvm0,file="$out/guest/snp-guest.igvm" \
		-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
		-debugcon "file:$1"
}
# One run: "<wall-ms> <tsc-delta> <checksum>" or nothing on failure.
one() { # plain|snp N
	local log=$out/$1-$2.log t0 t1 rc=0 tsc sum
	rm -f "$log"
	t0=$(date +%s%N)
	"run_$1" "$log" >"$out/$1-$2.qemu.log" 2>&1 || rc=$?
	t1=$(date +%s%N)
	tsc=$(sed -n 's/^bench: tsc-delta 0x\([0-9a-f]*\)$/\1/p' "$log" 2>/dev/null)
	sum=$(sed -n 's/.* checksum 0x\([0-9a-f]*\)$/\1/p' "$log" 2>/dev/null)
	if [ "$rc" -ne 33 ] || [ -z "$tsc" ]; then
		echo "snp-bench: $1 run $2 failed (status $rc; $log, $out/$1-$2.qemu.log)" >&2
		return 0
	fi
	echo "$(((t1 - t0) / 1000000)) $((16#$tsc)) $sum"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "snp-bench: $qemu, $reps runs each, workload: $args"
echo "snp-bench: mix per round: 8192 scattered page RMWs (32 MiB), CR3 reload per 512 pages,"
echo "snp-bench:   OUT 80h per 1024 pages (#VC + GHCB IOIO on SNP), 32768 hash ops, 4096-word sort"
: >"$out/plain.txt"
: >"$out/snp.txt"
for i in $(seq 1 "$reps"); do
	for p in plain snp; do
		r=$(one "$p" "$i")
		[ -n "$r" ] || continue
		echo "$r" >>"$out/$p.txt"
		read -r ms tsc sum <<<"$r"
		printf 'snp-bench: run %d %-5s wall %6d ms  workload %12d TSC ticks  checksum %s\n' \
			"$i" "$p" "$ms" "$tsc" "$sum"
	done
done
if [ ! -s "$out/plain.txt" ] || [ ! -s "$out/snp.txt" ]; then
	echo "snp-bench: no complete plain/SNP pair: no ratio" >&2
	exit 1
fi
sums=$(cut -d' ' -f3 "$out/plain.txt" "$out/snp.txt" | sort -u | wc -l)
[ "$sums" -eq 1 ] || echo "snp-bench: WARNING: checksums differ between runs (not the same work)"
pw=$(cut -d' ' -f1 "$out/plain.txt" | median)
sw=$(cut -d' ' -f1 "$out/snp.txt" | median)
pt=$(cut -d' ' -f2 "$out/plain.txt" | median)
st=$(cut -d' ' -f2 "$out/snp.txt" | median)
awk -v pw="$pw" -v sw="$sw" -v pt="$pt" -v st="$st" -v goal="$goal" 'BEGIN {
	wr = sw / pw; tr = st / pt
	printf "snp-bench: median wall      plain %d ms, SNP %d ms: ratio %.3f x (whole QEMU run incl. boot/launch)\n", pw, sw, wr
	printf "snp-bench: median workload  plain %.0f, SNP %.0f TSC ticks: ratio %.3f x\n", pt, st, tr
	printf "snp-bench: goal SNP <= %.2f x plain (workload): %s\n", goal, (tr <= goal) ? "MET" : "NOT MET"
}'
