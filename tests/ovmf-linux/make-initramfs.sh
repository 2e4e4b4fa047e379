#!/usr/bin/env bash
# Pack busybox (busybox-static), init.sh and, when given, kernel modules
# (decompressed; /init loads them in the order given, listed in
# lib/modules/order) into a gzip'd newc initramfs.
# Usage: tests/ovmf-linux/make-initramfs.sh OUT.cpio.gz [MODULE.ko[.xz]...]
set -euo pipefail
out=${1:?usage: make-initramfs.sh OUT.cpio.gz [MODULE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "make-initramfs: $busybox is not the static busybox (install busybox-static)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$busybox" "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod 0755 "$root/init" "$root/bin/busybox"
for m in "$@"; do
	name=$(basename "$m" .xz)
	case $m in
	*.xz) xz -dc "$m" >"$root/lib/modules/$name" ;;
	*) cp "$m" "$root/lib/modules/" ;;
	esac
	echo "$name" >>"$root/lib/modules/order"
done
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
