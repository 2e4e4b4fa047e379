#!/usr/bin/env bash
# timeout: 900
# Issue 11, guest side (docs/upm.md "Guest side on the emulated SNP platform"): the SVSM's
# VMPL2 test guest converts pages between private and shared on the emulated SEV-SNP
# platform (GHCB page state changes, PVALIDATE through the SVSM) on several vCPUs at once
# and checks the invariants from inside; tests/svsm-guest/run-convert.sh is the host side
# (guest memory read with QMP pmemsave, sev-snp-guest lie-psc switched with qom-set).
# Runs: 4 vCPUs/2G conversions + a short stress; 2 vCPUs/1G the whole guest (every core
# call) plus conversions; 1 vCPU/512M conversions (the guest takes its vCPU count and RAM
# from what it is given). QEMU: the series' build, or SNP_EMU_QEMU.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
mkdir -p "$BUILD/test-logs"
log=$BUILD/test-logs/upm-snp-guest-build.log
targets="svsm-igvm svsm-qmp"
[ -n "${SNP_EMU_QEMU:-}" ] || targets="$targets qemu"
if ! make --no-print-directory -s $targets >"$log" 2>&1; then
	tail -n 30 "$log"
	not_ok "upm-snp: make $targets"
	exit 0
fi

# Each guest line reads "ok - guest: convert vCPU N: <one of these>...".
scenarios=("region 0x" "4K page private/shared x2" "2M frame private/shared"
	"batched ranges across the 2M boundary" "private page not validated: access takes #VC 0x404"
	"implicit conversion: private access to a shared page" "host really changes the RMP"
	"random conversions (seeded)" "final audit" "one 2M frame shared by")

# run TAG SMP MEM WORDS...: one guest run; relays its lines with TAG and checks them.
run() {
	local tag=$1 smp=$2 mem=$3
	shift 3
	local console=$BUILD/test-logs/upm-snp-guest-$tag.console rc
	CONVERT_LOG=$console SVSM_SNP_SMP=$smp SVSM_SNP_MEM=$mem SVSM_TIMEOUT=600 \
		tests/svsm-guest/run-convert.sh "$@" >"$console.host"
	rc=$?
	last_rc=$rc
	if [ "$rc" -eq 77 ]; then
		sed 's/^/# /' "$console.stderr"
		ok "upm-snp[$tag]: conversions on the emulated SNP platform # SKIP $(tail -n1 "$console.stderr") (SNP_EMU_QEMU=... to use a development build)"
		return
	fi
	tr -d '\r' <"$console" | sed 's/^/    | /' | grep -v '| # host-check ' | head -n 300
	sed 's/^/    stderr| /' "$console.stderr" | head -n 20
	# The harness's own checks and the guest's TAP lines, relayed with the run's tag.
	sed -E "s/^(ok|not ok) - upm-snp: /\1 - upm-snp[$tag]: /" "$console.host"
	tr -d '\r' <"$console" | sed -n -E "s/^(ok|not ok) - guest: /\1 - upm-snp[$tag] guest: /p"
	local has_all=1 cpu s
	for ((cpu = 0; cpu < smp; cpu++)); do
		for s in "${scenarios[@]}"; do
			grep -q -F "ok - guest: convert vCPU $cpu: $s" <(tr -d '\r' <"$console") ||
				{ echo "# missing on vCPU $cpu: $s"; has_all=0; }
		done
	done
	check "upm-snp[$tag]: every scenario reported ok on each of $smp vCPUs" [ $has_all -eq 1 ]
	check "upm-snp[$tag]: guest took its vCPU count and RAM from what it was given" \
		grep -q -E "^# given: $smp vCPUs \(fw_cfg $smp\), RAM from 0 to 0x" "$console"
	check "upm-snp[$tag]: lying hypervisor (lie-psc) detected by the guest" \
		grep -q '^ok - guest: convert: lying hypervisor detected' "$console"
	local summary
	summary=$(tr -d '\r' <"$console" | grep -E '^# convert: [0-9]+ conversions on' | tail -n1)
	echo "# [$tag] ${summary#\# }"
	check "upm-snp[$tag]: conversion counters: conversions > 0, PSC requests > 0, 0 errors" \
		grep -q -E "^# convert: [1-9][0-9]* conversions on $smp vCPUs .* [1-9][0-9]* PSC requests .* 0 errors$" \
		<(echo "$summary")
	check "upm-snp[$tag]: guest's summary says all passed" \
		grep -q -E '^guest: [0-9]+ passed, 0 failed' <(tr -d '\r' <"$console")
	check "upm-snp[$tag]: exit status is the guest's success (run-convert.sh $rc)" [ "$rc" -eq 0 ]
}

seed=${UPM_SNP_SEED:-$((RANDOM % 1000 + 1))}
echo "# seed $seed (UPM_SNP_SEED=$seed reproduces)"
last_rc=0
run smp4 4 2G convert-only "seed=$seed" random=64 stress=400
[ "$last_rc" -eq 77 ] && exit 0
check "upm-snp[smp4]: stress mode ran (100 random conversions per vCPU, audits)" \
	grep -q 'ok - guest: convert vCPU 3: stress: 100 random conversions' \
	<(tr -d '\r' <"$BUILD/test-logs/upm-snp-guest-smp4.console")
run smp2 2 1G convert "seed=$seed" random=32
check "upm-snp[smp2]: the whole guest (core calls, hostile table, CREATE_VCPU) ran on 2 vCPUs" \
	grep -q -E '^# account: [0-9]+ SVSM calls from 2 vCPUs' \
	<(tr -d '\r' <"$BUILD/test-logs/upm-snp-guest-smp2.console")
run smp1 1 512M convert-only "seed=$seed" random=32
