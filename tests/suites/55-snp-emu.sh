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
# git am commits: a fresh machine has no identity for that (the cached base's
# own is in its repository config, which a clone does not copy).
git -C "$tree" config user.name "snp-emu suite"
git -C "$tree" config user.email "snp-emu-suite@svsm-stack.invalid"
applied=1
while read -r p; do
	git -C "$tree" am -q --keep-cr "$TOP/qemu-patches/$p" >"$out/am.log" 2>&1 || {
		applied=0
		git -C "$tree" am --abort >/dev/null 2>&1
		not_ok "pipeline series applies ($p)"
		diag_tail "$out/am.log" 10
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

# --- launch: IGVM launch on the emulated platform (docs/snp-emulation.md, "Launch") ---
# snp-guest.igvm (tests/snp-guest/build.sh) and our SVSM's IGVM launched with
# -S: every page comes from SNP_LAUNCH_UPDATE (SEV-SNP firmware ABI 56860 8.17);
# the launch digest equals igvmtool's; ID blocks are checked as SNP_LAUNCH_FINISH
# does (8.18); QMP answers under TCG.
igvmtool=$BUILD/vmm-tools/igvm/igvmtool
gigvm=$out/guest/snp-guest.igvm
launch_qemu() { # IGVM extra QEMU arguments...
	local file=$1
	shift
	timeout 60 "$qemu" -L /usr/share/qemu -accel tcg -no-reboot \
		-machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
		-object igvm-cfg,id=igvm0,file="$file" -display none -nodefaults -m 256M "$@"
}
# QMP over stdin with -S: the launch finished at machine init, the guest never runs.
launch_qmp() { # IGVM COMMAND sev-snp-guest-options...
	local file=$1 cmd=$2 opts=$3
	printf '%s\n' '{"execute":"qmp_capabilities"}' "{\"execute\":\"$cmd\"}" '{"execute":"quit"}' |
		launch_qemu "$file" -object "sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced$opts" \
			-S -qmp stdio 2>&1
}
b64hex() { base64 -d | od -An -v -tx1 | tr -d ' \n'; }
if [ ! -x "$igvmtool" ] || [ ! -f "$gigvm" ]; then
	not_ok "launch: snp-guest.igvm built (needs $igvmtool: make all; log $out/guest-build.log)"
else
	ok "launch: snp-guest.igvm built"
	# The guest run from snp-guest.igvm, as hardware starts an SNP guest: RMP
	# checks and #VC from the first instruction, console through the GHCB
	# (SNP_GUEST_MODE_IGVM tests: #VC causes, launched pages validated,
	# secrets and CPUID pages), twice: every launch gets fresh VMPCKs.
	for run in 1 2; do
		rm -f "$out/igvm$run.log"
		# RDTSCP and MONITOR/MWAIT in the CPU model, so that their #VC is tested.
		launch_qemu "$gigvm" -cpu qemu64,+rdtscp,+monitor \
			-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
			-chardev file,id=dbg,path="$out/igvm$run.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
			-device isa-debug-exit,iobase=0xf4 >"$out/qemu-igvm$run.log" 2>&1
		rc=$?
		check "launch: snp-guest.igvm run $run on the emulated platform passes (status $rc, want 33)" \
			[ $rc -eq 33 ]
	done
	if [ -f "$out/igvm1.log" ]; then
		sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest (IGVM): \2/p' "$out/igvm1.log"
		grep -q '^snp-guest: done' "$out/igvm1.log" || not_ok "snp-guest (IGVM) ran to completion (see $out/igvm1.log)"
	fi
	k1=$(sed -n 's/^launch: vmpck0 //p' "$out/igvm1.log" 2>/dev/null)
	k2=$(sed -n 's/^launch: vmpck0 //p' "$out/igvm2.log" 2>/dev/null)
	check "launch: every launch gets fresh VMPCKs ($k1 vs $k2)" \
		bash -c "[ -n '$k1' ] && [ -n '$k2' ] && [ '$k1' != '$k2' ]"
	# The launch digest, as QMP query-sev-launch-measure gives it, equals igvmtool
	# measure of the same file (ABI 56860 8.17 PAGE_INFO chain), for the test
	# guest and for our SVSM.
	[ -f "$BUILD/svsm/svsm.igvm" ] || make --no-print-directory -s svsm-igvm >"$out/svsm-igvm.log" 2>&1
	for f in "$gigvm" "$BUILD/svsm/svsm.igvm"; do
		if [ ! -f "$f" ]; then
			not_ok "launch: digest of $(basename "$f"): file not built (make svsm-igvm)"
			continue
		fi
		pol=$("$igvmtool" dump "$f" | sed -n 's/.*GUEST_POLICY .* policy=\(0x[0-9a-f]*\).*/\1/p' | head -n 1)
		want=$("$igvmtool" measure "$f")
		got=$(launch_qmp "$f" query-sev-launch-measure ",policy=${pol:-0x30000}" |
			sed -n 's/.*"data": *"\([^"]*\)".*/\1/p' | b64hex)
		check "launch: digest of $(basename "$f") equals igvmtool measure ($got)" \
			bash -c "[ -n '$want' ] && [ '$got' = '$want' ]"
	done
	# query-sev under TCG: an SEV-SNP guest, RUNNING once launched.
	sev=$(launch_qmp "$gigvm" query-sev "")
	check "launch: query-sev under TCG reports sev-snp, state running, policy 0x30000" \
		bash -c "grep -q '\"sev-type\": \"sev-snp\"' <<<'$sev' && grep -q '\"state\": \"running\"' <<<'$sev' && grep -q '\"snp-policy\": 196608' <<<'$sev'"
	# ID blocks (igvmtool sign): the right one is accepted, one for another
	# digest refuses the launch with a clear error (SNP_LAUNCH_FINISH, 8.18).
	key=$out/id-key.pem
	openssl ecparam -name secp384r1 -genkey -noout -out "$key" 2>/dev/null
	"$igvmtool" sign --id-key "$key" --igvm "$gigvm" --id-block-out "$out/idb.b64" \
		--id-auth-out "$out/ida.b64" >/dev/null 2>&1
	"$igvmtool" sign --id-key "$key" --ld "$(printf '%096d' 0)" --id-block-out "$out/idb-bad.b64" \
		--id-auth-out "$out/ida-bad.b64" >/dev/null 2>&1
	if [ -s "$out/idb.b64" ] && [ -s "$out/idb-bad.b64" ]; then
		res=$(launch_qmp "$gigvm" query-sev ",id-block=$(cat "$out/idb.b64"),id-auth=$(cat "$out/ida.b64")")
		check "launch: a matching ID block is accepted (SNP_LAUNCH_FINISH)" \
			grep -q '"state": "running"' <<<"$res"
		res=$(launch_qmp "$gigvm" query-sev ",id-block=$(cat "$out/idb-bad.b64"),id-auth=$(cat "$out/ida-bad.b64")")
		check "launch: an ID block for another digest refuses the launch with a clear error" \
			grep -q 'SNP_LAUNCH_FINISH refused the ID block: the ID block.s launch digest differs' <<<"$res"
		# One bit of the ID block signature's R flipped (ID auth offset 40h).
		base64 -d "$out/ida.b64" | python3 -c 'import sys; b=bytearray(sys.stdin.buffer.read()); b[0x40]^=1; sys.stdout.buffer.write(b)' |
			base64 -w0 >"$out/ida-forged.b64"
		res=$(launch_qmp "$gigvm" query-sev ",id-block=$(cat "$out/idb.b64"),id-auth=$(cat "$out/ida-forged.b64")")
		check "launch: a forged ID block signature refuses the launch" \
			grep -q 'refused the ID block: the ID block signature does not verify' <<<"$res"
	else
		not_ok "launch: igvmtool sign wrote the ID blocks"
	fi
	# libvirt probes with -machine none -accel tcg and needs these fields.
	caps=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-sev-capabilities"}' \
		'{"execute":"quit"}' | timeout 30 "$qemu" -machine none -accel tcg -display none \
		-nodefaults -qmp stdio 2>&1)
	check "launch: query-sev-capabilities under TCG (-machine none): pdh, cert-chain, cpu0-id, cbitpos 51" \
		bash -c "grep -q '\"pdh\": \"' <<<'$caps' && grep -q '\"cert-chain\": \"' <<<'$caps' && grep -q '\"cpu0-id\": \"' <<<'$caps' && grep -q '\"cbitpos\": 51' <<<'$caps'"
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

# --- bench helper (issue 6): lying-hypervisor checks the blocks above do not cover ---
# Each guest is a single-purpose run ("only=NAME", tests/snp-guest/guest.c) and
# is also run WITHOUT the lie: then it must fail (status 35), so a check that
# cannot notice the lie cannot pass.
lie_run() { # NAME WANT-STATUS QEMU-ARGS... -> status
	local name=$1 want=$2 rc
	shift 2
	rm -f "$out/lie-$name.log"
	"$@" -chardev file,id=dbg,path="$out/lie-$name.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4 >"$out/lie-$name.qemu.log" 2>&1
	rc=$?
	check "lie checks: $name (status $rc, want $want; $out/lie-$name.log)" [ $rc -eq "$want" ]
}
# (a) lie-run-vmpl=on: Run VMPL1 of a VMSA the hypervisor accepted is refused; the
# guest sees 017h with an error (GHCB spec 56421 2.3.1 "SNP Run VMPL") and
# SW_EXITINFO1 2 for NAE 8000_0018h (4.1), and VMPL1 did not run (50-vmpl.c).
rv_args=(-kernel "$out/guest/snp-guest.elf" -append "cbitpos=$cbit reduced=$reduced lie=run-vmpl only=check_vmpl")
lie_run run-vmpl-caught 33 snp_qemu \
	-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,lie-run-vmpl=on "${rv_args[@]}"
check "lie-run-vmpl=on: the guest reported the refused Run VMPL" \
	grep -q '^ok - lying hypervisor caught: Run VMPL1 refused' "$out/lie-run-vmpl-caught.log"
lie_run run-vmpl-honest-hv-fails 35 snp_qemu \
	-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced "${rv_args[@]}"
# (b) lie-cpuid=on in an IGVM launch: the GHCB CPUID answers (MSR protocol and
# NAE 72h, GHCB spec 2.3.1 / 4.1) disagree with the CPUID page the firmware
# checked (SEV-SNP firmware ABI 56860 8.17.2.6); 61-cpuid-page-hv.c compares them.
if SNP_GUEST_IGVM_ARGS="lie=cpuid only=check_cpuid_page_vs_hv" tests/snp-guest/build.sh \
	"$out/guest-lie-cpuid" >"$out/guest-lie-cpuid-build.log" 2>&1 &&
	[ -f "$out/guest-lie-cpuid/snp-guest.igvm" ]; then
	lie_run cpuid-igvm-caught 33 launch_qemu "$out/guest-lie-cpuid/snp-guest.igvm" \
		-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,lie-cpuid=on
	check "lie-cpuid=on (IGVM): the guest reported the CPUID page disagreement" \
		grep -q '^ok - lying hypervisor caught: GHCB CPUID disagrees with the CPUID page' \
		"$out/lie-cpuid-igvm-caught.log"
	lie_run cpuid-igvm-honest-hv-fails 35 launch_qemu "$out/guest-lie-cpuid/snp-guest.igvm" \
		-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced
else
	not_ok "lie checks: snp-guest.igvm with lie=cpuid built (log: $out/guest-lie-cpuid-build.log)"
fi

# --- xsavec (issue 6): XSAVEC and the compacted form of XRSTOR under TCG ---
# tests/snp-guest/80-xsavec.c in a plain guest whose CPU has XSAVE, XSAVEC and
# AVX (every SNP processor has XSAVEC; Linux's SNP CPUID-table code needs it):
# save, header and component offsets against CPUID 0Dh, restore, init rules
# and #GP rules (Intel SDM vol. 1 13.4.3, 13.8.2, 13.10).
xs_log="$out/guest-xsavec.log"
rm -f "$xs_log"
timeout 60 "$qemu" -L /usr/share/seabios -L /usr/share/qemu -accel tcg -machine q35 \
	-cpu qemu64,+xsave,+xsavec,+avx -display none -nodefaults -m 256M \
	-kernel "$out/guest/snp-guest.elf" -append "mode=plain only=check_xsavec xsavec" \
	-chardev file,id=dbg,path="$xs_log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4 >"$out/qemu-xsavec.log" 2>&1
rc=$?
check "xsavec: plain guest with XSAVEC passes (status $rc, want 33)" [ $rc -eq 33 ]
if [ -f "$xs_log" ]; then
	sed -n -E 's/^(ok|not ok) - (.*)/\1 - snp-guest: \2/p' "$xs_log"
	grep -q '^ok - xsavec: XRSTOR (compacted) restores all of YMM1' "$xs_log" ||
		not_ok "xsavec: the round-trip checks of 80-xsavec.c ran (see $xs_log)"
else
	not_ok "xsavec: plain snp-guest printed nothing (QEMU log: $out/qemu-xsavec.log)"
fi

# --- rmplock (issue 6): the RMP model under MTTCG (docs/snp-emulation.md, "Concurrency") ---
# tests/snp-guest/90-rmp-race.c with 4 vCPUs: vCPUs 1-3 (started by SNP AP Creation)
# write, read and RMPQUERY pages of a 2 MiB region while vCPU 0 PSMASHes and RMPADJUSTs
# it, then all four PVALIDATE the 4 KiB pages of another 2 MiB entry while vCPU 0
# PSMASHes it (GHCB spec 56421 4.1.6; APM vol. 2 15.36.11, Table 15-40). Every result
# must be what the APM allows and the emulator must not stop the guest. Without the
# RMP lock this failed in most runs. Once from snp-guest.igvm, once in mode=rmp.
rr_check() { # NAME LOG STATUS
	check "rmplock: 4-vCPU RMP race guest, $1, passes (status $3, want 33; $2)" [ "$3" -eq 33 ]
	if [ -f "$2" ]; then
		sed -n -E "s/^(ok|not ok) - (.*)/\1 - snp-guest rmprace $1: \2/p" "$2"
		grep -q '^ok - rmp race: every PVALIDATE/RMPQUERY/access gave what the APM allows' "$2" ||
			not_ok "rmplock: the race checks of 90-rmp-race.c ran, $1 (see $2)"
	else
		not_ok "rmplock: snp-guest rmprace $1 printed nothing"
	fi
}
if SNP_GUEST_IGVM_ARGS="rmprace only=check_rmp_race rounds=150" tests/snp-guest/build.sh \
	"$out/guest-rmprace" >"$out/guest-rmprace-build.log" 2>&1 &&
	[ -f "$out/guest-rmprace/snp-guest.igvm" ]; then
	rm -f "$out/rmprace-igvm.log"
	launch_qemu "$out/guest-rmprace/snp-guest.igvm" -smp 4 \
		-object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced \
		-chardev file,id=dbg,path="$out/rmprace-igvm.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
		-device isa-debug-exit,iobase=0xf4 >"$out/qemu-rmprace-igvm.log" 2>&1
	rr_check IGVM "$out/rmprace-igvm.log" $?
else
	not_ok "rmplock: snp-guest.igvm with rmprace built (log: $out/guest-rmprace-build.log)"
fi
rm -f "$out/rmprace-rmp.log"
snp_qemu -smp 4 -object sev-snp-guest,id=sev0,cbitpos=$cbit,reduced-phys-bits=$reduced,x-emu-validate-ram=on \
	-kernel "$out/guest/snp-guest.elf" \
	-append "cbitpos=$cbit reduced=$reduced mode=rmp only=check_rmp_race rmprace rounds=150" \
	-chardev file,id=dbg,path="$out/rmprace-rmp.log" -device isa-debugcon,iobase=0xe9,chardev=dbg \
	-device isa-debug-exit,iobase=0xf4 -no-reboot >"$out/qemu-rmprace-rmp.log" 2>&1
rr_check mode=rmp "$out/rmprace-rmp.log" $?
