#!/usr/bin/env bash
# timeout: 900
# Emulated SEV-SNP platform (docs/snp-emulation.md): the pure-C RMP / PVALIDATE /
# RMPADJUST model extracted from our QEMU patches, its host unit tests (plain and
# ASan+UBSan), format and cppcheck on it, and whether our patches apply on top of
# the pipeline's series.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out="$BUILD/snp-emu/suite"
src="$out/src"
sys="$src/target/i386/tcg/system"
tests_dir="$TOP/qemu-patches/snp-emu/tests"
mkdir -p "$out"

if ! qemu-patches/snp-emu/extract-sources.sh "$src"; then
	not_ok "extract the SNP model sources from qemu-patches/01NN-*.patch"
	exit 0
fi
ok "extract the SNP model sources from qemu-patches/01NN-*.patch"

model=("$sys"/snp-*.c "$sys"/snp-*.h)
check "clang-format clean: SNP model and its tests" \
	clang-format --style="file:$TOP/.clang-format" --dry-run -Werror "${model[@]}" "$tests_dir"/*.c
check "cppcheck clean: SNP model and its tests" \
	cppcheck --quiet --error-exitcode=1 --std=c11 --inline-suppr \
	--enable=warning,performance,portability --suppress=missingIncludeSystem \
	-I include -I "$sys" "$sys" "$tests_dir"

cflags=(-std=gnu11 -Wall -Wextra -Werror -O2 -g -I"$TOP/include" -I"$sys")
asan=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1)
build_and_run() { # NAME SRC...
	local name=$1
	shift
	if gcc "${cflags[@]}" -o "$out/$name" "$@" -lcmocka; then
		run_cmocka "$out/$name" "$name"
	else
		not_ok "$name: builds"
	fi
	if gcc "${cflags[@]}" "${asan[@]}" -o "$out/$name-asan" "$@" -lcmocka; then
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			run_cmocka "$out/$name-asan" "$name-asan"
	else
		not_ok "$name-asan: builds"
	fi
}
build_and_run snp_rmp "$tests_dir/test-snp-rmp.c" "$sys/snp-rmp.c"
build_and_run snp_instr "$tests_dir/test-snp-instr.c" "$sys/snp-instr.c" "$sys/snp-rmp.c"

# Our patches must apply, in order, on top of the pipeline's whole series.
base=$(ls -d "$CACHE"/qemu/base/*/ 2>/dev/null | sort | tail -n 1)
if [ -z "$base" ] || [ ! -f "$base/.complete" ]; then
	not_ok "our QEMU patches apply on the series (no cached qemu base tree: run 'make qemu')"
	exit 0
fi
tree="$out/apply"
rm -rf "$tree"
git clone -q --shared "$base" "$tree" && git -C "$tree" checkout -q debian-base
applied=1
while read -r p; do
	git -C "$tree" am -q --keep-cr "$TOP/qemu-patches/$p" >/dev/null 2>&1 || {
		applied=0
		git -C "$tree" am --abort >/dev/null 2>&1
		not_ok "pipeline series applies ($p)"
		break
	}
done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' qemu-patches/series | grep -v '^$')
if [ $applied -eq 1 ]; then
	for p in qemu-patches/01[0-9][0-9]-*.patch; do
		if grep -qxF "$(basename "$p")" qemu-patches/series; then
			continue # already applied as part of the series
		fi
		check "our patch applies on the series: $(basename "$p")" \
			git -C "$tree" am -q --keep-cr "$TOP/$p"
	done
fi
rm -rf "$tree"
