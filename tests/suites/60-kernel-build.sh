#!/usr/bin/env bash
# timeout: 3600
# Kernel pipeline: pinned Debian linux-source-6.12, kvm-patches/series applied with
# git am, configured from kvm-patches/kernel.config, bzImage built (or reused from
# its content-hash stamp). Timings are printed, never asserted.
source "$TOP/tests/lib.sh"
kp=$TOP/kvm-patches/scripts
source "$kp/lib.sh"
set +e

t0=$SECONDS
"$kp/build-kernel.sh" >"$BUILD/kernel-build.out" 2>&1
rc=$?
cat "$BUILD/kernel-build.out"
echo "# make kernel took $((SECONDS - t0)) s"
ver=$(kp_src_version)
if [ "$ver" = "$KP_SRC_PIN" ]; then
	ok "kernel source: $KP_SRC_PKG $ver (pinned)"
elif [ -n "$ver" ]; then
	ok "kernel source: $KP_SRC_PKG $ver # SKIP pinned $KP_SRC_PIN unavailable, fell back to $ver"
else
	not_ok "kernel source: $KP_SRC_PKG not installed"
fi
if grep -q 'series does not apply' "$BUILD/kernel-build.out"; then
	not_ok "kernel series: kvm-patches/series applies with git am"
elif grep -q 'config fragment not satisfied' "$BUILD/kernel-build.out"; then
	not_ok "kernel config: every kvm-patches/kernel.config option is set"
fi
check "kernel build: bzImage built or reused for this source+series+config" \
	test $rc -eq 0 -a -s "$BUILD/kernel/bzImage" -a "$(cat "$BUILD/kernel/bzImage.key" 2>/dev/null)" = "$(kp_key)"
if [ $rc -eq 0 ]; then
	n=$(kp_series | wc -l)
	# A reused bzImage skips git am: apply the series anyway (seconds).
	git -C "$KSRC" rev-parse -q --verify patched >/dev/null || "$kp/apply-series.sh"
	check "kernel series: $n patch(es) applied on Debian's tree" \
		test "$(git -C "$KSRC" rev-list --count base..patched 2>/dev/null)" = "$n"
fi
exit 0
