#!/usr/bin/env bash
# timeout: 900
# SVSM on the native platform (stock QEMU TCG, 4 vCPUs): boots at two 2 MiB-aligned load
# addresses, prints banner / memory map / CPUs / self-test, exits cleanly; a deliberate crash
# gives a register dump with a symbolized backtrace.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
out=$BUILD/svsm
if ! make --no-print-directory -s svsm >"$BUILD/test-logs/svsm-build.log" 2>&1; then
	cat "$BUILD/test-logs/svsm-build.log"
	not_ok "svsm: build"
	exit 0
fi
ok "svsm: build"
size=$(stat -c %s "$out/svsm.bin")
check "svsm: flat image <= 1 MiB ($size bytes)" test "$size" -le 1048576

# boot IMAGE NAME [APPEND]: run, keep the console log, return run-native's status.
boot() {
	local log=$BUILD/test-logs/svsm-$2.console
	SVSM_TIMEOUT=300 svsm/scripts/run-native.sh "$1" "${3:-}" 2>&1 | tr -d '\r' >"$log"
	local rc=${PIPESTATUS[0]}
	sed 's/^/    | /' "$log"
	return "$rc"
}
has() { grep -q -- "$2" "$BUILD/test-logs/svsm-$1.console"; }

for variant in default:0x1000000 moved:0x6200000; do
	name=${variant%%:*} pa=${variant#*:}
	img=$out/svsm-$name.bin
	if [ "$name" = default ]; then cp "$out/svsm.bin" "$img"; else
		check "svsm: mbpatch moves the image to $pa" "$out/mbpatch" "$out/svsm.bin" "$img" "$pa" || continue
	fi
	boot "$img" "$name"
	rc=$?
	check "svsm@$pa: exits with success status" test "$rc" -eq 0
	check "svsm@$pa: banner shows load address" has "$name" "C SVSM .* loaded at $pa\$"
	check "svsm@$pa: memory map printed" has "$name" "^  \[0000000000100000-.*\] RAM"
	check "svsm@$pa: 4 CPUs online" has "$name" "^CPUs online: 4\$"
	check "svsm@$pa: self-test all passed" has "$name" "^Self-test: 5 passed, 0 failed\$"
	check "svsm@$pa: reports ready" has "$name" "^SVSM ready: boot-to-ready [0-9]* TSC cycles"
done

# A load address that is not 2 MiB aligned is refused (nothing written).
rm -f "$out/svsm-bad.bin"
check "svsm: mbpatch refuses an unaligned load address" \
	bash -c "! '$out/mbpatch' '$out/svsm.bin' '$out/svsm-bad.bin' 0x6300000 2>/dev/null && test ! -e '$out/svsm-bad.bin'"

boot "$out/svsm.bin" crash crash=ud
rc=$?
check "svsm crash: exits with crash status" test "$rc" -eq 2
check "svsm crash: names the exception" has crash "SVSM exception 6 (invalid opcode) on CPU 0"
check "svsm crash: dumps registers" has crash "^RAX [0-9a-f]\{16\} RBX"
check "svsm crash: RIP symbolized" has crash "<svsm_crash_on_purpose+0x[0-9a-f]*>"
check "svsm crash: backtrace names the caller" has crash "\] svsm_main+0x"

# Stack overflow into the guard page: the #PF cannot be delivered, #DF runs on its IST stack.
boot "$out/svsm.bin" dfault crash=stack
rc=$?
check "svsm #DF: exits with crash status" test "$rc" -eq 2
check "svsm #DF: double fault reported (handled on the IST1 stack)" has dfault "SVSM exception 8 (double fault) on CPU 0"
check "svsm #DF: CR2 is in the guard page below the stack" has dfault "CR2 ffffff0000003ff8"
check "svsm #DF: backtrace names the caller" has dfault "\] svsm_main+0x"
