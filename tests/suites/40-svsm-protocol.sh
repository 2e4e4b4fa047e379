#!/usr/bin/env bash
# timeout: 300
# SVSM core protocol: the hostile-request table in docs/svsm-protocol.md matches the table the
# tests run (generated), and the host unit test passes plain and with ASan+UBSan.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
log=$BUILD/test-logs/svsm-protocol-build.log
mkdir -p "$BUILD/test-logs"
if ! make --no-print-directory -s "$BUILD/svsm/protocol-table" "$BUILD/unit/svsm_core" \
	"$BUILD/unit-asan/svsm_core" >"$log" 2>&1; then
	cat "$log"
	not_ok "svsm-protocol: build"
	exit 0
fi
doc=$(sed -n '/<!-- hostile-table:begin -->/,/<!-- hostile-table:end -->/p' docs/svsm-protocol.md |
	sed '1d;$d')
gen=$("$BUILD/svsm/protocol-table")
check "svsm-protocol: docs table matches the tested cases" test "$doc" = "$gen"
rows=$(echo "$gen" | grep -c '^| [A-Z_a-z]* |')
check "svsm-protocol: at least 40 hostile requests documented ($rows)" test "$rows" -ge 41
run_cmocka "$BUILD/unit/svsm_core" svsm_core
run_cmocka "$BUILD/unit-asan/svsm_core" svsm_core-asan
