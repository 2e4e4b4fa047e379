#!/usr/bin/env bash
# Per-patch checks, printed as ok/not ok lines:
#   - scripts/checkpatch.pl --strict is clean for every patch;
#   - every prefix of the series builds arch/x86/kvm (which includes virt/kvm)
#     and the other directories whose .c files the patch touches, with W=1;
#   - no prefix adds a W=1 warning compared with Debian's unpatched tree
#     (warnings compared without line/column numbers).
# Results are cached per content hash under ~/.cache/svsm-stack/kernel/series/.
# Needs build-kernel.sh (or apply-series.sh + configure.sh) to have run.
source "$(dirname "$0")/lib.sh"

wsrc=$KB/w1-src
wobj=$KB/w1-obj
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
		(cd "$KSRC" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict -q --show-types \
			--ignore FILE_PATH_CHANGES "$p") >"$res.out" 2>&1
		echo $? >"$res.rc"
		grep -q '^Signed-off-by: ' "$p" || { echo "missing Signed-off-by" >>"$res.out"; echo 1 >"$res.rc"; }
	fi
	if [ "$(cat "$res.rc")" = 0 ]; then
		echo "ok - checkpatch --strict: $name"
	else
		echo "not ok - checkpatch --strict: $name"
		sed 's/^/# /' "$res.out" | head -40
	fi
done

# Build every prefix (0 = unpatched Debian tree) with W=1.
prepare_tree() {
	[ -f "$KOBJ/.config" ] || "$KP_DIR/scripts/configure.sh"
	if [ ! -d "$wsrc/.git" ] && [ ! -f "$wsrc/.git" ]; then
		git -C "$KSRC" worktree prune
		git -C "$KSRC" worktree add -q --detach "$wsrc" base
	fi
	mkdir -p "$wobj"
}
build_prefix() { # $1 = commit, $2 = result file prefix; dirs touched come from the diff
	local c=$1 res=$2 dirs
	git -C "$wsrc" checkout -q -f --detach "$c"
	# Fresh copy each time: olddefconfig on an older prefix drops the
	# symbols the series adds (e.g. the KUnit test option).
	cp "$KOBJ/.config" "$wobj/.config"
	kp_make_in "$wsrc" "$wobj" -s olddefconfig >/dev/null
	dirs=$(git -C "$wsrc" diff --name-only base "$c" -- '*.c' | { grep -v -E '^(tools|Documentation|samples)/' || true; } |
		xargs -r -n1 dirname | sort -u | sed 's,$,/,')
	dirs=$(printf '%s\n' arch/x86/kvm/ $dirs | sort -u)
	# Recompile from scratch (ccache replays the warnings of unchanged files).
	for d in $dirs; do find "$wobj/$d" -name '*.o' -delete 2>/dev/null || true; done
	# shellcheck disable=SC2086
	if kp_make_in "$wsrc" "$wobj" -s W=1 $dirs >"$res.log" 2>&1; then echo 0 >"$res.rc"; else echo 1 >"$res.rc"; fi
	grep -E ': warning: ' "$res.log" | sed -E "s,^$wsrc/,,; s,^([^:]+):[0-9]+(:[0-9]+)?:,\1:," | sort -u >"$res.warnings" || true
}

prepared=0
all=(base "${commits[@]}")
for i in "${!all[@]}"; do
	key=$(kp_key "$i")
	res=$cdir/w1-$key-$(sha256sum <"$0" | cut -c1-12)
	if [ ! -f "$res.rc" ]; then
		[ $prepared -eq 1 ] || { prepare_tree; prepared=1; }
		build_prefix "${all[$i]}" "$res"
	fi
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
