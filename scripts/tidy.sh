#!/usr/bin/env bash
# clang-tidy over a list of files, in parallel, with a result cache.
#
# Usage: scripts/tidy.sh LABEL "FLAGS" FILE...
#
# A file that passed once is not checked again while its preprocessed text, the
# flags, .clang-tidy and the clang-tidy version stay the same (the preprocessed
# text covers every header it includes). Cache: ~/.cache/svsm-stack/tidy/.
set -uo pipefail
label=$1 flags=$2; shift 2
[ $# -gt 0 ] || exit 0
top=$(cd "$(dirname "$0")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/svsm-stack/tidy"
mkdir -p "$cache"
salt=$( { clang-tidy --version; cat "$top/.clang-tidy"; echo "$flags"; } | sha256sum | cut -c1-64)
export flags cache salt

tidy_one() {
	local f=$1 key out
	# shellcheck disable=SC2086 # flags are a word list on purpose
	key=$( { echo "$salt"; clang -E $flags "$f" 2>&1; } | sha256sum | cut -c1-64)
	[ -e "$cache/$key" ] && return 0
	# shellcheck disable=SC2086
	if out=$(clang-tidy --quiet "$f" -- $flags 2>&1); then
		touch "$cache/$key"
	else
		printf 'clang-tidy: %s\n%s\n' "$f" "$out"
		return 1
	fi
}
export -f tidy_one
printf '%s\n' "$@" | sort -u | xargs -P "$(nproc)" -I{} bash -c 'tidy_one "$1"' _ {}
rc=$?
[ $rc -eq 0 ] && echo "clang-tidy ($label): $# files clean" || echo "clang-tidy ($label): failures above"
exit $rc
