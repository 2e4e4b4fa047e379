#!/usr/bin/env bash
# timeout: 600
# The set-up: idempotent, never upgrades the base system from trixie/sid,
# writes no archive host name into the repository.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out=$(scripts/deps.sh 2>&1); rc=$?
echo "$out"
check "deps.sh succeeds" test $rc -eq 0
# Right after a full run everything is present: a second run must install nothing.
out2=$(scripts/deps.sh 2>&1); rc2=$?
echo "$out2"
check "deps.sh is idempotent (second run installs nothing)" \
	bash -c "[ $rc2 -eq 0 ] && ! grep -q installing <<<\"\$1\"" _ "$out2"

# Base packages must stay bookworm's: the installed version may be one the archive
# no longer lists (point releases move on), but never a backport (~bpo) nor the
# version trixie or sid offers. (apt-get -t bookworm-backports once pulled
# systemd 254 in as a dependency of libvirt; deps.sh now selects per package.)
for p in libc6 libstdc++6 base-files systemd libsystemd0 libudev1 apt dpkg util-linux; do
	v=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null) || continue
	from=$(apt-cache madison "$p" | awk -F'|' -v v="$v" '{gsub(/ /,"",$2)} $2==v && $3 ~ /(trixie|sid)\// {print $3}')
	echo "$p $v; offered by trixie/sid at that version: ${from:-no}"
	check "base package $p ($v) not taken from trixie/sid/backports" \
		bash -c '[ -z "$1" ] && [[ "$2" != *bpo* ]]' _ "$from" "$v"
done
libc=$(dpkg-query -W -f='${Version}' libc6)
check "libc6 is bookworm's glibc 2.36 ($libc)" bash -c '[[ "$1" == 2.36-* ]]' _ "$libc"

pol=$(apt-cache policy)
check "trixie pinned below 100" bash -c 'grep -A1 -E "^ +50 .* trixie/main" <<<"$1" >/dev/null || grep -qE "^ +50 .*n=trixie" <<<"$1"' _ "$pol"
check "sid pinned below 100" bash -c 'grep -qE "^ +40 .*(n=sid|sid/main|unstable/main)" <<<"$1"' _ "$pol"

# No archive host name is written anywhere in the repository.
if git rev-parse --git-dir >/dev/null 2>&1; then
	hits=$(git ls-files -z | xargs -0 grep -lE '(deb|security|snapshot|ftp[0-9.a-z]*)\.debian\.org' 2>/dev/null | grep -v '^tests/suites/05-deps.sh$')
	echo "files naming an archive host: ${hits:-none}"
	check "no archive host name in the repository" test -z "$hits"
fi
