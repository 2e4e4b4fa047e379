#!/usr/bin/env bash
# timeout: 900
# Host unit tests (cmocka), each run plain and under ASan+UBSan.
source "$TOP/tests/lib.sh"
names=$(make -C "$TOP" --no-print-directory -s print-unit-tests)
[ -n "$names" ] || { not_ok "no unit tests registered"; exit 0; }
for t in $names; do
	for flavour in unit unit-asan; do
		bin="$BUILD/$flavour/$t"
		if [ -x "$bin" ]; then
			ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_cmocka "$bin" "$t${flavour#unit}"
		else
			not_ok "$t${flavour#unit}: binary not built"
		fi
	done
done
