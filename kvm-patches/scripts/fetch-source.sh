#!/usr/bin/env bash
# Install Debian's linux-source-6.12 (pinned; falls back to the newest 6.12.y the
# archive offers, and says so) and unpack it into build/kernel/src as a git repo
# whose first commit is tagged "base". Re-running is cheap when nothing changed.
source "$(dirname "$0")/lib.sh"

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o DPkg::Lock::Timeout=900 "$@" >/dev/null
}

have=$(kp_src_version)
if [ "$have" != "$KP_SRC_PIN" ]; then
	if apt_install "$KP_SRC_PKG=$KP_SRC_PIN" 2>/dev/null; then
		kp_log "installed $KP_SRC_PKG $KP_SRC_PIN (pinned)"
	elif [ -n "$have" ]; then
		kp_log "WARNING: pinned $KP_SRC_PKG $KP_SRC_PIN unavailable; using installed $have"
	else
		apt_install "$KP_SRC_PKG" || kp_die "cannot install $KP_SRC_PKG"
		kp_log "WARNING: pinned $KP_SRC_PKG $KP_SRC_PIN unavailable; FELL BACK to $(kp_src_version)"
	fi
fi
[ -f "$KP_SRC_TARBALL" ] || kp_die "$KP_SRC_TARBALL missing after installing $KP_SRC_PKG"

ver=$(kp_src_version)
if [ -f "$KSRC/.git/kp-source-version" ] && [ "$(cat "$KSRC/.git/kp-source-version")" = "$ver" ] &&
	git -C "$KSRC" rev-parse -q --verify base >/dev/null; then
	exit 0
fi

kp_log "unpacking $KP_SRC_TARBALL ($ver) into $KSRC"
# (w1-src/w1-obj: the W=1 worktree of earlier pipeline versions, now unused.)
rm -rf "$KSRC" "$KB/src.tmp" "$KB/w1-src" "$KB/w1-obj"
mkdir -p "$KB/src.tmp"
tar -xf "$KP_SRC_TARBALL" -C "$KB/src.tmp"
mv "$KB/src.tmp/linux-source-6.12" "$KSRC"
rmdir "$KB/src.tmp"
cd "$KSRC"
git init -q -b debian
git config user.name "kvm-patches pipeline"
git config user.email "kvm-patches@localhost"
git config core.autocrlf false
git config gc.auto 0
git add -A -f .
git commit -q -m "Debian $KP_SRC_PKG $ver"
git tag base
echo "$ver" >.git/kp-source-version
