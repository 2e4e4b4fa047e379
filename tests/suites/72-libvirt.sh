#!/usr/bin/env bash
# timeout: 900
# svsm-virt against a real libvirt daemon (Debian's libvirt 11.3, started here
# unprivileged in session mode with all state under build/, stopped by PID):
#  - every generated domain XML variant validates with virt-xml-validate;
#  - define / status / start / console / destroy / undefine of a plain domain
#    booting the native-platform SVSM, whose serial log must show it ready;
#  - invalid settings and platforms without SEV-SNP are refused with clear
#    messages and leave no domain defined;
#  - the SNP domain on the emulated platform, when our QEMU provides it.
source "$TOP/tests/lib.sh"
# On the driver's timeout, still run the EXIT cleanup (daemon, QEMU).
trap 'exit 143' TERM INT
cd "$TOP" || exit 1
# Everything the daemon's unprivileged QEMU reads or writes lives under $out; when
# the tree is not searchable by that user (a clone under /root), under /tmp.
out=$BUILD/launch/libvirt-test
state=$out/daemon
[ -f "$state/libvirtd.pid" ] && "$TOP/launch-scripts/libvirt-session.sh" stop "$state"
rm -rf "$out" && mkdir -p "$out"
if ! "$TOP/launch-scripts/libvirt-session.sh" reachable "$out"; then
	out=$(mktemp -d /tmp/svsm-libvirt-test.XXXXXX)
	chmod 0755 "$out"
	state=$out/daemon
	echo "# $BUILD is not reachable by the daemon's user: working in $out"
	trap 'rm -rf "$out"' EXIT
fi
if ! make --no-print-directory -s launch-tools >"$out/build.log" 2>&1; then
	tail -30 "$out/build.log"
	not_ok "libvirt: build svsm-virt, svsm-qmp, igvmtool"
	exit 0
fi
ok "libvirt: build svsm-virt, svsm-qmp, igvmtool"
# The SVSM is another component: its build failing is reported, and the tests
# that boot it then fail on their own.
if make --no-print-directory -s svsm >"$out/svsm-build.log" 2>&1; then
	ok "libvirt: build svsm"
else
	tail -10 "$out/svsm-build.log"
	not_ok "libvirt: build svsm (see $out/svsm-build.log)"
fi
V=$BUILD/vmm-tools/virt/svsm-virt
igvmtool=$BUILD/vmm-tools/igvm/igvmtool
stock=/usr/bin/qemu-system-x86_64
# Our QEMU; SNP_EMU_QEMU overrides it (e.g. a development build of the emulated platform).
ours=${SNP_EMU_QEMU:-$BUILD/qemu/qemu-system-x86_64}

cp "$BUILD/svsm/svsm.bin" "$out/svsm.bin"
"$igvmtool" build --svsm "$out/svsm.bin" --svsm-addr 0x1000000 -o "$out/svsm.igvm" >/dev/null &&
	openssl ecparam -name secp384r1 -genkey -noout -out "$out/id.pem" 2>/dev/null &&
	openssl ecparam -name secp384r1 -genkey -noout -out "$out/author.pem" 2>/dev/null &&
	"$igvmtool" sign --id-key "$out/id.pem" --author-key "$out/author.pem" --igvm "$out/svsm.igvm" \
		--id-block-out "$out/id-block.b64" --id-auth-out "$out/id-auth.b64" >/dev/null
check "libvirt: inputs from igvmtool build + sign (with author key)" test -s "$out/id-auth.b64"

# --- XML variants, checked by libvirt's own validator --------------------------
xml_ok() { # NAME FILE -- svsm-virt xml options
	local name=$1 file=$2
	shift 3
	if "$V" xml "$@" -o "$file" >"$out/xml.err" 2>&1 && virt-xml-validate "$file" domain >>"$out/xml.err" 2>&1; then
		ok "libvirt xml: $name validates with virt-xml-validate"
	else
		sed 's/^/    | /' "$out/xml.err"
		not_ok "libvirt xml: $name validates with virt-xml-validate"
	fi
}
xpath() { xmllint --xpath "$2" "$1" 2>/dev/null; }
xml_ok "emulated SNP variant" "$out/emulated.xml" -- --variant emulated --emulator "$stock" \
	--igvm "$out/svsm.igvm" --serial-log "$out/s.log"
xml_ok "kvm SNP variant with ID block, author key, host data, cbitpos" "$out/kvm.xml" -- \
	--variant kvm --emulator "$stock" --igvm "$out/svsm.igvm" --serial-log "$out/s.log" \
	--policy 0x30000 --cbitpos 51 --reduced-phys-bits 1 --id-block "$out/id-block.b64" \
	--id-auth "$out/id-auth.b64" --author-key --host-data "$(head -c 32 /dev/urandom | base64)"
xml_ok "plain variant with kernel" "$out/plain.xml" -- --variant plain --kernel "$out/svsm.bin" \
	--serial-log "$out/s.log"
xml_ok "pty console variant" "$out/pty.xml" -- --variant emulated --emulator "$stock" \
	--igvm "$out/svsm.igvm" --serial-pty
check "libvirt xml: kvm variant is type kvm with launchSecurity sev-snp" \
	test "$(xpath "$out/kvm.xml" 'string(/domain/@type)')$(xpath "$out/kvm.xml" 'string(/domain/launchSecurity/@type)')" = kvmsev-snp
check "libvirt xml: emulated variant is type qemu" test "$(xpath "$out/emulated.xml" 'string(/domain/@type)')" = qemu
check "libvirt xml: idBlock / idAuth carry the igvmtool sign output" test \
	"$(xpath "$out/kvm.xml" 'string(/domain/launchSecurity/idBlock)')$(xpath "$out/kvm.xml" 'string(/domain/launchSecurity/idAuth)')" \
	= "$(tr -d '\n' <"$out/id-block.b64")$(tr -d '\n' <"$out/id-auth.b64")"
check "libvirt xml: IGVM passed as -object igvm-cfg on the QEMU command line" grep -q \
	"<qemu:arg value=\"igvm-cfg,id=igvm0,file=$out/svsm.igvm\"/>" "$out/emulated.xml"

# --- a real daemon --------------------------------------------------------------
if ! env=$("$TOP/launch-scripts/libvirt-session.sh" start "$state" 2>"$out/daemon.err"); then
	cat "$out/daemon.err"
	not_ok "libvirt: session daemon starts unprivileged"
	exit 0
fi
eval "$env"
dpid=$(cat "$state/libvirtd.pid")
stop_daemon() { "$TOP/launch-scripts/libvirt-session.sh" stop "$state"; }
trap 'stop_daemon; [[ "$out" == /tmp/* ]] && rm -rf "$out"' EXIT
duser=$(ps -o user= -p "$dpid" | tr -d ' ')
check "libvirt: session daemon starts unprivileged (pid $dpid, user $duser)" test -n "$duser" -a "$duser" != root
v() { "$V" -c "$LIBVIRT_URI" "$@"; }
defined() { virsh -q -c "$LIBVIRT_URI" list --all --name | grep -v '^$' | sort | tr '\n' ' '; }

# --- lifecycle of a plain domain (native-platform SVSM) --------------------------
log=$LIBVIRT_GUEST_DIR/plain1.log
v define --name plain1 --variant plain --kernel "$out/svsm.bin" --memory 256 --vcpus 2 \
	--serial-log "$log" >"$out/o" 2>&1
check "libvirt: define plain domain" test "$(defined)" = "plain1 "
check "libvirt: status of a defined domain: shut off" bash -c "'$V' -c '$LIBVIRT_URI' status plain1 | grep -q 'shut off'"
"$V" -c "$LIBVIRT_URI" define --name plain1 --variant plain --kernel "$out/svsm.bin" \
	--serial-log "$log" >"$out/o" 2>&1
rc=$?
check "libvirt: a second domain with the same name is refused, the first kept" \
	bash -c "[ $rc -eq 1 ] && grep -q 'exists already' '$out/o' && [ '$(defined)' = 'plain1 ' ]"
check "libvirt: start" v start plain1
check "libvirt: status: running" bash -c "'$V' -c '$LIBVIRT_URI' status plain1 | grep -q running"
v console plain1 --wait-for "SVSM ready" --timeout 120 >"$out/console" 2>&1
rc=$?
sed 's/^/    | /' "$out/console"
check "libvirt: serial console shows the SVSM ready" test $rc -eq 0
check "libvirt: the serial log file is the domain's console" grep -q '^SVSM ready' "$log"
"$V" -c "$LIBVIRT_URI" undefine plain1 >"$out/o" 2>&1
rc=$?
check "libvirt: undefine of a running domain is refused without --force" \
	bash -c "[ $rc -eq 1 ] && grep -q 'is running' '$out/o'"
check "libvirt: destroy" v destroy plain1
check "libvirt: status after destroy: shut off (destroyed)" \
	bash -c "'$V' -c '$LIBVIRT_URI' status plain1 | grep -q 'shut off (destroyed)'"
check "libvirt: undefine" v undefine plain1
check "libvirt: no domain left" test -z "$(defined)"

# --- pty console: started paused so that the console sees the first output ------
v define --name pty1 --variant plain --kernel "$out/svsm.bin" --serial-pty >"$out/o" 2>&1
check "libvirt pty: start --paused leaves the vCPUs stopped" \
	bash -c "'$V' -c '$LIBVIRT_URI' start --paused pty1 && '$V' -c '$LIBVIRT_URI' status pty1 | grep -q paused"
v console pty1 --resume --wait-for "SVSM ready" --timeout 120 >"$out/pty-console" 2>&1
rc=$?
check "libvirt pty: console --resume shows the SVSM from its first line to ready" \
	bash -c "[ $rc -eq 0 ] && grep -q '^C SVSM' '$out/pty-console' && grep -q 'SVSM ready' '$out/pty-console'"
v undefine --force pty1 >/dev/null 2>&1
check "libvirt pty: removed" test -z "$(defined)"

# --- refusals: nothing may be defined afterwards ---------------------------------
refused() { # RC PATTERN NAME -- define options
	local rc=$1 pat=$2 name=$3
	shift 4
	"$V" -c "$LIBVIRT_URI" define --name bad "$@" >"$out/refused" 2>&1
	local got=$?
	if [ $got -eq "$rc" ] && grep -q -- "$pat" "$out/refused" && [ -z "$(defined)" ]; then
		ok "libvirt refuses $name, no domain defined"
	else
		sed 's/^/    | /' "$out/refused"
		not_ok "libvirt refuses $name (exit $got, want $rc and '$pat'; defined: '$(defined)')"
	fi
	virsh -q -c "$LIBVIRT_URI" undefine bad >/dev/null 2>&1
}
snp=(--variant emulated --emulator "$stock" --igvm "$out/svsm.igvm" --serial-log "$LIBVIRT_GUEST_DIR/bad.log")
refused 2 "bit 17" "a policy without the must-be-one bit 17" -- "${snp[@]}" --policy 0x10000
refused 2 "reserved bits" "a policy with reserved bits 63:26 set" -- "${snp[@]}" --policy 0x8000000000030000
refused 2 "IGVM file .*No such file" "a missing IGVM file" -- --variant emulated --emulator "$stock" \
	--igvm "$out/none.igvm" --serial-log "$LIBVIRT_GUEST_DIR/bad.log"
refused 2 "no such executable" "an unknown emulator" -- --variant emulated --emulator "$out/no-qemu" \
	--igvm "$out/svsm.igvm" --serial-log "$LIBVIRT_GUEST_DIR/bad.log"
refused 2 "no such executable" "an unknown emulator (plain)" -- --variant plain --emulator /usr/bin/no-qemu \
	--kernel "$out/svsm.bin" --serial-log "$LIBVIRT_GUEST_DIR/bad.log"
refused 1 "query-sev-capabilities under TCG" "SEV-SNP on stock QEMU under TCG (no SNP in domain capabilities)" -- "${snp[@]}"
refused 1 "snp-host" "the kvm variant on a host without SEV-SNP" -- --variant kvm --emulator "$stock" \
	--igvm "$out/svsm.igvm" --serial-log "$LIBVIRT_GUEST_DIR/bad.log"

# --- libvirt's side of the emulated-platform path, with a stand-in QEMU -----------
# vmm-tools/virt/tests/sev-caps-standin.py is stock QEMU that answers
# query-sev-capabilities during libvirt's probe. It shows that libvirt 11.3 then
# offers sev-snp for TCG, defines the domain, and builds the QEMU command line
# with our IGVM pass-through. Stock QEMU itself then stops at igvm-cfg.
standin=$out/sev-standin
cp "$TOP/vmm-tools/virt/tests/sev-caps-standin.py" "$standin" && chmod 0755 "$standin"
check "libvirt stand-in: domain capabilities offer sev-snp under TCG once QEMU answers query-sev-capabilities" \
	v caps --variant emulated --emulator "$standin"
check "libvirt stand-in: SNP domain (type qemu) defined" v define --name snp-standin --variant emulated \
	--emulator "$standin" --igvm "$out/svsm.igvm" --serial-log "$LIBVIRT_GUEST_DIR/standin.log"
"$V" -c "$LIBVIRT_URI" start snp-standin >"$out/standin-start" 2>&1
rc=$?
check "libvirt stand-in: start fails in stock QEMU at igvm-cfg, with the hint to use ours" \
	bash -c "[ $rc -eq 1 ] && grep -q 'igvm-cfg' '$out/standin-start' && grep -q 'use ours' '$out/standin-start'"
qlog=$(find "$state" -name snp-standin.log -path '*qemu/log*' | head -1)
cmdline=$(sed -n '/^LC_ALL=/,/^-msg/p' "$qlog" 2>/dev/null)
sed 's/^/    | /' <<<"$cmdline"
has_arg() { grep -qF -- "$1" <<<"$cmdline"; }
check "libvirt stand-in: QEMU command line has sev-snp-guest with host cbitpos/reduced-phys-bits and policy 0x30000" \
	has_arg '"qom-type":"sev-snp-guest","id":"lsec0","cbitpos":51,"reduced-phys-bits":1,"policy":196608'
check "libvirt stand-in: QEMU command line: machine with confidential-guest-support, TCG" \
	bash -c "grep -q -- '-machine .*confidential-guest-support=lsec0' <<<'$cmdline' && grep -qx -- '-accel tcg \\\\' <<<'$cmdline'"
check "libvirt stand-in: QEMU command line: IGVM object and -machine igvm-cfg" \
	bash -c "grep -qF -- '-object igvm-cfg,id=igvm0,file=$out/svsm.igvm' <<<'$cmdline' && grep -qF -- '-machine igvm-cfg=igvm0' <<<'$cmdline'"
v undefine snp-standin >/dev/null 2>&1
check "libvirt stand-in: domain removed" test -z "$(defined)"

# --- the SVSM domain on the emulated SNP platform ---------------------------------
# libvirt must see SEV-SNP for our QEMU under TCG (its probe asks
# query-sev-capabilities); until the emulated platform does that, this is a loud
# SKIP with the reason (the capability is not done), never a pass.
if [ ! -x "$ours" ]; then
	not_ok "libvirt: SNP domain on the emulated platform: our QEMU is not built ($ours; make qemu)"
elif ! reason=$("$TOP/launch-scripts/probe-sev.sh" "$ours" tcg 2>&1); then
	"$V" -c "$LIBVIRT_URI" caps --variant emulated --emulator "$ours" >"$out/caps" 2>&1
	echo "ok - libvirt: SNP domain on the emulated platform # SKIP NOT DONE: needs the emulated SNP platform (issue 6), which does not answer yet ($(head -1 <<<"$reason"); libvirt: $(head -1 "$out/caps"))"
else
	check "libvirt: domain capabilities of our QEMU under TCG offer sev-snp" \
		v caps --variant emulated --emulator "$ours"
	# The SVSM's own IGVM (svsm/module.mk), copied where the daemon's user reads it.
	[ -n "${SVSM_IGVM:-}" ] || make --no-print-directory -s svsm-igvm >"$out/svsm-igvm.log" 2>&1 ||
		not_ok "libvirt: make svsm-igvm failed (see $out/svsm-igvm.log)"
	igvm=$out/svsm-snp.igvm
	cp "${SVSM_IGVM:-$BUILD/svsm/svsm.igvm}" "$igvm"
	slog=$LIBVIRT_GUEST_DIR/snp1.log
	# 4 vCPUs and 2 GiB: the VMPL2 test guest in svsm.igvm calls from 4 vCPUs and
	# PVALIDATEs 1 GiB.
	check "libvirt: define the SNP domain (emulated platform)" v define --name snp1 \
		--variant emulated --emulator "$ours" --igvm "$igvm" --vcpus 4 --memory 2048 \
		--serial-log "$slog"
	check "libvirt: start the SNP domain" v start snp1
	v console snp1 --wait-for "SVSM ready" --timeout 300 >"$out/snp-console" 2>&1
	rc=$?
	sed 's/^/    | /' "$out/snp-console"
	check "libvirt: SVSM ready on the emulated SNP platform" test $rc -eq 0
	# The test guest's summary line, from the domain's serial log file.
	for _ in $(seq 600); do
		grep -Eq '^guest: [0-9]+ passed, [0-9]+ failed' "$slog" 2>/dev/null && break
		sleep 1
	done
	tr -d '\r' <"$slog" 2>/dev/null | grep -E '^(not ok - guest|guest: |# account)' | sed 's/^/    | /'
	check "libvirt: the SVSM's VMPL2 test guest ran its checks and all passed" \
		grep -Eq '^guest: [1-9][0-9]* passed, 0 failed' <(tr -d '\r' <"$slog")
	# The domain may be stopping by itself (the guest ended the VM): --force must cope.
	check "libvirt: undefine --force the SNP domain" v undefine --force snp1
	check "libvirt: SNP domain removed" test -z "$(defined)"
fi

trap - EXIT
stop_daemon
check "libvirt: daemon stopped by its PID" bash -c "! kill -0 $dpid 2>/dev/null"
if [[ "$out" == /tmp/* ]]; then rm -rf "$out"; fi
exit 0
