#!/usr/bin/env bash
# timeout: 600
# Bounded libFuzzer + ASan/UBSan run of the IGVM parser (longer runs: `make fuzz`,
# IGVM_FUZZ_TIME seconds). Starts from the seed corpus in vmm-tools/igvm/fuzz/corpus.
source "$TOP/tests/lib.sh"
set -u
FUZZ="$BUILD/vmm-tools/igvm/fuzz/fuzz-parse"
SECONDS_BUDGET=${IGVM_FUZZ_CHECK_TIME:-60}
W=$(mktemp -d "${TMPDIR:-/tmp}/igvm-fuzz.XXXXXX")
trap 'rm -rf "$W"' EXIT

if ! make -C "$TOP" --no-print-directory -s "$FUZZ" >"$W/make.log" 2>&1; then
	cat "$W/make.log"
	not_ok "build the libFuzzer target (clang -fsanitize=fuzzer,address,undefined)"
	exit 0
fi
ok "build the libFuzzer target"
n=$(find "$TOP/vmm-tools/igvm/fuzz/corpus" -type f | wc -l)
check "seed corpus present ($n files)" test "$n" -ge 5
mkdir -p "$W/corpus" "$W/artifacts"
"$FUZZ" -max_total_time="$SECONDS_BUDGET" -rss_limit_mb=2048 -timeout=10 \
	-artifact_prefix="$W/artifacts/" "$W/corpus" "$TOP/vmm-tools/igvm/fuzz/corpus" \
	>"$W/fuzz.log" 2>&1
rc=$?
tail -5 "$W/fuzz.log"
if [ $rc -eq 0 ] && [ -z "$(ls -A "$W/artifacts")" ]; then
	ok "parser fuzzed for ${SECONDS_BUDGET}s without a crash, leak or timeout"
else
	grep -E 'ERROR|SUMMARY|Test unit written' "$W/fuzz.log" | head -20
	for a in "$W"/artifacts/*; do [ -f "$a" ] && base64 -w0 "$a" | head -c 2000 && echo; done
	not_ok "parser fuzzing found a failure (exit $rc)"
fi
