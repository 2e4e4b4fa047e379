#!/usr/bin/env bash
# Walk the series in build/kernel/src, one patch at a time, in the same object
# directory the bzImage is built in (build/kernel/obj), and compile, with W=1,
# arch/x86/kvm/ (+ virt/kvm) and every other directory with a .c file the
# prefix touches: prefix 0 is Debian's tree, prefix N the whole series.
# Results (rc, log, warnings without line numbers) go to
# ~/.cache/svsm-stack/kernel/series/w1-KEY.*, read by check-series.sh.
#
# Why in one tree: each step only recompiles what the patch changed (ccache
# hits for the rest; their objects are deleted first so that ccache replays
# their warnings and every prefix's warning set is complete), and the last
# step's objects are the ones the bzImage links. A cold run compiles KVM twice
# (Debian's tree, then after the first header change) plus what each patch
# touches, instead of once per prefix in a second tree.
# Prefixes whose result is cached are applied but not built (a change to the
# last patch rebuilds only the last prefix).
# Leaves the tree on branch "patched" with the whole series applied and
# configured (strictly: every fragment option must stick).
source "$(dirname "$0")/lib.sh"

mapfile -t patches < <(kp_series)
cdir=$KCACHE/series
mkdir -p "$cdir" "$KOBJ"

cd "$KSRC" || exit 1
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B patched base
git clean -q -fdx -e .git

for i in $(seq 0 ${#patches[@]}); do
	t0=$SECONDS
	if [ "$i" -gt 0 ]; then
		git am -q --whitespace=error-all "${patches[$((i - 1))]}" || {
			git am --abort >/dev/null 2>&1 || true
			kp_die "series does not apply (at $(basename "${patches[$((i - 1))]}"))"
		}
	fi
	res=$(kp_w1_result "$i")
	# A prefix whose result is cached is not built again: the next prefix
	# built deletes and rebuilds its directories anyway, so its warning
	# set does not depend on what this tree held before.
	if [ -f "$res.rc" ] && [ "$i" -lt ${#patches[@]} ]; then
		continue
	fi
	# Earlier prefixes lack symbols the series adds (the KUnit option):
	# only the whole series must satisfy every option of the fragment.
	if [ "$i" -eq ${#patches[@]} ]; then
		"$KP_DIR/scripts/configure.sh"
		if [ -f "$res.rc" ]; then break; fi
	else
		KP_CONFIG_LAX=1 "$KP_DIR/scripts/configure.sh"
	fi
	dirs=$(git diff --name-only base HEAD -- '*.c' | { grep -v -E '^(tools|Documentation|samples)/' || true; } |
		xargs -r -n1 dirname | sort -u | sed 's,$,/,')
	# shellcheck disable=SC2086 # one directory per word
	dirs=$(printf '%s\n' arch/x86/kvm/ $dirs | sort -u)
	for d in $dirs virt/kvm/; do find "$KOBJ/$d" -name '*.o' -delete 2>/dev/null || true; done
	# shellcheck disable=SC2086
	if kp_make -s W=1 $dirs >"$res.log.tmp" 2>&1; then rc=0; else rc=1; fi
	grep -E ': warning: ' "$res.log.tmp" | sed -E "s,^$KSRC/,,; s,^([^:]+):[0-9]+(:[0-9]+)?:,\1:," |
		sort -u >"$res.warnings" || true
	mv "$res.log.tmp" "$res.log"
	echo "$rc" >"$res.rc"
	kp_log "W=1 prefix $i/${#patches[@]}: rc $rc, $(wc -l <"$res.warnings") warning(s), $((SECONDS - t0)) s"
done
