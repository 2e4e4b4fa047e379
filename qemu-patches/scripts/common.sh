# Shared by the qemu-patches scripts: source version, cached base tree, series.
# shellcheck shell=bash
# Needs PATCHDIR and CACHE set by the caller.

# The Debian trixie source package we patch. If it has left the archive, the
# newest 10.0.x trixie source is used instead (and we say so).
QEMU_PIN_VERSION="1:10.0.13+ds-0+deb13u1"
QCACHE="$CACHE/qemu"

qsay() { echo "qemu: $*"; }
qdie() { echo "qemu: error: $*" >&2; exit 1; }

# Patches named by the series file, in order ("#" comments, blank lines ignored).
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$PATCHDIR/series" | grep -v '^$' || true
}

# Print the source version to use; download it into $QCACHE/sources/<version>/.
qemu_source_version() {
	local ver=$QEMU_PIN_VERSION dir
	dir="$QCACHE/sources/${ver//:/_}"
	if [ ! -f "$dir/.complete" ]; then
		if ! apt-cache madison qemu | awk -F' [|] ' '$3 ~ / Sources$/ { print $2 }' | grep -qxF "$ver"; then
			local cur
			cur=$(apt-cache madison qemu | awk -F' [|] ' '$3 ~ /trixie\/main Sources$/ { print $2 }' |
				grep -E '^1:10\.0\.' | sort -V | tail -n 1)
			[ -n "$cur" ] || qdie "neither $ver nor any 10.0.x trixie qemu source is in the archive (deb-src entries from 'make deps'?)"
			echo "qemu: NOTE: pinned source $ver has left the archive; falling back to the current trixie $cur" >&2
			ver=$cur
			dir="$QCACHE/sources/${ver//:/_}"
		fi
	fi
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir"
		mkdir -p "$dir"
		echo "qemu: downloading source package qemu=$ver" >&2
		(cd "$dir" && apt-get source -qq --download-only "qemu=$ver") >&2 ||
			qdie "apt-get source qemu=$ver failed"
		touch "$dir/.complete"
	fi
	echo "$ver"
}

# Print the path of the cached git repository holding the unpacked source with
# Debian's patches applied (one commit, tag debian-base); create it if needed.
qemu_base_repo() {
	local ver=$1 dir repo dsc tmp
	dir="$QCACHE/sources/${ver//:/_}"
	repo="$QCACHE/base/${ver//:/_}"
	if [ ! -f "$repo/.complete" ]; then
		rm -rf "$repo"
		mkdir -p "$QCACHE/base"
		dsc=$(ls "$dir"/*.dsc)
		tmp="$repo.tmp"
		rm -rf "$tmp"
		echo "qemu: unpacking $(basename "$dsc") with Debian's patches (dpkg-source -x)" >&2
		dpkg-source -q -x "$dsc" "$tmp" >&2 || qdie "dpkg-source -x $dsc failed"
		(
			cd "$tmp"
			git init -q
			git config user.name "svsm-stack qemu pipeline"
			git config user.email "qemu-pipeline@svsm-stack.invalid"
			git config core.autocrlf false
			# Debian's quilt state is not part of the tree we patch.
			rm -rf .pc
			git add -A -f .
			git commit -q -m "Debian qemu $ver (debian/patches applied)"
			git tag debian-base
		) >&2 || qdie "creating the base git repository failed"
		mv "$tmp" "$repo"
		touch "$repo/.complete"
	fi
	echo "$repo"
}

# Reset the tree in $1 to debian-base and apply the series with `git am`.
# Fails naming the first patch that does not apply.
apply_series() {
	local tree=$1 p n=0
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	git -C "$tree" reset -q --hard debian-base
	git -C "$tree" clean -q -fdx -e /build
	while read -r p; do
		[ -f "$PATCHDIR/$p" ] || qdie "series names $p, which does not exist"
		if ! git -C "$tree" -c user.name=pipeline -c user.email=pipeline@invalid \
			am -q --committer-date-is-author-date "$PATCHDIR/$p" >&2; then
			git -C "$tree" am --abort >/dev/null 2>&1 || true
			qdie "patch $p does not apply cleanly"
		fi
		n=$((n + 1))
	done < <(series_patches)
	qsay "applied $n patch(es) on debian-base" >&2
}
