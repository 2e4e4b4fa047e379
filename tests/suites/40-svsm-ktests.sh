#!/usr/bin/env bash
# timeout: 900
# In-SVSM test suite (test build: allocator, page tables, per-CPU isolation on 4 vCPUs,
# fixups, locks under contention). Relays the SVSM's own "ok - svsm: NAME" lines, then
# checks the isa-debug-exit status and that the same tests pass at another load address.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
out=$BUILD/svsm
if ! make --no-print-directory -s svsm >"$BUILD/test-logs/svsm-ktest-build.log" 2>&1; then
	cat "$BUILD/test-logs/svsm-ktest-build.log"
	not_ok "svsm-ktests: build"
	exit 0
fi

run() {
	local log=$BUILD/test-logs/svsm-ktests-$2.console
	SVSM_TIMEOUT=600 svsm/scripts/run-native.sh "$1" 2>&1 | tr -d '\r' >"$log"
	local rc=${PIPESTATUS[0]}
	sed 's/^/    | /' "$log"
	return "$rc"
}

run "$out/svsm-test.bin" default
rc=$?
log=$BUILD/test-logs/svsm-ktests-default.console
grep -E '^(ok|not ok) - svsm: ' "$log"
n=$(grep -c -E '^(ok|not ok) - svsm: ' "$log")
check "svsm-ktests: ran at least 20 in-SVSM tests ($n)" test "$n" -ge 20
check "svsm-ktests: summary line reports no failure" grep -q '^In-SVSM tests: [0-9]* passed, 0 failed$' "$log"
check "svsm-ktests: exit status is success" test "$rc" -eq 0

"$out/mbpatch" "$out/svsm-test.bin" "$out/svsm-test-moved.bin" 0x6200000
run "$out/svsm-test-moved.bin" moved
rc=$?
log=$BUILD/test-logs/svsm-ktests-moved.console
check "svsm-ktests@0x6200000: loaded there" grep -q 'loaded at 0x6200000$' "$log"
check "svsm-ktests@0x6200000: all in-SVSM tests pass" test "$rc" -eq 0
