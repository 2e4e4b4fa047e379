#!/usr/bin/env bash
# timeout: 400
# Bounded libFuzzer + ASan/UBSan run of the emulated platform's GHCB hypervisor
# side (snp-ghcb.c, extracted from our QEMU patches): hostile GHCB pages and
# MSR-protocol values. Longer runs: `make fuzz` (SNP_GHCB_FUZZ_TIME seconds).
source "$TOP/tests/lib.sh"
set -u
FUZZ="$BUILD/snp-emu/fuzz/fuzz-snp-ghcb"
SECONDS_BUDGET=${SNP_GHCB_FUZZ_CHECK_TIME:-60}
W=$(mktemp -d "${TMPDIR:-/tmp}/snp-ghcb-fuzz.XXXXXX")
trap 'rm -rf "$W"' EXIT

if ! make -C "$TOP" --no-print-directory -s "$FUZZ" >"$W/make.log" 2>&1; then
	cat "$W/make.log"
	not_ok "build the GHCB libFuzzer target (clang -fsanitize=fuzzer,address,undefined)"
	exit 0
fi
ok "build the GHCB libFuzzer target"
mkdir -p "$W/corpus" "$W/artifacts"
"$FUZZ" -max_total_time="$SECONDS_BUDGET" -max_len=2200 -rss_limit_mb=2048 -timeout=10 \
	-artifact_prefix="$W/artifacts/" "$W/corpus" >"$W/fuzz.log" 2>&1
rc=$?
tail -3 "$W/fuzz.log"
runs=$(sed -n -E 's/^Done ([0-9]+) runs.*/\1/p' "$W/fuzz.log")
if [ $rc -eq 0 ] && [ -z "$(ls -A "$W/artifacts")" ] && [ "${runs:-0}" -gt 1000 ]; then
	ok "GHCB handler fuzzed for ${SECONDS_BUDGET}s ($runs runs) without a crash, leak, timeout or broken invariant"
else
	grep -E 'ERROR|SUMMARY|Test unit written|invariant' "$W/fuzz.log" | head -20
	for a in "$W"/artifacts/*; do [ -f "$a" ] && base64 -w0 "$a" | head -c 2000 && echo; done
	not_ok "GHCB handler fuzzing found a failure (exit $rc, ${runs:-0} runs)"
fi
