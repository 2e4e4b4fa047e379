#!/usr/bin/env bash
# Install what the build and the tests need, from Debian's archive only.
#
# Usage: scripts/deps.sh [GROUP...]   (default: every group in scripts/packages/)
#
# Each group is scripts/packages/GROUP.txt: one package a line, "#" comments;
# a line "pkg/suite" installs pkg from that suite (e.g. meson/bookworm-backports).
# Extra suites (bookworm-backports, trixie, sid, and deb-src for all) are added by
# reusing the URIs of this machine's existing Debian entry, so no host name is ever
# written here. trixie and sid are pinned low so that nothing on the base system is
# upgraded from them; they are used only where a package line names them.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pkgdir="$here/packages"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/svsm-stack"
sources=/etc/apt/sources.list.d/svsm-stack.sources
prefs=/etc/apt/preferences.d/svsm-stack.pref

die() { echo "deps: error: $*" >&2; exit 1; }
say() { echo "deps: $*"; }

groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
	for f in "$pkgdir"/*.txt; do groups+=("$(basename "$f" .txt)"); done
fi

# Collect wanted packages as "name suite" pairs.
wanted=()
for g in "${groups[@]}"; do
	f="$pkgdir/$g.txt"
	[ -f "$f" ] || die "unknown package group '$g' (no $f)"
	while read -r line; do
		line=${line%%#*}
		line=$(echo "$line" | xargs)
		[ -n "$line" ] && wanted+=("$line")
	done <"$f"
done

# Fast path: everything installed already (and our sources present).
missing=()
for w in "${wanted[@]}"; do
	name=${w%%/*}
	if ! dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$w")
	fi
done
if [ ${#missing[@]} -eq 0 ] && [ -f "$sources" ] && [ -f "$prefs" ]; then
	exit 0
fi

[ "$(id -u)" -eq 0 ] || { command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

# Find the main Debian archive URI and the security URI in the existing entries.
find_uri() { # $1 = suite to look for
	local uri="" f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$sources" ] || continue
		uri=$(awk -v s="$1" '
			/^[[:space:]]*$/ { if (u != "" && hit) { print u; exit } u=""; hit=0; next }
			/^URIs:/ { u=$2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) hit=1 }
			END { if (u != "" && hit) print u }' "$f")
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	if [ -f /etc/apt/sources.list ]; then
		awk -v s="$1" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1) == s) { print $i; exit } } }' /etc/apt/sources.list
	fi
}

if [ ! -f "$sources" ] || [ ! -f "$prefs" ]; then
	main_uri=$(find_uri bookworm)
	[ -n "$main_uri" ] || die "no Debian 'bookworm' entry found in /etc/apt/sources.list{,.d}; cannot derive archive URIs"
	sec_uri=$(find_uri bookworm-security)
	say "adding bookworm-backports, trixie, sid and deb-src entries (archive URI taken from existing sources)"
	tmp=$(mktemp)
	{
		echo "# Added by svsm-stack scripts/deps.sh; URIs copied from the existing Debian entry."
		echo "Types: deb-src"
		echo "URIs: $main_uri"
		echo "Suites: bookworm bookworm-updates"
		echo "Components: main"
		echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
		echo
		if [ -n "$sec_uri" ]; then
			echo "Types: deb-src"
			echo "URIs: $sec_uri"
			echo "Suites: bookworm-security"
			echo "Components: main"
			echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
			echo
		fi
		echo "Types: deb deb-src"
		echo "URIs: $main_uri"
		echo "Suites: bookworm-backports trixie sid"
		echo "Components: main"
		echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
	} >"$tmp"
	$SUDO install -m 0644 "$tmp" "$sources"
	cat >"$tmp" <<'PREF'
# Added by svsm-stack scripts/deps.sh: the base system stays on bookworm.
# trixie and sid are used only for packages named explicitly (pkg/suite).
Package: *
Pin: release n=trixie
Pin-Priority: 50

Package: *
Pin: release n=sid
Pin-Priority: 40

Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100
PREF
	$SUDO install -m 0644 "$tmp" "$prefs"
	rm -f "$tmp"
	rm -f "$cache/apt-updated"
fi

mkdir -p "$cache"
# apt-get update once a day at most (and whenever our sources were just written).
if [ ! -f "$cache/apt-updated" ] || [ -n "$(find "$cache/apt-updated" -mmin +1440 2>/dev/null)" ]; then
	say "apt-get update"
	$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq || die "apt-get update failed"
	touch "$cache/apt-updated"
fi

[ ${#missing[@]} -eq 0 ] && exit 0

# "pkg/suite" takes just that package from the suite (apt's per-package release
# selection); its dependencies come from bookworm wherever bookworm satisfies them.
# (apt-get -t SUITE would instead prefer SUITE for every dependency and upgrade base
# packages such as systemd along the way.) apt does not look in SUITE for a dependency
# that bookworm's version cannot satisfy, so such dependencies are added as "dep/SUITE"
# one round at a time, from apt's own list of unmet dependencies, and only from the
# suites the package lists already name.
export DEBIAN_FRONTEND=noninteractive
suites=$(printf '%s\n' "${missing[@]}" | sed -n 's|^[^/]*/||p' | sort -u)
request=("${missing[@]}")
for round in 1 2 3 4 5 6 7 8; do
	sim=$($SUDO apt-get -o DPkg::Lock::Timeout=900 install -s --no-install-recommends "${request[@]}" 2>&1) && break
	added=0
	for dep in $(sed -n -E 's/^.*Depends: ([a-z0-9][a-z0-9.+-]*)(:[a-z0-9]+)? .* but .* is to be installed.*/\1/p' <<<"$sim" | sort -u); do
		for s in $suites; do
			if apt-cache madison "$dep" | awk -F'|' '{print $3}' | grep -q " $s/"; then
				request+=("$dep/$s"); added=1; break
			fi
		done
	done
	[ $added -eq 1 ] || { echo "$sim" | tail -n 15 >&2; die "cannot resolve dependencies for: ${missing[*]}"; }
	[ "$round" -lt 8 ] || die "dependency resolution did not settle after $round rounds"
done
say "installing: ${request[*]}"
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${request[@]}" >/dev/null ||
	die "apt-get install failed for: ${request[*]}"
say "done"
