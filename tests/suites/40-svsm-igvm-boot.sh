#!/usr/bin/env bash
# timeout: 3000
# The SVSM's IGVM file (`make svsm-igvm`) booted natively: QEMU built from qemu-patches/series
# (IGVM loader, no confidential guest support) loads it on plain TCG; the entry finds no SEV
# in SEV_STATUS, builds its tables without a C-bit and reads the IGVM parameter pages (VP
# count, memory map) instead of multiboot. Different -m/-smp must show up in what it prints.
# The test build runs every in-SVSM test the same way.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
mkdir -p "$BUILD/test-logs"
log=$BUILD/test-logs/svsm-igvm-boot-build.log
if ! make --no-print-directory -s svsm-igvm qemu >"$log" 2>&1; then
	tail -n 30 "$log"
	not_ok "svsm-igvm-boot: make svsm-igvm qemu"
	exit 0
fi
qemu=$BUILD/qemu/qemu-system-x86_64
if ! "$qemu" -object help 2>/dev/null | grep -qx '  igvm-cfg'; then
	not_ok "svsm-igvm-boot: $qemu has no igvm-cfg object (series not applied?)"
	exit 0
fi

# boot FILE NAME MEM SMP: run on q35 under TCG; console in the log, returns QEMU's status.
boot() {
	local console=$BUILD/test-logs/svsm-igvm-$2.console
	timeout --kill-after=5 300 "$qemu" -accel tcg -cpu qemu64 -machine q35,igvm-cfg=igvm0 \
		-object "igvm-cfg,id=igvm0,file=$1" -m "$3" -smp "$4" -nodefaults -display none \
		-monitor none -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		</dev/null 2>"$console.stderr" | tr -d '\r' >"$console"
	local rc=${PIPESTATUS[0]}
	sed 's/^/    | /' "$console" | head -n 60
	sed 's/^/    stderr| /' "$console.stderr" | head -n 5
	return "$rc"
}
has() { grep -q -- "$2" "$BUILD/test-logs/svsm-igvm-$1.console"; }

# name:memory:smp:last RAM byte
for v in m256:256M:4:000000000fffffff m512:512M:2:000000001fffffff; do
	IFS=: read -r name mem smp last <<<"$v"
	boot "$BUILD/svsm/svsm.igvm" "$name" "$mem" "$smp"
	rc=$?
	# isa-debug-exit: status (0x10 << 1) | 1 = 33 is the SVSM's success (docs/svsm.md).
	check "svsm-igvm-boot $mem/$smp: exits with the success status 33 (got $rc)" test "$rc" -eq 33
	check "svsm-igvm-boot $mem/$smp: runs as 'native' at 0x1000000" \
		has "$name" "^C SVSM .* on platform 'native', loaded at 0x1000000\$"
	check "svsm-igvm-boot $mem/$smp: memory map from the IGVM parameter page" \
		has "$name" "^  \[0000000000000000-$last\] RAM\$"
	check "svsm-igvm-boot $mem/$smp: $smp CPUs from the VP count parameter" \
		has "$name" "^CPUs online: $smp\$"
	check "svsm-igvm-boot $mem/$smp: self-test all passed" has "$name" "^Self-test: 5 passed, 0 failed\$"
	check "svsm-igvm-boot $mem/$smp: no multiboot fallback or panic" \
		bash -c "! grep -q -E 'cannot parse boot parameters|PANIC|panic' '$BUILD/test-logs/svsm-igvm-$name.console'"
done

boot "$BUILD/svsm/svsm-test.igvm" ktests 256M 4
rc=$?
console=$BUILD/test-logs/svsm-igvm-ktests.console
grep -E '^(ok|not ok) - svsm: ' "$console" | sed 's/^\(not \)\{0,1\}ok - svsm: /&igvm: /'
n=$(grep -c '^ok - svsm: ' "$console")
check "svsm-igvm-boot: test build ran its in-SVSM tests ($n passed)" test "$n" -ge 20
check "svsm-igvm-boot: test build exits with the success status 33 (got $rc)" test "$rc" -eq 33
