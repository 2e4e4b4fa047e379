#!/usr/bin/env bash
# Build the snp-guest test guest (a 32-bit Multiboot 1 ELF) into OUTDIR.
#   tests/snp-guest/build.sh OUTDIR      -> OUTDIR/snp-guest.elf
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUTDIR}
mkdir -p "$out"
cc=${CC:-gcc}
# Freestanding: only the compiler's own headers and our include/ (docs/build.md).
cflags=(-std=gnu11 -Wall -Wextra -Werror -O2 -m32 -ffreestanding -fno-builtin -nostdinc
	-isystem "$("$cc" -print-file-name=include)" -I"$top/include"
	-fno-pic -fno-pie -fno-stack-protector -mno-sse -mno-mmx -mno-80387 -mgeneral-regs-only)
# Every *.c and *.S here, linked in name order: a test file's number prefix
# sets when its SNP_GUEST_TEST()s run (guest.c walks the registry in link order).
objs=("$out/entry.o")
"$cc" "${cflags[@]}" -D__ASSEMBLER__ -c "$here/entry.S" -o "$out/entry.o"
for f in "$here"/*.c "$here"/*.S; do
	name=$(basename "$f")
	[ "$name" != entry.S ] || continue
	obj="$out/${name%.*}.$( [ "${name##*.}" = S ] && echo s || echo c).o"
	case $name in
	*.S) "$cc" "${cflags[@]}" -D__ASSEMBLER__ -c "$f" -o "$obj" ;;
	*) "$cc" "${cflags[@]}" -c "$f" -o "$obj" ;;
	esac
	objs+=("$obj")
done
ld -m elf_i386 -nostdlib --no-warn-rwx-segments -T "$here/guest.ld" -o "$out/snp-guest.elf" "${objs[@]}"
