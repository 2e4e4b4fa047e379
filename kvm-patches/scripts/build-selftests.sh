#!/usr/bin/env bash
# Build the KVM selftests listed in kvm-patches/selftests.txt (statically linked,
# against the patched tree's UAPI headers) and pack them with busybox-static into
# build/kernel/initramfs.cpio.gz. Cached under the same content-hash key as the
# kernel. Expects build-kernel.sh to have run (it leaves the patched tree).
source "$(dirname "$0")/lib.sh"

key=$(kp_key)
stamp=$KCACHE/images/$key
out=$KB/initramfs.cpio.gz
if [ -f "$stamp/initramfs.cpio.gz" ] && [ "${KP_FORCE_BUILD:-0}" != 1 ]; then
	cp "$stamp/initramfs.cpio.gz" "$out"
	kp_log "initramfs reused from stamp $key"
	exit 0
fi
[ "$(git -C "$KSRC" rev-parse -q --verify patched 2>/dev/null)" = "$(git -C "$KSRC" rev-parse HEAD)" ] ||
	"$KP_DIR/scripts/apply-series.sh"
[ -f "$KOBJ/.config" ] || "$KP_DIR/scripts/configure.sh"

mapfile -t tests < <(grep -v -E '^\s*(#|$)' "$KP_DIR/selftests.txt" | awk '{print $1}')
kp_make -s headers
st=$KB/selftests
mkdir -p "$st"
make -s -C "$KSRC/tools/testing/selftests/kvm" -j"$JOBS" OUTPUT="$st" \
	KHDR_INCLUDES="-isystem $KOBJ/usr/include" CC="gcc -static" \
	"${tests[@]/#/$st/}"

root=$KB/initramfs.root
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,tmp,tests}
cp /bin/busybox "$root/bin/busybox"
for t in "${tests[@]}"; do
	mkdir -p "$root/tests/$(dirname "$t")"
	cp "$st/$t" "$root/tests/$t"
done
printf '%s\n' "${tests[@]}" >"$root/tests.txt"
cp "$KP_DIR/scripts/initramfs-init.sh" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
mkdir -p "$stamp"
cp "$out" "$stamp/initramfs.cpio.gz"
kp_log "initramfs with ${#tests[@]} selftest(s): $out"
