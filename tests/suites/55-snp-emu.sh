#!/usr/bin/env bash
# timeout: 900
# Emulated SEV-SNP platform (docs/snp-emulation.md): the pure-C RMP / PVALIDATE /
# RMPADJUST model extracted from our QEMU patches, its host unit tests (plain and
# ASan+UBSan), format and cppcheck on it, whether our patches apply on top of the
# pipeline's series, and the snp-guest test guest on the series' QEMU (TCG).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out="$BUILD/snp-emu/suite"
src="$out/src"
sys="$src/target/i386/tcg/system"
tests_dir="$TOP/qemu-patches/snp-emu/tests"
mkdir -p "$out"

if ! qemu-patches/snp-emu/extract-sources.sh "$src"; then
	not_ok "extract the SNP model sources from qemu-patches/01NN-*.patch"
	exit 0
fi
ok "extract the SNP model sources from qemu-patches/01NN-*.patch"

# The model is QEMU code in QEMU's style (checkpatch below); the tests are ours.
check "clang-format clean: SNP model tests" \
	clang-format --style="file:$TOP/.clang-format" --dry-run -Werror "$tests_dir"/*.c
check "clang-tidy clean: snp-guest" clang-tidy --quiet tests/snp-guest/*.c -- \
	-std=gnu11 -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdinc -m32 \
	-isystem "$(gcc -print-file-name=include)" -I"$TOP/include"
model_srcs=("$sys"/snp-*.c)
check "clang-tidy clean: SNP model tests" clang-tidy --quiet "$tests_dir"/test-snp-*.c \
	"${model_srcs[@]}" -- \
	-std=gnu11 -Wall -Wextra -Werror -I"$TOP/include" -I"$sys"
check "cppcheck clean: SNP model and its tests" \
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,performance,portability --suppress=missingIncludeSystem \
	-I include -I "$sys" "$sys" "$tests_dir"

cflags=(-std=gnu11 -Wall -Wextra -Werror -O2 -g -I"$TOP/include" -I"$sys")
asan=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1)
build_and_run() { # NAME SRC...
	local name=$1
	shift
	if gcc "${cflags[@]}" -o "$out/$name" "$@" -lcmocka; then
		run_cmocka "$out/$name" "$name"
	else
		not_ok "$name: builds"
	fi
	if gcc "${cflags[@]}" "${asan[@]}" -o "$out/$name-asan" "$@" -lcmocka; then
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			run_cmocka "$out/$name-asan" "$name-asan"
	else
		not_ok "$name-asan: builds"
	fi
}
# One cmocka binary per test file, linked with the whole pure-C model.
for t in "$tests_dir"/test-snp-*.c; do
	name=$(basename "$t" .c)
	name=${name#test-}
	build_and_run "${name//-/_}" "$t" "${model_srcs[@]}"
done

# Our patches must apply, in order, on top of the pipeline's whole series.
base=$(ls -d "$CACHE"/qemu/base/*/ 2>/dev/null | sort | tail -n 1)
if [ -z "$base" ] || [ ! -f "$base/.complete" ]; then
	not_ok "our QEMU patches apply on the series (no cached qemu base tree: run 'make qemu')"
	exit 0
fi
tree="$out/apply"
rm -rf "$tree"
git clone -q --shared "$base" "$tree" && git -C "$tree" checkout -q debian-base
applied=1
while read -r p; do
	git -C "$tree" am -q --keep-cr "$TOP/qemu-patches/$p" >/dev/null 2>&1 || {
		applied=0
		git -C "$tree" am --abort >/dev/null 2>&1
		not_ok "pipeline series applies ($p)"
		break
	}
done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' qemu-patches/series | grep -v '^$')
if [ $applied -eq 1 ]; then
	ok "qemu-patches/series applies on debian-base"
	for p in qemu-patches/01[0-9][0-9]-*.patch; do
		check "checkpatch.pl --strict clean: $(basename "$p")" \
			bash -c 'cd "$1" && perl scripts/checkpatch.pl --strict --no-color "$2" >/dev/null' \
			_ "$tree" "$TOP/$p"
		if grep -qxF "$(basename "$p")" qemu-patches/series; then
			continue # already applied as part of the series
		fi
		check "our patch applies on the series: $(basename "$p")" \
			git -C "$tree" am -q --keep-cr "$TOP/$p"
	done
fi
rm -rf "$tree"

# The test guest on the pipeline's QEMU (build/qemu, suite 50 builds it).
if tests/snp-guest/build.sh "$out/guest" >"$out/guest-build.log" 2>&1; then
	ok "snp-guest builds"
else
	not_ok "snp-guest builds (log: $out/guest-build.log)"
	exit 0
fi
# SNP_EMU_QEMU overrides the binary (e.g. the development build in
# build/snp-dev/obj); by default the pipeline's, which must include our patches.
qemu=${SNP_EMU_QEMU:-$BUILD/qemu/qemu-system-x86_64}
missing=()
for p in qemu-patches/01[0-9][0-9]-*.patch; do
	grep -qxF "$(basename "$p")" qemu-patches/series || missing+=("$(basename "$p")")
done
if [ ${#missing[@]} -gt 0 ]; then
	not_ok "snp-guest on the series' QEMU: not in qemu-patches/series yet: ${missing[*]}"
	exit 0
fi
if [ ! -x "$qemu" ]; then
	not_ok "snp-guest on the series' QEMU: $qemu not built (make qemu; suite 50 does it)"
	exit 0
fi
# The pipeline records which patches a build used (build-qemu.sh: builds/<hash>/info).
info="$CACHE/qemu/builds/$(cat "$BUILD/qemu/.stamp" 2>/dev/null)/info"
for p in qemu-patches/01[0-9][0-9]-*.patch; do
	if [ -z "${SNP_EMU_QEMU:-}" ] && ! grep -qxF "$(basename "$p")" "$info" 2>/dev/null; then
		not_ok "snp-guest on the series' QEMU: $qemu was built without $(basename "$p") (make qemu)"
		exit 0
	fi
done
cbit=47
reduced=1
snp_qemu() { # extra QEMU arguments...
	timeout 60 "$qemu" -L /usr/share/seabios -L /usr/share/qemu -accel tcg \
		-machine q35,confidential-guest-support=sev0 -display none -nodefaults -m 256M "$@"
}
log="$out/guest-console.log"
rm -f "$log"
snp_qemu -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
	-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced" \
	-chardev file,id=dbg,path="$log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4 >"$out/qemu.log" 2>&1
rc=$?
# isa-debug-exit: the guest writes 0x10 when every check passed -> status 33
# (QEMU's own errors exit 1).
check "sev-snp-guest starts under TCG and snp-guest passes (status $rc, want 33)" [ $rc -eq 33 ]
if [ -f "$log" ]; then
	sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest: \2/p' "$log"
	grep -q '^snp-guest: done' "$log" || not_ok "snp-guest ran to completion (see $log)"
else
	not_ok "snp-guest printed nothing (QEMU log: $out/qemu.log)"
fi
# The same QEMU without sev-snp-guest: the SNP instructions are #UD.
plain_log="$out/guest-plain.log"
rm -f "$plain_log"
timeout 60 "$qemu" -L /usr/share/seabios -L /usr/share/qemu -accel tcg -machine q35 \
	-display none -nodefaults -m 256M -kernel "$out/guest/snp-guest.elf" -append "mode=plain" \
	-chardev file,id=dbg,path="$plain_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4 >"$out/qemu-plain.log" 2>&1
rc=$?
check "plain guest on the same QEMU passes (status $rc, want 33)" [ $rc -eq 33 ]
if [ -f "$plain_log" ]; then
	sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest: \2/p' "$plain_log"
else
	not_ok "plain snp-guest printed nothing (QEMU log: $out/qemu-plain.log)"
fi
# Bad input: a C-bit that is not a page-table address bit is refused clearly.
snp_qemu -object sev-snp-guest,id=sev0,cbitpos=20,reduced-phys-bits=1 -S >"$out/bad-cbit.log" 2>&1
check "cbitpos outside 32..51 is refused with a clear error" \
	grep -q 'cbitpos=20 is outside 32..51' "$out/bad-cbit.log"
# Only SNP is emulated: plain SEV stays refused under TCG.
snp_qemu -object sev-guest,id=sev0,cbitpos=47,reduced-phys-bits=1 -S >"$out/sev-tcg.log" 2>&1
check "plain sev-guest is still refused under TCG" \
	grep -q 'accelerator does not support confidential guest sev-guest' "$out/sev-tcg.log"

# --- mmu (issue 6): C-bit, RMP checks on every access, #VC PAGE_NOT_VALIDATED ---
# mode=rmp: sev-snp-guest,x-emu-validate-ram=on starts with every page assigned
# and validated and enforces the RMP from reset (test aid until guests start
# from IGVM files); tests/snp-guest/30-paging.c and 31-vc.c run there.
rmp_log="$out/guest-rmp.log"
rm -f "$rmp_log"
if ! "$qemu" -object sev-snp-guest,help 2>/dev/null | grep -q 'x-emu-validate-ram'; then
	not_ok "mmu: snp-guest mode=rmp: $qemu has no sev-snp-guest,x-emu-validate-ram (RMP checks not in this QEMU)"
else
	snp_qemu -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,x-emu-validate-ram=on \
		-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced mode=rmp" \
		-chardev file,id=dbg,path="$rmp_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4 -no-reboot >"$out/qemu-rmp.log" 2>&1
	rc=$?
	check "mmu: snp-guest mode=rmp passes (status $rc, want 33)" [ $rc -eq 33 ]
	if [ -f "$rmp_log" ]; then
		sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest rmp: \2/p' "$rmp_log"
		grep -q '^snp-guest: done' "$rmp_log" || not_ok "snp-guest rmp ran to completion (see $rmp_log)"
		grep -q '^ok - read of a page not validated' "$rmp_log" ||
			not_ok "mmu: the #VC checks of 31-vc.c ran in mode=rmp (see $rmp_log)"
	else
		not_ok "snp-guest rmp printed nothing (QEMU log: $out/qemu-rmp.log)"
	fi
fi
# The same with x-emu-nae-vc=on and "vc" (and a CPU model that offers RDTSCP
# and MONITOR/MWAIT): once the guest's GHCB is up, every intercepted event
# raises #VC (tests/snp-guest/32-vc-nae.c resolves them
# through the GHCB and checks the exit codes and results; needs the GHCB
# hypervisor side in this QEMU).
vc_log="$out/guest-rmp-vc.log"
rm -f "$vc_log"
if ! "$qemu" -object sev-snp-guest,help 2>/dev/null | grep -q 'x-emu-nae-vc'; then
	not_ok "mmu: snp-guest mode=rmp vc: $qemu has no sev-snp-guest,x-emu-nae-vc (#VC for intercepted events not in this QEMU)"
else
	snp_qemu -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,x-emu-validate-ram=on,x-emu-nae-vc=on \
		-cpu qemu64,+rdtscp,+monitor \
		-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced mode=rmp vc" \
		-chardev file,id=dbg,path="$vc_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4 -no-reboot >"$out/qemu-rmp-vc.log" 2>&1
	rc=$?
	check "mmu: snp-guest mode=rmp vc passes (status $rc, want 33)" [ $rc -eq 33 ]
	if [ -f "$vc_log" ]; then
		sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest rmp vc: \2/p' "$vc_log"
		grep -q '^snp-guest: done' "$vc_log" || not_ok "snp-guest rmp vc ran to completion (see $vc_log)"
		grep -q '^ok - CPUID: #VC' "$vc_log" ||
			not_ok "mmu: the #VC checks of 32-vc-nae.c ran (see $vc_log)"
	else
		not_ok "snp-guest rmp vc printed nothing (QEMU log: $out/qemu-rmp-vc.log)"
	fi
fi

# --- vmpl (issue 6): VMPL contexts, Run VMPL, AP creation ---
# tests/snp-guest/50-vmpl.c runs in the snp run above (Run VMPL1 and back,
# PVALIDATE/RMPADJUST at VMPL1, hostile Run VMPL / AP Creation requests). With
# a second vCPU and "smp2" it also starts vCPU 1 from a VMSA through AP Creation
# (GHCB spec "SNP AP Creation": create, destroy, create on INIT + INIT-SIPI).
smp2_log="$out/guest-smp2.log"
rm -f "$smp2_log"
snp_qemu -smp 2 -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
	-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced smp2" \
	-chardev file,id=dbg,path="$smp2_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4 >"$out/qemu-smp2.log" 2>&1
rc=$?
check "vmpl: snp-guest with two vCPUs passes (status $rc, want 33)" [ $rc -eq 33 ]
if [ -f "$smp2_log" ]; then
	grep '^\(not \)\?ok - AP .*vCPU 1' "$smp2_log" |
		sed -E 's/^(ok|not ok) - (.*)/\1 - snp-guest smp2: \2/'
	grep -q '^ok - AP Creation starts vCPU 1' "$smp2_log" ||
		not_ok "vmpl: AP Creation started vCPU 1 (see $smp2_log)"
else
	not_ok "snp-guest smp2 printed nothing (QEMU log: $out/qemu-smp2.log)"
fi

# --- ghcb (GHCB, hypervisor side): termination and lying-hypervisor switches ---
# GHCB spec 2.3.1: a termination request ends the guest and QEMU prints the reason.
ghcb_log="$out/ghcb-terminate.log"
snp_qemu -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
	-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced ghcb-terminate" \
	-debugcon "file:$out/ghcb-terminate-console.log" -device isa-debug-exit,iobase=0xf4 \
	>"$ghcb_log" 2>&1
check "GHCB termination request: QEMU prints reason set 1, code 0x42" \
	grep -q 'the guest requested termination: reason set 1, code 0x42' "$ghcb_log"
# Lying-hypervisor switches (sev-snp-guest lie-psc / lie-cpuid): the guest must catch them.
for lie in psc cpuid; do
	lie_log="$out/ghcb-lie-$lie-console.log"
	rm -f "$lie_log"
	snp_qemu -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,lie-$lie=on \
		-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced lie=$lie" \
		-chardev file,id=dbg,path="$lie_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4 >"$out/ghcb-lie-$lie.log" 2>&1
	rc=$?
	check "lie-$lie=on: snp-guest catches the lying hypervisor (status $rc, want 33)" [ $rc -eq 33 ]
	check "lie-$lie=on: the guest reported the lie" grep -q '^ok - lying hypervisor caught' "$lie_log"
done
