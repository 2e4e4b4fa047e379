#!/usr/bin/env bash
# Reset build/kernel/src to Debian's tree (tag "base") and apply kvm-patches/series
# with `git am`. Files the series does not touch keep their mtimes, so the
# out-of-tree build stays incremental.
source "$(dirname "$0")/lib.sh"

cd "$KSRC"
git am --abort >/dev/null 2>&1 || true
git checkout -q -f -B patched base
git clean -q -fdx -e .git
mapfile -t patches < <(kp_series)
if [ ${#patches[@]} -gt 0 ]; then
	git am -q --whitespace=error-all "${patches[@]}" || {
		git am --abort >/dev/null 2>&1 || true
		kp_die "series does not apply"
	}
fi
kp_log "applied ${#patches[@]} patch(es) on $(git describe --tags --always base)"
