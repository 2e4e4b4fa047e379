#!/usr/bin/env bash
# Apply qemu-patches/series to a fresh clone of the pristine Debian source
# (debian-base) and run QEMU's scripts/checkpatch.pl on every patch.
# Prints TAP-style "ok - ..." / "not ok - ..." lines (used by tests/suites/50-qemu-build.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PATCHDIR=$(cd "$here/.." && pwd)
TOP=${TOP:-$(cd "$PATCHDIR/.." && pwd)}
CACHE=${CACHE:-$HOME/.cache/svsm-stack}
source "$here/common.sh"

mkdir -p "$QCACHE"
exec 9>"$QCACHE/lock"
flock 9
ver=$(qemu_source_version) || { echo "not ok - qemu source package available"; exit 0; }
echo "ok - qemu source package $ver available"
base=$(qemu_base_repo "$ver") || { echo "not ok - qemu source unpacked with Debian patches"; exit 0; }
exec 9>&-

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone -q --shared "$base" "$tmp/src" && git -C "$tmp/src" checkout -q debian-base ||
	{ echo "not ok - clean checkout of debian-base"; exit 0; }

mapfile -t patches < <(series_patches)
all=1
for p in "${patches[@]}"; do
	if [ ! -f "$PATCHDIR/$p" ]; then
		echo "not ok - apply $p (missing file)"; all=0; break
	fi
	if git -C "$tmp/src" -c user.name=check -c user.email=check@invalid am -q "$PATCHDIR/$p" >"$tmp/am.log" 2>&1; then
		echo "ok - apply $p"
	else
		sed 's/^/# /' "$tmp/am.log"
		echo "not ok - apply $p (does not apply cleanly)"
		all=0
		break
	fi
done
[ $all -eq 1 ] && echo "ok - series applies cleanly (${#patches[@]} patches on $ver)"

for p in "${patches[@]}"; do
	[ -f "$PATCHDIR/$p" ] || continue
	if (cd "$tmp/src" && perl scripts/checkpatch.pl --strict --no-color "$PATCHDIR/$p") >"$tmp/cp.log" 2>&1; then
		echo "ok - checkpatch.pl $p"
	else
		sed 's/^/# /' "$tmp/cp.log"
		echo "not ok - checkpatch.pl $p"
	fi
done
exit 0
