#!/usr/bin/env bash
# Provide Linux 6.12 uapi headers (guest_memfd, memory attributes, KVM_EXIT_MEMORY_FAULT,
# KVM_X86_SW_PROTECTED_VM) for libupm and upm-convtest.
#
# Usage: upm/scripts/fetch-uapi.sh OUTDIR
#   Leaves OUTDIR/include (to be passed as -isystem, ahead of /usr/include) and
#   OUTDIR/source (where the headers came from).
#
# bookworm's linux-libc-dev (6.1) lacks guest_memfd. We do not replace the system
# package (that would change /usr/include under every other component); instead the
# bookworm-backports linux-libc-dev .deb is fetched with apt-get download (the archive
# entry is set up by scripts/deps.sh) and unpacked into OUTDIR. The .deb is kept under
# ~/.cache/svsm-stack/upm/ so later builds work offline.
set -euo pipefail

out=${1:?usage: fetch-uapi.sh OUTDIR}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/svsm-stack/upm"
want='KVM_CREATE_GUEST_MEMFD'

has_gmem() { grep -q "$want" "$1/linux/kvm.h" 2>/dev/null; }

rm -rf "$out.tmp"
mkdir -p "$out.tmp/include" "$cache"

# 1. The system headers are new enough already (e.g. a newer Debian): use them as they are.
if has_gmem /usr/include; then
	echo "system /usr/include (linux-libc-dev $(dpkg-query -W -f='${Version}' linux-libc-dev 2>/dev/null || echo '?'))" >"$out.tmp/source"
else
	deb=$(ls -t "$cache"/linux-libc-dev_6.12*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$cache" && apt-get download -q linux-libc-dev/bookworm-backports) >&2 ||
			{ echo "fetch-uapi: apt-get download linux-libc-dev/bookworm-backports failed (run scripts/deps.sh first to add the archive entry)" >&2; exit 1; }
		deb=$(ls -t "$cache"/linux-libc-dev_6.12*.deb 2>/dev/null | head -1 || true)
	fi
	[ -n "$deb" ] || { echo "fetch-uapi: no linux-libc-dev 6.12 .deb in $cache" >&2; exit 1; }
	x="$out.tmp/x"
	dpkg-deb -x "$deb" "$x"
	# Generic headers plus the x86_64 asm/ directory, flattened into one include root.
	cp -rL "$x/usr/include/linux" "$x/usr/include/asm-generic" "$out.tmp/include/"
	cp -rL "$x/usr/include/x86_64-linux-gnu/asm" "$out.tmp/include/asm"
	rm -rf "$x"
	grep -q KVM_X86_SW_PROTECTED_VM "$out.tmp/include/asm/kvm.h" && has_gmem "$out.tmp/include" || { echo "fetch-uapi: $deb has no $want" >&2; exit 1; }
	echo "$(basename "$deb")" >"$out.tmp/source"
fi

rm -rf "$out"
mv "$out.tmp" "$out"
echo "fetch-uapi: using $(cat "$out/source")"
