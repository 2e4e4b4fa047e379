#!/usr/bin/env bash
# Development trees for the emulated SNP platform (docs/snp-emulation.md,
# "Development tree"). Several people can work on the emulation at once, each in
# a git worktree of the one development repository build/snp-dev/src, and meet
# on its branch `snp-main` (series 0001-0004 + our 01NN commits).
#
#   dev-tree.sh new NAME      build/snp-NAME/src: worktree on branch NAME
#                             (from snp-main), configured in build/snp-NAME/obj
#   dev-tree.sh build NAME    ninja qemu-system-x86_64 in build/snp-NAME/obj
#   dev-tree.sh land NAME     rebase NAME onto snp-main, then fast-forward
#                             snp-main to it (refused unless fast-forward)
#   dev-tree.sh export        write snp-main's 01NN commits to
#                             qemu-patches/01NN-*.patch and the series
#
# Paths keep the depth build/<dir>/src that patch 0100's relative include of
# this repository's include/ needs; ccache uses the pipeline's cache directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
patchdir=$(cd "$here/.." && pwd)
top=$(cd "$patchdir/.." && pwd)
build=${BUILD:-$top/build}
cache=${CACHE:-$HOME/.cache/svsm-stack}
repo="$build/snp-dev/src"

die() {
	echo "dev-tree: $*" >&2
	exit 1
}
[ -d "$repo/.git" ] || die "no development repository at $repo (see docs/snp-emulation.md)"
git -C "$repo" rev-parse -q --verify snp-main >/dev/null || die "no branch snp-main in $repo"

configure_tree() { # DIR
	local dir=$1 flags
	mapfile -t flags < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$patchdir/configure-flags" | grep -v '^$')
	flags+=("--python=/usr/bin/python3")
	export PATH="/usr/lib/ccache:$PATH" # see build-qemu.sh: QEMU's "cc" through ccache
	export PKG_CONFIG_PATH="$build/vmm-tools/igvm/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
	mkdir -p "$dir/obj"
	(cd "$dir/obj" && "$dir/src/configure" "${flags[@]}") >"$dir/configure.log" 2>&1 ||
		{ tail -n 20 "$dir/configure.log" >&2; die "configure failed ($dir/configure.log)"; }
}

cmd=${1:-}
name=${2:-}
case $cmd in
new)
	[[ $name =~ ^[a-z][a-z0-9-]*$ ]] || die "usage: dev-tree.sh new NAME (lower-case name)"
	dir="$build/snp-$name"
	[ ! -e "$dir/src" ] || die "$dir/src exists"
	mkdir -p "$dir"
	git -C "$repo" worktree add -q -b "$name" "$dir/src" snp-main
	configure_tree "$dir"
	echo "dev-tree: $dir/src on branch $name; build with: $0 build $name"
	;;
build)
	dir="$build/snp-$name"
	[ -f "$dir/obj/build.ninja" ] || die "no configured tree $dir/obj"
	export CCACHE_DIR="$cache/ccache" CCACHE_BASEDIR="$dir" CCACHE_NOHASHDIR=1 PATH="/usr/lib/ccache:$PATH"
	ninja -C "$dir/obj" qemu-system-x86_64 >"$dir/build.log" 2>&1 ||
		{ grep -E 'error' "$dir/build.log" | head -n 30 >&2; die "build failed ($dir/build.log)"; }
	echo "dev-tree: built $dir/obj/qemu-system-x86_64"
	;;
land)
	dir="$build/snp-$name"
	[ -z "$(git -C "$dir/src" status --porcelain --untracked-files=no)" ] ||
		die "uncommitted changes in $dir/src"
	git -C "$dir/src" rebase -q snp-main || die "rebase onto snp-main conflicts: resolve in $dir/src, then land again"
	if [ "$(git -C "$repo" branch --show-current)" = snp-main ]; then
		# snp-main is checked out in the development repository: move it there.
		git -C "$repo" merge -q --ff-only "$(git -C "$dir/src" rev-parse HEAD)" ||
			die "snp-main moved meanwhile (or $repo has local changes): land again"
	else
		git -C "$dir/src" push -q . "HEAD:snp-main" || die "snp-main moved meanwhile: land again"
	fi
	echo "dev-tree: snp-main is now $(git -C "$repo" log --oneline -1 snp-main)"
	;;
export)
	n=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$patchdir/series" | grep -v '^$' | grep -vc '^01[0-9][0-9]-' || true)
	first=$(git -C "$repo" rev-list --reverse debian-base..snp-main | sed -n "$((n + 1))p")
	[ -n "$first" ] || die "snp-main has no commits beyond the $n series patches"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	git -C "$repo" format-patch -q --no-signature --zero-commit -N --start-number 100 \
		-o "$tmp" "$first^..snp-main"
	rm -f "$patchdir"/01[0-9][0-9]-*.patch
	cp "$tmp"/*.patch "$patchdir/"
	{
		grep -v '^01[0-9][0-9]-' "$patchdir/series"
		(cd "$tmp" && ls -- *.patch)
	} >"$tmp/series"
	mv "$tmp/series" "$patchdir/series"
	echo "dev-tree: exported $(ls "$tmp"/*.patch | wc -l) patch(es) from snp-main"
	;;
*)
	die "usage: dev-tree.sh new|build|land NAME, or dev-tree.sh export"
	;;
esac
