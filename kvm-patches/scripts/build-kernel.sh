#!/usr/bin/env bash
# `make kernel`: fetch the pinned Debian source, walk the series with the W=1
# checks (build-series.sh: every prefix's KVM objects in this tree), then build
# bzImage with W=1 and ccache in build/kernel/obj, configured from
# kvm-patches/kernel.config. A content-hash stamp (source version + series +
# fragment + these scripts) under ~/.cache/svsm-stack/kernel/ lets an unchanged
# tree reuse the built bzImage and the per-prefix W=1 results.
# Output: build/kernel/bzImage; make's log: build/kernel/bzImage-build.log.
source "$(dirname "$0")/lib.sh"

"$KP_DIR/scripts/fetch-source.sh"
key=$(kp_key)
stamp=$KCACHE/images/$key
mkdir -p "$KB"

if [ -f "$stamp/bzImage" ] && kp_w1_complete && [ "${KP_FORCE_BUILD:-0}" != 1 ]; then
	cp "$stamp/bzImage" "$KB/bzImage.tmp" && mv "$KB/bzImage.tmp" "$KB/bzImage"
	echo "$key" >"$KB/bzImage.key"
	kp_log "bzImage reused from stamp $key"
	exit 0
fi

t0=$SECONDS
"$KP_DIR/scripts/build-series.sh"
kp_log "series walked in $((SECONDS - t0)) s; building bzImage (W=1, ccache in $CCACHE_DIR, $JOBS jobs)"
t1=$SECONDS
log=$KB/bzImage-build.log
# W=1 for the whole image: the KVM objects of the last prefix (compiled with
# W=1 by build-series.sh) are reused instead of compiled a second time.
# One retry: ccache has been seen to lose a dependency (.o.d) file under load
# ("fixdep: error opening file"); make resumes where it stopped.
kp_make -s W=1 bzImage >"$log" 2>&1 || {
	kp_log "build failed; retrying once"
	kp_make -s W=1 bzImage >>"$log" 2>&1 || { tail -30 "$log" >&2; kp_die "bzImage build failed (log $log)"; }
}
mkdir -p "$stamp"
cp "$KOBJ/arch/x86/boot/bzImage" "$stamp/bzImage.tmp"
cp "$KOBJ/.config" "$stamp/config"
mv "$stamp/bzImage.tmp" "$stamp/bzImage"
cp "$stamp/bzImage" "$KB/bzImage.tmp" && mv "$KB/bzImage.tmp" "$KB/bzImage"
echo "$key" >"$KB/bzImage.key"
kp_log "bzImage built in $((SECONDS - t1)) s ($((SECONDS - t0)) s with the series walk), stamp $key"
