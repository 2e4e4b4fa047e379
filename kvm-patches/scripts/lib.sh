# Shared settings for the kvm-patches pipeline scripts: source "$(dirname "$0")/lib.sh".
# shellcheck shell=bash
set -euo pipefail

KP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOP=${TOP:-$(cd "$KP_DIR/.." && pwd)}
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-$HOME/.cache/svsm-stack}

# The Debian source package we patch: pinned, with a fallback (fetch-source.sh).
KP_SRC_PKG=linux-source-6.12
KP_SRC_PIN=6.12.117-1~deb12u1
KP_SRC_TARBALL=/usr/src/linux-source-6.12.tar.xz

KB=$BUILD/kernel                 # everything we build
KSRC=$KB/src                     # unpacked source, a git repo (tag "base" = Debian's tree)
KOBJ=$KB/obj                     # out-of-tree object directory (O=)
KCACHE=$CACHE/kernel             # content-hash stamps and cached artefacts
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
JOBS=${JOBS:-$(nproc)}

kp_log() { echo "kernel: $*" >&2; }
kp_die() { echo "kernel: error: $*" >&2; exit 1; }

# The series, in order, as absolute paths.
kp_series() {
	local p
	while read -r p; do
		p=${p%%#*}
		p=$(echo "$p" | xargs)
		[ -n "$p" ] && echo "$KP_DIR/$p"
	done <"$KP_DIR/series"
}

# The installed source package version ("" when not installed).
kp_src_version() {
	dpkg-query -W -f='${Version}' "$KP_SRC_PKG" 2>/dev/null || true
}

# sha256 over the source version, the first N patches (all when N is empty),
# the config fragment and the pipeline scripts that shape the build (so a
# change to kernel.config or to how we configure/build rebuilds).
kp_key() {
	local n=${1:-} i=0 p
	{
		echo "src $(kp_src_version)"
		while read -r p; do
			i=$((i + 1))
			[ -n "$n" ] && [ "$i" -gt "$n" ] && break
			sha256sum <"$p"
		done < <(kp_series)
		sha256sum <"$KP_DIR/kernel.config"
		sha256sum <"$KP_DIR/scripts/configure.sh"
		sha256sum <"$KP_DIR/scripts/build-series.sh"
		sha256sum <"$KP_DIR/scripts/build-kernel.sh"
	} | sha256sum | cut -c1-32
}

# Result files (.rc .log .warnings) of the W=1 build of prefix N (build-series.sh).
kp_w1_result() { echo "$KCACHE/series/w1-$(kp_key "$1")"; }

# 0 when the W=1 results of every prefix of the series are cached.
kp_w1_complete() {
	local i n
	n=$(kp_series | wc -l)
	for i in $(seq 0 "$n"); do
		[ -f "$(kp_w1_result "$i").rc" ] || return 1
	done
}

kp_make() { make -C "$KSRC" O="$KOBJ" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"; }

# make in another source/object pair (the per-patch checks use a worktree).
kp_make_in() {
	local src=$1 obj=$2
	shift 2
	make -C "$src" O="$obj" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}
