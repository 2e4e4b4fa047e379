#!/usr/bin/env bash
# Pack the statically linked upm-convtest, busybox (busybox-static) and init.sh into a
# gzip'd newc initramfs for run-nested.sh.
# Usage: upm/scripts/make-initramfs.sh UPM_CONVTEST OUT.cpio.gz
set -euo pipefail
tool=${1:?usage: make-initramfs.sh UPM_CONVTEST OUT}
out=${2:?usage: make-initramfs.sh UPM_CONVTEST OUT}
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "make-initramfs: $busybox is not the static busybox (install busybox-static)" >&2; exit 1; }
file -L "$tool" | grep -q 'statically linked' ||
	{ echo "make-initramfs: $tool is not statically linked" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp "$busybox" "$root/bin/busybox"
cp "$tool" "$root/upm-convtest"
cp "$here/init.sh" "$root/init"
chmod 0755 "$root/init" "$root/upm-convtest" "$root/bin/busybox"
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
echo "make-initramfs: $out ($(du -h "$out" | cut -f1))"
