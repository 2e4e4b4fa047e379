#!/usr/bin/env bash
# make bench (snp-guest-ratio): wall-time ratio of the same guest workload
# (tests/snp-guest/70-bench.c) on the emulated SEV-SNP platform vs plain TCG,
# in one run, on one QEMU binary:
#   plain: -machine q35 -accel tcg, the Multiboot ELF ("mode=plain")
#   SNP:   the same guest started from snp-guest.igvm with sev-snp-guest, as
#          hardware starts it: RMP checks and #VC from the first instruction
# Each repetition runs plain and SNP back to back, once with the workload and
# once with rounds=0 (boot, launch and setup only), and measures wall time,
# the QEMU process's CPU time (user + sys) and the guest's own TSC delta over
# the timed rounds. The workload's cost is the run minus its rounds=0 run.
# On an idle machine wall time equals CPU time; on a shared one (other builds
# running) wall time includes waiting for a CPU, so the goal (SNP <= 1.15 x
# plain, issue 6) is judged on the workload's CPU time, and the wall/TSC
# ratios are printed beside it. Ratios are medians of the per-repetition
# ratios. Figures only: never fails on time.
#   SNP_EMU_QEMU   QEMU binary (default: the pipeline's build/qemu)
#   SNP_BENCH_REPS repetitions per platform (default 3)
#   SNP_BENCH_ROUNDS workload rounds (default 200, about 2 s; see 70-bench.c)
#   SNP_BENCH_CALLGRIND=0 skips the load-independent figure: host instructions
#                  QEMU executes for 20 rounds (valgrind --tool=callgrind), SNP/plain
set -euo pipefail
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BUILD:-$top/build}
out=$build/snp-guest-bench
qemu=${SNP_EMU_QEMU:-$build/qemu/qemu-system-x86_64}
reps=${SNP_BENCH_REPS:-3}
rounds=${SNP_BENCH_ROUNDS:-200}
goal=1.15
cbit=47
reduced=1

if [ ! -x "$qemu" ]; then
	echo "snp-bench: $qemu not built (make qemu)" >&2
	exit 1
fi
mkdir -p "$out"
cg_rounds=20
callgrind=${SNP_BENCH_CALLGRIND:-1}
# The IGVM command-line page holds the round count: one build per count.
for r in "$rounds" 0 $cg_rounds; do
	SNP_GUEST_IGVM_ARGS="bench rounds=$r only=bench_workload" "$top/tests/snp-guest/build.sh" \
		"$out/guest-$r" >"$out/build-$r.log" 2>&1 ||
		{ echo "snp-bench: guest build failed ($out/build-$r.log)" >&2; exit 1; }
	[ -f "$out/guest-$r/snp-guest.igvm" ] ||
		{ echo "snp-bench: snp-guest.igvm not built (igvmtool: make all)" >&2; exit 1; }
done

# shellcheck disable=SC2054 # commas inside QEMU option values
common=(-L /usr/share/seabios -L /usr/share/qemu -accel tcg -display none -nodefaults -m 256M
	-device isa-debug-exit,iobase=0xf4)
run_plain() { # ROUNDS LOG [WRAPPER...]
	local r=$1 log=$2
	shift 2
	timeout 1800 "$@" "$qemu" "${common[@]}" -machine q35 -kernel "$out/guest-$r/snp-guest.elf" \
		-append "mode=plain bench rounds=$r only=bench_workload" -debugcon "file:$log"
}
run_snp() { # ROUNDS LOG [WRAPPER...]
	local r=$1 log=$2
	shift 2
	timeout 1800 "$@" "$qemu" "${common[@]}" -machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
		-object igvm-cfg,id=igvm0,file="$out/guest-$r/snp-guest.igvm" \
		-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
		-debugcon "file:$log"
}
# One run: "<wall-ms> <cpu-ms> <tsc-delta> <checksum>", or nothing on failure.
one() { # plain|snp ROUNDS N
	local log=$out/$1-$2-$3.log t0 t1 tsc sum cpu TIMEFORMAT='%U %S'
	rm -f "$log"
	t0=$(date +%s%N)
	# The guest leaves through isa-debug-exit (status 33): success is its log.
	cpu=$({ time "run_$1" "$2" "$log" >"$out/$1-$2-$3.qemu.log" 2>&1; } 2>&1) || true
	t1=$(date +%s%N)
	tsc=$(sed -n 's/^bench: tsc-delta 0x\([0-9a-f]*\)$/\1/p' "$log" 2>/dev/null)
	sum=$(sed -n 's/.* checksum 0x\([0-9a-f]*\)$/\1/p' "$log" 2>/dev/null)
	if [ -z "$tsc" ] || ! grep -q '^snp-guest: done' "$log"; then
		echo "snp-bench: $1 rounds=$2 run $3 failed ($log, $out/$1-$2-$3.qemu.log)" >&2
		return 0
	fi
	echo "$(((t1 - t0) / 1000000)) $(awk '{ printf "%d", ($1 + $2) * 1000 }' <<<"$cpu") $((16#$tsc)) $sum"
}
# Host instructions QEMU executes for one run (one TCG thread, callgrind).
instructions() { # plain|snp ROUNDS
	local log=$out/cg-$1-$2.log
	rm -f "$log"
	"run_$1" "$2" "$log" valgrind --tool=callgrind --smc-check=all-non-file \
		--callgrind-out-file="$out/cg-$1-$2.out" >"$out/cg-$1-$2.valgrind.log" 2>&1 || true
	grep -q '^snp-guest: done' "$log" 2>/dev/null &&
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/cg-$1-$2.valgrind.log"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "snp-bench: $qemu, $reps repetitions, $rounds rounds"
echo "snp-bench: plain = TCG q35 Multiboot; SNP = sev-snp-guest from snp-guest.igvm (RMP checks, #VC)"
echo "snp-bench: mix per round: 8192 scattered page read-modify-writes over 32 MiB (a TLB fill each:"
echo "snp-bench:   page walk + RMP check on SNP), CR3 reload every 512 pages, OUT 80h every 1024 pages"
echo "snp-bench:   (#VC + GHCB IOIO on SNP), 32768 hash-table ops, Shell sort of 4096 words"
: >"$out/ratios.txt"
for i in $(seq 1 "$reps"); do
	declare -A res=()
	for p in plain snp; do
		for r in 0 "$rounds"; do
			res[$p-$r]=$(one "$p" "$r" "$i")
			[ -n "${res[$p-$r]}" ] || continue
			read -r ms cpu tsc sum <<<"${res[$p-$r]}"
			printf 'snp-bench: rep %d %-5s rounds=%-4d wall %6d ms  cpu %6d ms  timed rounds %11d TSC  checksum %s\n' \
				"$i" "$p" "$r" "$ms" "$cpu" "$tsc" "$sum"
		done
	done
	if [ -z "${res[plain-0]}" ] || [ -z "${res[plain-$rounds]}" ] || [ -z "${res[snp-0]}" ] ||
		[ -z "${res[snp-$rounds]}" ]; then
		continue
	fi
	# wall, cpu and TSC of the workload = run - its rounds=0 run (TSC: timed part only).
	echo "${res[plain-0]} ${res[plain-$rounds]} ${res[snp-0]} ${res[snp-$rounds]}" | awk '{
		pw = $5 - $1; pc = $6 - $2; sw = $13 - $9; sc = $14 - $10
		if (pw > 0 && pc > 0 && $7 > 0) printf "%.4f %.4f %.4f %.4f %.4f %s %s\n", sw / pw, sc / pc, $15 / $7, $13 / $5, $14 / $6, $8, $16
	}' >>"$out/ratios.txt"
done
if [ ! -s "$out/ratios.txt" ]; then
	echo "snp-bench: no complete repetition: no ratio" >&2
	exit 1
fi
# Columns 6/7: checksums of the plain and SNP runs: the same work was done.
awk '$6 != $7 { bad = 1 } END { exit bad }' "$out/ratios.txt" ||
	echo "snp-bench: WARNING: plain and SNP checksums differ (not the same work)"
wall=$(cut -d' ' -f1 "$out/ratios.txt" | median)
cpu=$(cut -d' ' -f2 "$out/ratios.txt" | median)
tsc=$(cut -d' ' -f3 "$out/ratios.txt" | median)
whole_wall=$(cut -d' ' -f4 "$out/ratios.txt" | median)
whole_cpu=$(cut -d' ' -f5 "$out/ratios.txt" | median)
awk -v w="$wall" -v c="$cpu" -v t="$tsc" -v ww="$whole_wall" -v wc="$whole_cpu" -v goal="$goal" \
	-v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "snp-bench: SNP/plain workload CPU time   %.3f x\n", c
	printf "snp-bench: SNP/plain workload wall time  %.3f x (guest TSC over the timed rounds: %.3f x)\n", w, t
	printf "snp-bench: SNP/plain whole run           %.3f x wall, %.3f x CPU (incl. boot/launch)\n", ww, wc
	printf "snp-bench: load average %s on %d CPUs during the run\n", load, 2
	printf "snp-bench: goal SNP <= %.2f x plain (workload CPU time): %s\n", goal, (c <= goal) ? "MET" : "NOT MET"
}'
if [ "$callgrind" = 1 ]; then
	if ! command -v valgrind >/dev/null; then
		echo "snp-bench: valgrind not installed: no instruction counts"
		exit 0
	fi
	declare -A ir=()
	for p in plain snp; do
		for r in 0 $cg_rounds; do
			ir[$p-$r]=$(instructions "$p" "$r")
		done
	done
	if [ -n "${ir[plain-0]}" ] && [ -n "${ir[plain-$cg_rounds]}" ] && [ -n "${ir[snp-0]}" ] &&
		[ -n "${ir[snp-$cg_rounds]}" ]; then
		awk -v p0="${ir[plain-0]}" -v p1="${ir[plain-$cg_rounds]}" -v s0="${ir[snp-0]}" \
			-v s1="${ir[snp-$cg_rounds]}" -v n=$cg_rounds -v goal="$goal" 'BEGIN {
			p = p1 - p0; s = s1 - s0
			printf "snp-bench: host instructions for %d rounds (callgrind, rounds=0 run subtracted): plain %.0f, SNP %.0f\n", n, p, s
			printf "snp-bench: SNP/plain workload instructions %.3f x (load-independent); goal <= %.2f x: %s\n", s / p, goal, (s / p <= goal) ? "MET" : "NOT MET"
		}'
	else
		echo "snp-bench: callgrind runs failed ($out/cg-*.valgrind.log)"
	fi
fi
