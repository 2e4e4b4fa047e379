#!/usr/bin/env bash
# timeout: 900
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
dirs=()
for d in include svsm vmm-tools upm tests; do
	[ -n "$(find "$d" -name '*.c' -o -name '*.h' 2>/dev/null | grep -v /fixtures/ | head -1)" ] && dirs+=("$d")
done
if [ ${#dirs[@]} -eq 0 ]; then not_ok "cppcheck: no C sources found"; exit 0; fi
check "cppcheck (${dirs[*]})" cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,performance,portability --suppress=missingIncludeSystem \
	-i build -I include -j "$(nproc)" "${dirs[@]}"
