#!/usr/bin/env bash
# Boot build/kernel/bzImage with the selftest initramfs under QEMU TCG (-cpu max,
# nested SVM) and print one "ok - / not ok - " line per selftest (and per TAP
# subtest a test prints), following the expectations in kvm-patches/selftests.txt.
# Console log: build/kernel/boot-selftests.log.
source "$(dirname "$0")/lib.sh"

log=$KB/boot-selftests.log
qemu=${QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || { echo "not ok - kernel boot: $qemu not installed"; exit 0; }
for f in "$KB/bzImage" "$KB/initramfs.cpio.gz"; do
	[ -f "$f" ] || { echo "not ok - kernel boot: $f missing"; exit 0; }
done

t0=$SECONDS
timeout 1500 "$qemu" -accel tcg -cpu max -smp 2 -m 2G -nographic -no-reboot \
	-kernel "$KB/bzImage" -initrd "$KB/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 kunit.enable=0" </dev/null >"$log" 2>&1
rc=$?
tr -d '\r' <"$log" >"$log.txt"
echo "# boot + selftests took $((SECONDS - t0)) s (qemu exit $rc); log $log"

if grep -q '^KP-BOOT ' "$log.txt"; then
	echo "ok - kernel boot: patched kernel reaches init under QEMU TCG -cpu max"
else
	echo "not ok - kernel boot: never reached init (see $log)"
	tail -30 "$log.txt" | sed 's/^/# /'
	exit 0
fi
# KVM_INTEL is off in kernel.config, so /dev/kvm exists only if kvm_amd initialised.
if grep -q '^KP-KVM present' "$log.txt"; then
	echo "ok - kernel boot: built-in kvm_amd initialised (/dev/kvm present)"
else
	echo "not ok - kernel boot: kvm_amd not initialised or /dev/kvm missing"
	grep -i -E 'kvm|svm' "$log.txt" | head -20 | sed 's/^/# /'
fi

while read -r t expect; do
	name="kvm selftest $t"
	body=$(awk -v t="$t" '$0 == "KP-BEGIN " t { on = 1; next } on && index($0, "KP-END " t " rc=") == 1 { print; exit } on { print }' "$log.txt")
	end=$(echo "$body" | grep "^KP-END $t rc=" || true)
	# Relay TAP subtests, if the test prints any.
	echo "$body" | sed -n -E "s|^ok [0-9]+ (- )?(.*)|ok - $name: \2|p; s|^not ok [0-9]+ (- )?(.*)|not ok - $name: \2|p" | grep -v '# SKIP' || true
	echo "$body" | sed -n -E "s|^ok [0-9]+ (- )?(.*# SKIP.*)|ok - $name: \2|p" || true
	if [ -z "$end" ]; then
		echo "not ok - $name: did not finish"
		continue
	fi
	trc=${end##*rc=}
	case "$expect:$trc" in
	pass:0 | snp:0) echo "ok - $name" ;;
	snp:4) echo "ok - $name # SKIP SNP-only test, no SNP host here" ;;
	pass:4) echo "not ok - $name: skipped (exit 4) but must run here"
		echo "$body" | tail -5 | sed 's/^/# /' ;;
	*) echo "not ok - $name: exit $trc"
		echo "$body" | tail -15 | sed 's/^/# /' ;;
	esac
done < <(grep -v -E '^\s*(#|$)' "$KP_DIR/selftests.txt")
