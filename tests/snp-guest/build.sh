#!/usr/bin/env bash
# Build the snp-guest test guest (a 32-bit Multiboot 1 ELF) into OUTDIR.
#   tests/snp-guest/build.sh OUTDIR      -> OUTDIR/snp-guest.elf, OUTDIR/snp-guest.igvm
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

# The same guest as an SEV-SNP IGVM file (docs/igvm.md, igvmtool build): the
# ELF's segments as measured pages, a command-line page, the secrets and CPUID
# pages and parameter pages where igvm-layout.h says, and a VMSA that starts
# the BSP in 32-bit protected mode at _start. QEMU launches it with
# -machine igvm-cfg; the guest then reads its settings from the command-line
# page (SNP_GUEST_CBITPOS / SNP_GUEST_REDUCED, default 47 / 1).
igvmtool=${IGVMTOOL:-$top/build/vmm-tools/igvm/igvmtool}
if [ ! -x "$igvmtool" ]; then
	echo "build.sh: $igvmtool not built (make all): $out/snp-guest.igvm not made" >&2
	exit 0
fi
layout() { # NAME -> its value in igvm-layout.h
	"$cc" -E -dM -x c "$here/igvm-layout.h" | awk -v n="$1" '$2 == n { print $3 }'
}
objcopy -O elf64-x86-64 "$out/snp-guest.elf" "$out/snp-guest64.elf"
# SNP_GUEST_IGVM_ARGS: more words for the command-line page (e.g. a benchmark
# or single-purpose run: "bench only=bench_workload").
printf 'cbitpos=%s reduced=%s igvm%s\0' "${SNP_GUEST_CBITPOS:-47}" "${SNP_GUEST_REDUCED:-1}" \
	"${SNP_GUEST_IGVM_ARGS:+ $SNP_GUEST_IGVM_ARGS}" >"$out/igvm-cmdline.bin"
"$igvmtool" build -o "$out/snp-guest.igvm" --svsm "$out/snp-guest64.elf" \
	--payload "$out/igvm-cmdline.bin" --payload-addr "$(layout SNP_GUEST_IGVM_CMDLINE_GPA)" \
	--secrets-addr "$(layout SNP_GUEST_IGVM_SECRETS_GPA)" \
	--cpuid-addr "$(layout SNP_GUEST_IGVM_CPUID_GPA)" \
	--param-addr "$(layout SNP_GUEST_IGVM_PARAM_GPA)"
