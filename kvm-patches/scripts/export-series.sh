#!/usr/bin/env bash
# Developer helper: regenerate kvm-patches/*.patch and kvm-patches/series from a
# branch of build/kernel/src (default: the "dev" branch, e.g. a worktree made
# with `git -C build/kernel/src worktree add -b dev ../dev-src base`).
#   kvm-patches/scripts/export-series.sh [BRANCH]
source "$(dirname "$0")/lib.sh"

branch=${1:-dev}
git -C "$KSRC" rev-parse -q --verify "$branch" >/dev/null || kp_die "no branch '$branch' in $KSRC"
rm -f "$KP_DIR"/[0-9][0-9][0-9][0-9]-*.patch
git -C "$KSRC" format-patch -q --no-signature --zero-commit -N -o "$KP_DIR" "base..$branch"
{
	echo "# kvm-patches series, applied in this order with git am on Debian's"
	echo "# linux-source-6.12 (see docs/kernel-pipeline.md)."
	(cd "$KP_DIR" && ls [0-9][0-9][0-9][0-9]-*.patch 2>/dev/null)
} >"$KP_DIR/series"
kp_log "exported $(grep -c '\.patch$' "$KP_DIR/series") patch(es) from $branch"
