#!/usr/bin/env bash
# timeout: 3000
# IGVM launch (qemu-patches 0001-0004) under the patched QEMU on plain TCG:
# -object igvm-cfg and -machine igvm-cfg exist; a tiny 32-bit IGVM guest
# (qemu-patches/tests/mkigvm-test.c) runs on pc and q35 and reports the VP
# count, environment info and memory map it was given; broken files make QEMU
# exit at start-up with a message naming the file and the problem; the SVSM's
# IGVM file (igvmtool build) boots and prints its banner.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

make -C "$TOP" --no-print-directory qemu "$BUILD/qemu-tests/mkigvm-test" ||
	{ not_ok "build patched QEMU and mkigvm-test"; exit 0; }
qemu=$BUILD/qemu/qemu-system-x86_64
gen=$BUILD/qemu-tests/mkigvm-test
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check "-object igvm-cfg is available" bash -c "'$qemu' -object help | grep -qx '  igvm-cfg'"
for m in pc q35; do
	check "machine $m has the igvm-cfg property" bash -c \
		"'$qemu' -machine $m,help | grep -q '^  igvm-cfg=<link<igvm-cfg>>'"
done

# run_igvm FILE MACHINE SMP: boot FILE on TCG; sets rc, out (serial), err (stderr).
run_igvm() {
	local file=$1 machine=$2 smp=$3
	: >"$work/serial"
	timeout --kill-after=5 30 "$qemu" -accel tcg -machine "$machine,igvm-cfg=igvm0" \
		-object "igvm-cfg,id=igvm0,file=$file" -m 64M -smp "$smp" -nodefaults \
		-display none -monitor none -no-reboot -serial "file:$work/serial" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x01 </dev/null 2>"$work/stderr"
	rc=$?
	out=$(cat "$work/serial")
	err=$(cat "$work/stderr")
}

for v in good reboot overlap tdx-only no-vmsa bad-area; do
	"$gen" "$v" "$work/$v.igvm" || not_ok "mkigvm-test $v"
done

# The guest's exit value: VP count | shared << 2 | (map[0] pages >> 12) << 3;
# QEMU exits with value * 2 + 1. 64 MiB = 0x4000 pages -> 4.
for spec in "pc 2" "q35 1" "q35 3"; do
	set -- $spec
	run_igvm "$work/good.igvm" "$1" "$2"
	want=$(( (($2 | 4 | (4 << 3)) << 1) | 1 ))
	if [ "$rc" -eq "$want" ] && [[ "$out" == *"IGVM test guest: running"* ]]; then
		ok "IGVM guest runs on TCG $1 -smp $2 (VP count, env info, memory map as expected)"
	else
		echo "# rc=$rc want=$want serial='$out' stderr='$err'"
		not_ok "IGVM guest runs on TCG $1 -smp $2 (VP count, env info, memory map as expected)"
	fi
done

# A reset re-imports the file and re-applies the VMSA: the "reboot" guest spoils a
# byte of its page, resets through port 0xCF9 and exits with that byte on its second
# boot: 0x2a (status 85) only if the page was written again (0x55 -> 171 otherwise).
for m in pc q35; do
	timeout --kill-after=5 30 "$qemu" -accel tcg -machine "$m,igvm-cfg=igvm0" \
		-object "igvm-cfg,id=igvm0,file=$work/reboot.igvm" -m 64M -nodefaults \
		-display none -monitor none -serial null \
		-device isa-debug-exit,iobase=0xf4,iosize=0x01 </dev/null 2>"$work/stderr"
	rc=$?
	if [ "$rc" -eq 85 ]; then
		ok "reset re-imports the IGVM file and restarts from its VMSA ($m)"
	else
		echo "# rc=$rc stderr='$(cat "$work/stderr")'"
		not_ok "reset re-imports the IGVM file and restarts from its VMSA ($m)"
	fi
done

# expect_reject NAME FILE PATTERN: QEMU must fail at start-up, name the file,
# match PATTERN in its message, and the guest must not have run.
expect_reject() {
	local name=$1 file=$2 pattern=$3
	run_igvm "$file" pc 1
	if [ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] && [ -z "$out" ] && [[ "$err" == *"$file"* ]] &&
		echo "$err" | grep -qiE "$pattern"; then
		ok "$name is rejected at start-up: $(echo "$err" | head -n1 | cut -c1-160)"
	else
		echo "# rc=$rc serial='$out' stderr='$err'"
		not_ok "$name is rejected at start-up with a clear message"
	fi
}

# Corruptions of the good file: a flipped byte in the headers, a truncated file.
cp "$work/good.igvm" "$work/corrupt.igvm"
printf '\xff' | dd of="$work/corrupt.igvm" bs=1 seek=$((0x38)) conv=notrunc status=none
head -c 4000 "$work/good.igvm" >"$work/truncated.igvm"
printf 'not an IGVM file at all' >"$work/garbage.igvm"

expect_reject "corrupted header (checksum)" "$work/corrupt.igvm" "checksum"
expect_reject "truncated file" "$work/truncated.igvm" "truncat|size|bound"
expect_reject "non-IGVM file" "$work/garbage.igvm" "magic|truncat|size"
expect_reject "missing file" "$work/does-not-exist.igvm" "No such file|open"
expect_reject "overlapping imports" "$work/overlap.igvm" "overlap"
expect_reject "undeclared parameter area" "$work/bad-area.igvm" "parameter area"
expect_reject "file without an SEV-SNP/native platform (platform mismatch)" \
	"$work/tdx-only.igvm" "platform mismatch"
expect_reject "file without a VMSA for VP 0" "$work/no-vmsa.igvm" "VP context"

# The SVSM's own IGVM file (svsm/ + igvmtool build) prints its banner. The flat image is
# loaded at 16 MiB with the boot pages below it (svsm/inc/svsmk/layout.h). Entry: the
# image's multiboot_entry, which needs no stack; the generic svsm_entry32 needs a usable
# ESP, and igvmtool's VMSA has RSP = 0 (see docs/qemu.md). On the plain platform the SVSM
# runs as 'native' and then stops: it reads multiboot, not IGVM, boot parameters there.
svsm_igvm() {
	local elf=$BUILD/svsm/svsm.elf base entry
	make -C "$TOP" --no-print-directory svsm "$BUILD/vmm-tools/igvm/igvmtool" >/dev/null 2>&1 || return 1
	base=$(nm "$elf" | awk '$3 == "__image_start" { print $1 }')
	entry=$(nm "$elf" | awk '$3 == "multiboot_entry" { print $1 }')
	[ -n "$base" ] && [ -n "$entry" ] || return 1
	"$BUILD/vmm-tools/igvm/igvmtool" build -o "$work/svsm.igvm" --svsm "$BUILD/svsm/svsm.bin" \
		--svsm-addr 0x1000000 --entry $((0x1000000 + 0x$entry - 0x$base)) \
		--secrets-addr 0xffc000 --cpuid-addr 0xffd000 --param-addr 0xffe000
}
if svsm_igvm >"$work/igvmtool.log" 2>&1; then
	: >"$work/serial"
	timeout --kill-after=5 60 "$qemu" -accel tcg -cpu qemu64 -machine q35,igvm-cfg=igvm0 \
		-object "igvm-cfg,id=igvm0,file=$work/svsm.igvm" -m 256M -smp 4 -nodefaults \
		-display none -monitor none -no-reboot -serial "file:$work/serial" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null 2>"$work/stderr"
	rc=$?
	sed 's/^/# serial: /' "$work/serial" | head -n 40
	sed 's/^/# stderr: /' "$work/stderr" | head -n 10
	echo "# qemu exit status $rc"
	check "SVSM IGVM file boots on TCG and prints its banner" \
		grep -q "C SVSM .* loaded at 0x1000000" "$work/serial"
else
	sed 's/^/# /' "$work/igvmtool.log"
	not_ok "SVSM IGVM file boots on TCG and prints its banner (could not build svsm.igvm)"
fi
