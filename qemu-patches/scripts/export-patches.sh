#!/usr/bin/env bash
# Regenerate qemu-patches/*.patch and qemu-patches/series from the commits on
# top of debian-base in build/qemu/src (the developer workflow: commit in that
# tree, then run this; see docs/qemu.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PATCHDIR=$(cd "$here/.." && pwd)
TOP=${TOP:-$(cd "$PATCHDIR/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-$HOME/.cache/svsm-stack}
source "$here/common.sh"

src=${1:-$BUILD/qemu/src}
[ -d "$src/.git" ] || qdie "no source tree at $src (run 'make qemu' first)"
n=$(git -C "$src" rev-list --count debian-base..HEAD)
[ "$n" -gt 0 ] || qdie "no commits on top of debian-base in $src"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$src" format-patch -q --no-signature --zero-commit -N -o "$tmp" debian-base..HEAD
# Replace the patches the series names (they are what the tree holds).
while read -r p; do rm -f "$PATCHDIR/$p"; done < <(series_patches)
{
	sed -n '/^#/p' "$PATCHDIR/series"
	for p in "$tmp"/*.patch; do
		cp "$p" "$PATCHDIR/"
		basename "$p"
	done
} >"$tmp/series"
mv "$tmp/series" "$PATCHDIR/series"
qsay "exported $n patch(es) to $PATCHDIR"
