#!/usr/bin/env bash
# Per-patch checks, printed as ok/not ok lines:
#   - scripts/checkpatch.pl --strict is clean for every patch;
#   - every prefix of the series builds arch/x86/kvm (which includes virt/kvm)
#     and the other directories whose .c files the patch touches, with W=1;
#   - no prefix adds a W=1 warning compared with Debian's unpatched tree
#     (warnings compared without line/column numbers).
# checkpatch results are cached per patch content under
# ~/.cache/svsm-stack/kernel/series/; the W=1 builds are build-series.sh's.
source "$(dirname "$0")/lib.sh"

cdir=$KCACHE/series
mkdir -p "$cdir"
mapfile -t patches < <(kp_series)
git -C "$KSRC" rev-parse -q --verify patched >/dev/null || "$KP_DIR/scripts/apply-series.sh"
mapfile -t commits < <(git -C "$KSRC" rev-list --reverse base..patched)
if [ ${#commits[@]} -ne ${#patches[@]} ]; then
	echo "not ok - series: branch 'patched' has ${#commits[@]} commits, series ${#patches[@]} (re-run make kernel)"
	exit 0
fi

# checkpatch --strict, cached by patch content.
for p in "${patches[@]}"; do
	name=$(basename "$p")
	h=$(sha256sum <"$p" | cut -c1-32)
	res=$cdir/checkpatch-$h
	if [ ! -f "$res.rc" ]; then
		# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") is ignored: new
		# files sit under arch/x86/kvm/, covered by the existing KVM entries.
		# /usr/bin first so that spdxcheck.py finds Debian's python3-ply.
		# (A failing checkpatch must not end the script under set -e.)
		rc=0
		(cd "$KSRC" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict -q --show-types \
			--ignore FILE_PATH_CHANGES "$p") >"$res.out" 2>&1 || rc=$?
		echo "$rc" >"$res.rc"
		grep -q '^Signed-off-by: ' "$p" || { echo "missing Signed-off-by" >>"$res.out"; echo 1 >"$res.rc"; }
	fi
	if [ "$(cat "$res.rc")" = 0 ]; then
		echo "ok - checkpatch --strict: $name"
	else
		echo "not ok - checkpatch --strict: $name"
		sed 's/^/# /' "$res.out" | head -40
	fi
done

# W=1 results of every prefix (0 = unpatched Debian tree), from build-series.sh
# (run by build-kernel.sh; run here if the cache lost some).
kp_w1_complete || "$KP_DIR/scripts/build-series.sh" || { echo "not ok - series: W=1 walk failed"; exit 0; }

all=(base "${commits[@]}")
for i in "${!all[@]}"; do
	res=$(kp_w1_result "$i")
	if [ "$i" -eq 0 ]; then
		basew=$res.warnings
		echo "# unpatched tree: $(wc -l <"$basew") W=1 warning(s) in arch/x86/kvm"
		[ "$(cat "$res.rc")" = 0 ] || { echo "not ok - W=1 build of the unpatched tree fails"; tail -20 "$res.log" | sed 's/^/# /'; }
		continue
	fi
	name=$(basename "${patches[$((i - 1))]}")
	if [ "$(cat "$res.rc")" = 0 ]; then
		echo "ok - builds on its own (W=1): $name"
	else
		echo "not ok - builds on its own (W=1): $name"
		grep -E 'error|Error' "$res.log" | head -20 | sed 's/^/# /'
	fi
	new=$(comm -13 "$basew" "$res.warnings")
	if [ -z "$new" ]; then
		echo "ok - no new W=1 warnings: $name"
	else
		echo "not ok - no new W=1 warnings: $name"
		echo "$new" | head -20 | sed 's/^/# /'
	fi
done
