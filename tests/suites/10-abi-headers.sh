#!/usr/bin/env bash
# timeout: 600
# ABI headers: every header under include/ (found at run time, so headers other
# components add later are covered too) must compile alone in one translation
# unit, included twice (include guard), with gcc and clang, hosted -std=c11 and
# -std=gnu11, and freestanding (-ffreestanding -nostdinc: only the compiler's
# own headers reachable). One line per header per mode.
#
# A header that is host-only by nature (e.g. it wraps Linux uapi ioctls) says so
# with a comment containing "abi-headers: hosted-only". In freestanding modes it
# is then checked for what matters instead: no freestanding source (svsm/)
# includes it.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

mapfile -t headers < <(find include -name '*.h' -not -path '*/tests/*' | LC_ALL=C sort)
if [ ${#headers[@]} -eq 0 ]; then
	not_ok "abi headers: no header found under include/"
	exit 0
fi

warn=(-Wall -Wextra -Werror -Iinclude)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for cc in gcc clang; do
	if ! command -v "$cc" >/dev/null; then
		not_ok "abi headers: compiler $cc not installed"
		continue
	fi
	gccinc=$(gcc -print-file-name=include)
	for mode in c11 gnu11 freestanding-c11 freestanding-gnu11; do
		case $mode in
		c11 | gnu11) flags=(-std="$mode") ;;
		freestanding-*) flags=(-std="${mode#freestanding-}" -ffreestanding -fno-builtin -nostdinc -isystem "$gccinc") ;;
		esac
		for h in "${headers[@]}"; do
			rel=${h#include/}
			if [[ $mode == freestanding-* ]] && grep -q 'abi-headers: hosted-only' "$h"; then
				users=$(grep -rlE --include='*.[chS]' "#[[:space:]]*include[[:space:]]*[<\"]$rel[>\"]" svsm 2>/dev/null)
				if [ -z "$users" ]; then
					ok "abi header $rel [$cc $mode] hosted-only, not included by freestanding code"
				else
					echo "$users"
					not_ok "abi header $rel [$cc $mode] hosted-only but included by freestanding code"
				fi
				continue
			fi
			src="$tmp/tu.c"
			printf '#include "%s"\n#include "%s"\n' "$rel" "$rel" >"$src"
			if "$cc" "${flags[@]}" "${warn[@]}" -c -o "$tmp/tu.o" "$src" 2>"$tmp/err"; then
				ok "abi header $rel [$cc $mode]"
			else
				cat "$tmp/err"
				not_ok "abi header $rel [$cc $mode]"
			fi
		done
	done
done
