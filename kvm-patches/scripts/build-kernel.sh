#!/usr/bin/env bash
# `make kernel`: fetch the pinned Debian source, apply the series, configure from
# kvm-patches/kernel.config and build bzImage with ccache into build/kernel/obj.
# A content-hash stamp (source version + series + fragment) under
# ~/.cache/svsm-stack/kernel/ lets an unchanged tree reuse the built bzImage.
# Output: build/kernel/bzImage (and build/kernel/obj when it was built here).
source "$(dirname "$0")/lib.sh"

"$KP_DIR/scripts/fetch-source.sh"
key=$(kp_key)
stamp=$KCACHE/images/$key
mkdir -p "$KB"

if [ -f "$stamp/bzImage" ] && [ "${KP_FORCE_BUILD:-0}" != 1 ]; then
	cp "$stamp/bzImage" "$KB/bzImage.tmp" && mv "$KB/bzImage.tmp" "$KB/bzImage"
	echo "$key" >"$KB/bzImage.key"
	kp_log "bzImage reused from stamp $key"
	exit 0
fi

t0=$SECONDS
"$KP_DIR/scripts/apply-series.sh"
"$KP_DIR/scripts/configure.sh"
kp_log "building bzImage (ccache in $CCACHE_DIR, $JOBS jobs)"
# One retry: ccache has been seen to lose a dependency (.o.d) file under load
# ("fixdep: error opening file"); make resumes where it stopped.
kp_make -s bzImage || { kp_log "build failed; retrying once"; kp_make -s bzImage; }
mkdir -p "$stamp"
cp "$KOBJ/arch/x86/boot/bzImage" "$stamp/bzImage.tmp"
cp "$KOBJ/.config" "$stamp/config"
mv "$stamp/bzImage.tmp" "$stamp/bzImage"
cp "$stamp/bzImage" "$KB/bzImage.tmp" && mv "$KB/bzImage.tmp" "$KB/bzImage"
echo "$key" >"$KB/bzImage.key"
kp_log "bzImage built in $((SECONDS - t0)) s, stamp $key"
