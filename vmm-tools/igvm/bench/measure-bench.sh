#!/usr/bin/env bash
# Benchmark (printed, never asserted): `igvmtool measure` on a 256 MiB IGVM image against
# `openssl dgst -sha384` over the same page bytes, plus peak RSS for 64 and 256 MiB
# images (the goal is memory flat in the image size). CPU time is the fair comparison on
# a shared machine; wall time is printed too.
# Usage: measure-bench.sh IGVMTOOL WORKDIR
set -euo pipefail
T=$1 W=$2
mkdir -p "$W"
run() { # run CMD...: prints "wall_s cpu_s maxrss_kib" of the child
	python3 -c '
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
dt = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{dt:.3f} {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss}")' "$@"
}
for mib in 64 256; do
	if [ ! -f "$W/image-$mib.igvm" ]; then
		head -c $((mib << 20)) /dev/urandom >"$W/payload-$mib.bin"
		"$T" build -o "$W/image-$mib.igvm" --svsm "$W/payload-$mib.bin" --svsm-addr 0x1000000
	fi
done
cat "$W/image-256.igvm" "$W/payload-256.bin" >/dev/null # warm the page cache
read -r w_ours c_ours rss_256 < <(run "$T" measure "$W/image-256.igvm")
read -r w_ssl c_ssl _ < <(run openssl dgst -sha384 "$W/payload-256.bin")
read -r _ _ rss_64 < <(run "$T" measure "$W/image-64.igvm")
python3 -c '
import sys
wo, co, ws, cs = (float(x) for x in sys.argv[1:5])
rss64, rss256 = int(sys.argv[5]), int(sys.argv[6])
print(f"igvm measure 256 MiB: {256 / co:8.1f} MiB/s CPU ({co:.2f} s CPU, {wo:.2f} s wall)")
print(f"openssl dgst -sha384: {256 / cs:8.1f} MiB/s CPU ({cs:.2f} s CPU, {ws:.2f} s wall)")
print(f"ratio (goal >= 0.9):  {cs / co:8.2f}x of openssl by CPU time, {ws / wo:.2f}x by wall time")
print("  (the PAGE_INFO chain hashes 35 SHA-384 blocks per 4 KiB page where the bytes alone need 32)")
print(f"peak RSS: 64 MiB image {rss64} KiB, 256 MiB image {rss256} KiB")' \
	"$w_ours" "$c_ours" "$w_ssl" "$c_ssl" "$rss_64" "$rss_256"
