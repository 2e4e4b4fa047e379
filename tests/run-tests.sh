#!/usr/bin/env bash
# The test driver: runs every suite in tests/suites/ (sorted), one line per suite,
# and ends with "N passed, N failed" (", N skipped" when any were skipped).
#
# A suite is an executable script. It prints one line per test on stdout:
#     ok - NAME
#     not ok - NAME
#     ok - NAME # SKIP why        (counted as skipped, and shown loudly)
# Anything else it prints is log (kept in build/test-logs/SUITE.log).
# Lines "# diag: TEXT" explain a failure: the driver repeats them under a failing
# suite's line, so a CI summary says why without the log (tests/lib.sh diag_tail).
# A suite that exits non-zero without reporting a failure counts one failure;
# a suite that reports no test at all counts one failure. A first-line comment
# "# timeout: SECONDS" overrides the default time limit (1800 s).
#
# Usage: tests/run-tests.sh [PATTERN...]   run only the suites a PATTERN names: the
# whole name ("20-unit"), the name without its number ("unit"), a dash-separated
# prefix of it ("kernel" runs 60-kernel-build, 61-kernel-series ...), or a glob ("6*").
set -uo pipefail

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
export TOP BUILD
logs="$BUILD/test-logs"
mkdir -p "$logs"

if [ -t 1 ]; then red=$'\e[31m'; grn=$'\e[32m'; yel=$'\e[33m'; rst=$'\e[0m'; else red= grn= yel= rst=; fi

total_pass=0 total_fail=0 total_skip=0
failed_suites=()
start_all=$SECONDS

for suite in "$TOP"/tests/suites/*.sh; do
	name=$(basename "$suite" .sh)
	if [ $# -gt 0 ]; then
		match=0
		base=${name#[0-9]*-}
		for p in "$@"; do
			# shellcheck disable=SC2053 # patterns are globs on purpose
			if [[ "$name" == $p || "$base" == $p || "$base" == $p-* || "$name" == $p-* ]]; then match=1; fi
		done
		[ $match -eq 1 ] || continue
	fi
	limit=$(sed -n '2,3s/^# timeout: *\([0-9]\+\).*/\1/p' "$suite" | head -1)
	limit=${limit:-1800}
	log="$logs/$name.log"
	t0=$SECONDS
	timeout --kill-after=30 "$limit" bash "$suite" >"$log" 2>&1
	rc=$?
	pass=$(grep -c '^ok - .*' "$log" | tr -d ' ')
	skip=$(grep -c '^ok - .*# SKIP' "$log" | tr -d ' ')
	fail=$(grep -c '^not ok - ' "$log" | tr -d ' ')
	pass=$((pass - skip))
	note=""
	if [ $rc -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then note=" (timed out after ${limit}s)"; else note=" (exited $rc)"; fi
	fi
	if [ $((pass + fail + skip)) -eq 0 ]; then
		fail=1; note=" (ran no test)"
	fi
	total_pass=$((total_pass + pass)); total_fail=$((total_fail + fail)); total_skip=$((total_skip + skip))
	dt=$((SECONDS - t0))
	if [ "$fail" -gt 0 ]; then colour=$red; status=FAIL; failed_suites+=("$name")
	elif [ "$skip" -gt 0 ]; then colour=$yel; status=SKIP
	else colour=$grn; status=PASS; fi
	line="$(printf '%s%-4s%s %-28s %4d passed, %d failed' "$colour" "$status" "$rst" "$name" "$pass" "$fail")"
	[ "$skip" -gt 0 ] && line+=", $skip skipped"
	echo "$line  [${dt}s]$note"
	if [ "$skip" -gt 0 ]; then
		grep '^ok - .*# SKIP' "$log" | sed "s/^/    ${yel}SKIPPED (capability not tested here):${rst} /"
	fi
	if [ "$fail" -gt 0 ]; then
		grep '^not ok - ' "$log" | sed 's/^/    /'
		# What a suite printed to explain a failure ("# diag: ..."), so
		# that a CI summary without the logs still says why.
		grep -a '^# diag: ' "$log" | head -n 80 | sed 's/^/    /'
		echo "    --- last lines of $log ---"
		tail -n 25 "$log" | sed 's/^/    | /'
	fi
done

echo "total time $((SECONDS - start_all))s; logs in $logs"
[ ${#failed_suites[@]} -gt 0 ] && echo "failed suites: ${failed_suites[*]}"
summary="$total_pass passed, $total_fail failed"
[ "$total_skip" -gt 0 ] && summary+=", $total_skip skipped"
echo "$summary"
[ "$total_fail" -eq 0 ]
