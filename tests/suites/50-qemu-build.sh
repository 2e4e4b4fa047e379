#!/usr/bin/env bash
# timeout: 3000
# QEMU from Debian trixie's source + qemu-patches/series: every patch applies
# cleanly to a fresh checkout, every patch passes QEMU's scripts/checkpatch.pl,
# and `make qemu` builds qemu-system-x86_64 (a cold build takes ~10+ min; an
# unchanged tree reuses the cached build).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

"$TOP/scripts/deps.sh" qemu || { not_ok "qemu build dependencies installed"; exit 0; }
"$TOP/qemu-patches/scripts/check-series.sh"

if make -C "$TOP" --no-print-directory qemu; then
	ok "make qemu"
else
	not_ok "make qemu"
	exit 0
fi
bin="$BUILD/qemu/qemu-system-x86_64"
check "qemu-system-x86_64 runs (--version)" "$bin" --version
# The source version we built must be a trixie 10.0.x.
check "built from qemu 10.0.x" bash -c "'$bin' --version | grep -q 'version 10\.0\.'"
# A second run with an unchanged tree must reuse the build, not rebuild.
again=$(make -C "$TOP" --no-print-directory qemu 2>&1)
echo "$again" | sed 's/^/# /'
check "unchanged tree reuses the build" grep -q -e 'up to date' -e 'reused cached build' <<<"$again"
