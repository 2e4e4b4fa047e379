#!/usr/bin/env bash
# Build qemu-system-x86_64 from Debian trixie's qemu source package plus our
# patch series (qemu-patches/series), into build/qemu/.
#
#   qemu-patches/scripts/build-qemu.sh [--force]
#
# Steps: fetch the pinned source package with `apt-get source` (cached), unpack
# it with Debian's patches applied (dpkg-source -x) into a git repository
# (tag debian-base, cached), clone that into build/qemu/src, `git am` the series,
# configure with qemu-patches/configure-flags, and build only the
# qemu-system-x86_64 target in build/qemu/obj. The result is copied to
# build/qemu/qemu-system-x86_64.
#
# A content hash of (source version, series, patch contents, configure flags,
# these scripts, the cigvm library when used) names the build. An unchanged tree
# reuses the previous build: build/qemu/.stamp, else the binary kept in
# ~/.cache/svsm-stack/qemu/builds/<hash>/. ccache lives in ~/.cache/svsm-stack/ccache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
PATCHDIR=$(cd "$here/.." && pwd)
TOP=${TOP:-$(cd "$PATCHDIR/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-$HOME/.cache/svsm-stack}
source "$here/common.sh"

# Read the series once: hash, apply and record all use this snapshot, so that
# an export rewriting qemu-patches/ during a build cannot mix two states.
snap=$(mktemp -d)
trap 'rm -rf "$snap"' EXIT
cp "$PATCHDIR/series" "$PATCHDIR/configure-flags" "$snap/"
while read -r p; do
	cp "$PATCHDIR/$p" "$snap/" 2>/dev/null || qdie "qemu-patches/series names $p, which does not exist"
done < <(series_patches)
PATCHDIR=$snap

force=0
[ "${1:-}" = "--force" ] && force=1

out="$BUILD/qemu"
src="$out/src"
obj="$out/obj"
mkdir -p "$out" "$QCACHE/builds"

# One build at a time in this build directory; the source cache has its own lock.
exec 8>"$out/.lock"
flock 8
exec 9>"$QCACHE/lock"
flock 9
ver=$(qemu_source_version)
base=$(qemu_base_repo "$ver")
exec 9>&-

# Flags are one a line in configure-flags ("#" comments), so that a patch that
# adds a feature (e.g. --enable-igvm) adds its flag next to it.
mapfile -t flags < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$PATCHDIR/configure-flags" | grep -v '^$')
flags+=("--python=/usr/bin/python3")

uses_cigvm=0
if grep -q -- '--enable-igvm' "$PATCHDIR/configure-flags"; then
	uses_cigvm=1
	cigvm_pc="$BUILD/vmm-tools/igvm/pkgconfig"
	[ -f "$cigvm_pc/cigvm.pc" ] || qdie "the series needs libcigvm, but $cigvm_pc/cigvm.pc is missing (run 'make igvm-lib')"
	export PKG_CONFIG_PATH="$cigvm_pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
fi

hash=$({
	echo "version $ver"
	echo "flags ${flags[*]}"
	echo "gcc $(gcc -dumpfullversion)"
	sha256sum "$here"/*.sh "$PATCHDIR/configure-flags" "$PATCHDIR/series" | cut -d' ' -f1
	while read -r p; do sha256sum "$PATCHDIR/$p" | cut -d' ' -f1; done < <(series_patches)
	if [ $uses_cigvm -eq 1 ]; then
		# The library's inputs, not its build products: the .a and .pc carry the
		# clone's absolute paths (debug info, prefix), so hashing them would make
		# every fresh clone miss the cache. Sources + headers + build fragment.
		find "$TOP/vmm-tools/igvm/src" "$TOP/vmm-tools/igvm/include" "$TOP/include" \
			"$TOP/vmm-tools/module.mk" -type f \( -name '*.[ch]' -o -name '*.mk' \) -print0 |
			sort -z | xargs -0 sha256sum | sed "s|$TOP/||" | sha256sum | cut -d' ' -f1
	fi
} | sha256sum | cut -c1-16)

# The binary lives in bin/ with share/qemu beside it: QEMU is relocatable and
# looks for its data files (option ROMs, keymaps) at <exe dir>/../share/qemu;
# those come from the installed qemu-system-data package (/usr/share/qemu).
bin="$out/bin/qemu-system-x86_64"
mkdir -p "$out/bin" "$out/share"
ln -sfn /usr/share/qemu "$out/share/qemu"
ln -sfn bin/qemu-system-x86_64 "$out/qemu-system-x86_64"
if [ $force -eq 0 ] && [ -x "$bin" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$hash" ]; then
	qsay "up to date (qemu $ver, $(series_patches | wc -l) patches, build $hash)"
	exit 0
fi
if [ $force -eq 0 ] && [ -x "$QCACHE/builds/$hash/qemu-system-x86_64" ]; then
	cp "$QCACHE/builds/$hash/qemu-system-x86_64" "$bin.tmp" && mv "$bin.tmp" "$bin"
	echo "$hash" >"$out/.stamp"
	qsay "reused cached build $hash (qemu $ver, $(series_patches | wc -l) patches)"
	exit 0
fi

# Source tree: a clone of the cached base repository with the series applied.
# An existing tree is reset to debian-base (only files that differ are rewritten,
# so an incremental build recompiles only what the patches touch).
if [ ! -d "$src/.git" ] || [ "$(git -C "$src" config svsm.version 2>/dev/null)" != "$ver" ]; then
	rm -rf "$src" "$obj"
	git clone -q --no-checkout "$base" "$src"
	git -C "$src" config svsm.version "$ver"
	git -C "$src" checkout -q debian-base
fi
apply_series "$src"

export CCACHE_DIR="$CACHE/ccache"
export CCACHE_BASEDIR="$out"
# Share objects between trees at different paths (dev trees, fresh clones):
# without this ccache hashes the working directory whenever -g is used.
export CCACHE_NOHASHDIR=1
mkdir -p "$CCACHE_DIR"
command -v ccache >/dev/null || qdie "ccache not found (scripts/packages/qemu.txt)"
# QEMU's configure hands meson a plain "cc" (so meson's own ccache detection
# never applies): Debian's ccache masquerade directory first in PATH makes
# that "cc" ccache, for configure and for every ninja run of this build.
[ -x /usr/lib/ccache/cc ] || qdie "/usr/lib/ccache/cc missing (Debian's ccache package provides it)"
export PATH="/usr/lib/ccache:$PATH"

# Reconfigure when the flags changed (or no build directory yet).
want="${flags[*]} PKG_CONFIG_PATH=${PKG_CONFIG_PATH:-}"
if [ ! -f "$obj/build.ninja" ] || [ "$(cat "$obj/.svsm-flags" 2>/dev/null)" != "$want" ]; then
	rm -rf "$obj"
	mkdir -p "$obj"
	qsay "configure: ${flags[*]}"
	(cd "$obj" && "$src/configure" "${flags[@]}") >"$out/configure.log" 2>&1 ||
		{ tail -n 30 "$out/configure.log" >&2; qdie "configure failed (log: $out/configure.log)"; }
	echo "$want" >"$obj/.svsm-flags"
fi

qsay "building qemu-system-x86_64 (log: $out/build.log)"
t0=$SECONDS
if ! ninja -C "$obj" qemu-system-x86_64 >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -n 30 >&2 || true
	tail -n 15 "$out/build.log" >&2
	qdie "build failed (log: $out/build.log)"
fi
qsay "built in $((SECONDS - t0)) s"

cp "$obj/qemu-system-x86_64" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$hash" >"$out/.stamp"

# Keep the binary for this hash; keep only the three newest builds.
mkdir -p "$QCACHE/builds/$hash"
cp "$bin" "$QCACHE/builds/$hash/qemu-system-x86_64"
{ echo "version $ver"; series_patches; } >"$QCACHE/builds/$hash/info"
ls -1dt "$QCACHE/builds"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
qsay "done: $bin (build $hash)"
