# Helpers for suite scripts: source "$TOP/tests/lib.sh".
# shellcheck shell=bash
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
# check NAME CMD...: run CMD, report NAME as ok/not ok by its exit status.
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# run_cmocka BIN [PREFIX]: run a cmocka binary in TAP mode and turn its lines
# into ours, prefixed with the binary's name.
run_cmocka() {
	local bin=$1 prefix=${2:-$(basename "$1")} out rc
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1); rc=$?
	echo "$out" | grep -v -E '^(ok|not ok) [0-9]+ - ' || true
	echo "$out" | sed -n -E "s/^ok [0-9]+ - (.*)/ok - $prefix: \1/p; s/^not ok [0-9]+ - (.*)/not ok - $prefix: \1/p"
	if [ $rc -ne 0 ] && ! echo "$out" | grep -q '^not ok'; then not_ok "$prefix: exited with status $rc"; fi
	if ! echo "$out" | grep -q -E '^(ok|not ok) [0-9]+ - '; then not_ok "$prefix: reported no test"; fi
	return 0
}
# diag_tail FILE [N]: the last N (default 15) lines of FILE as "# diag: " lines,
# which the driver repeats under a failing suite (tests/run-tests.sh).
diag_tail() {
	local file=$1 n=${2:-15}
	echo "# diag: --- last $n lines of $file ---"
	tail -n "$n" "$file" 2>/dev/null | tr -d '\r' | sed 's/^/# diag: /'
}
