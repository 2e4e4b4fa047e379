#!/usr/bin/env bash
# timeout: 600
# `make svsm-igvm`: the SEV-SNP IGVM image of the SVSM, checked with `igvmtool dump` and
# `igvmtool measure` (it cannot be launched here: no SNP hardware, emulated SNP not ready).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
mkdir -p "$BUILD/test-logs"
log=$BUILD/test-logs/svsm-igvm-build.log
img=$BUILD/svsm/svsm.igvm
tool=$BUILD/vmm-tools/igvm/igvmtool
if ! make --no-print-directory -s svsm-igvm >"$log" 2>&1; then
	cat "$log"
	not_ok "svsm-igvm: make svsm-igvm"
	exit 0
fi
ok "svsm-igvm: make svsm-igvm builds $img"
dump=$("$tool" dump "$img" 2>&1)
check "svsm-igvm: dump parses the file (checksum, layout rules)" test -n "$dump"
check "svsm-igvm: SEV-SNP platform" grep -q 'SUPPORTED_PLATFORM .*platform=SEV_SNP' <<<"$dump"
n=$(grep -c -E 'PAGE_DATA +gpa=0x1[0-7][0-9a-f]{5} .*data_type=NORMAL' <<<"$dump")
check "svsm-igvm: the whole 8 MiB SVSM region is launch data ($n pages)" test "$n" -eq 2048
check "svsm-igvm: secrets page below the region" \
	grep -q 'PAGE_DATA *gpa=0xffc000 .*data_type=SECRETS' <<<"$dump"
check "svsm-igvm: CPUID page below the region" \
	grep -q 'PAGE_DATA *gpa=0xffd000 .*data_type=CPUID_DATA' <<<"$dump"
check "svsm-igvm: VP count parameter page" grep -q 'PARAMETER_INSERT *gpa=0xffe000 ' <<<"$dump"
check "svsm-igvm: memory map parameter page" grep -q 'PARAMETER_INSERT *gpa=0xfff000 ' <<<"$dump"
# The layout the SVSM expects (svsm/inc/svsmk/layout.h) is the one the image has.
layout=svsm/inc/svsmk/layout.h
for kv in PAGES_SIZE:0x4000 SECRETS:0x0000 CPUID:0x1000 PARAM0:0x2000 MEMMAP:0x3000; do
	check "svsm-igvm: layout.h SNP_BOOT_${kv%%:*} = ${kv#*:} (as the image is built)" \
		grep -q -E "^#define SNP_BOOT_${kv%%:*}[[:space:]]+${kv#*:}" "$layout"
done
check "svsm-igvm: image placed at SVSM_DEFAULT_LOAD_PA (the SNP entry relies on it)" \
	grep -q -E '^#define SVSM_DEFAULT_LOAD_PA[[:space:]]+0x1000000$' "$layout"
# The VMSA starts at svsm_entry_snp32 (physical): read RIP (VMSA offset 178h) from the file.
vpoff=$(sed -n -E 's/.*VP_CONTEXT .*file_offset=(0x[0-9a-f]+).*/\1/p' <<<"$dump")
rip=$(od -An -tx8 -j $((vpoff + 0x178)) -N8 "$img" | tr -d ' ')
sym=$(nm "$BUILD/svsm/svsm.elf" | awk '$3 == "svsm_entry_snp32" {print $1}')
want=$(printf '%016x' $((0x1000000 + 0x$sym - 0xffffffff80000000)))
check "svsm-igvm: VMSA RIP $rip = svsm_entry_snp32 at the load address ($want)" test "$rip" = "$want"
# The first image page in the file is the SVSM binary's first page.
off=$(sed -n -E 's/.*PAGE_DATA +gpa=0x1000000 .*file_offset=(0x[0-9a-f]+).*/\1/p' <<<"$dump")
check "svsm-igvm: page at 0x1000000 holds the SVSM image" \
	cmp -s <(dd if="$img" bs=1 skip=$((off)) count=4096 2>/dev/null) \
	<(head -c 4096 "$BUILD/svsm/svsm.bin")
d1=$("$tool" measure "$img" 2>&1)
check "svsm-igvm: measure gives a SHA-384 launch digest" grep -q -E '^[0-9a-f]{96}$' <<<"$d1"
cp "$img" "$BUILD/svsm/svsm-copy.igvm"
d2=$("$tool" measure "$BUILD/svsm/svsm-copy.igvm" 2>&1)
check "svsm-igvm: digest is a function of the file (same file, same digest)" test "$d1" = "$d2"
# A one-byte change in the SVSM image changes the launch digest.
cp "$BUILD/svsm/svsm-region.bin" "$BUILD/svsm/svsm-region-mod.bin"
printf '\x90' | dd of="$BUILD/svsm/svsm-region-mod.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
"$tool" build -o "$BUILD/svsm/svsm-mod.igvm" --svsm "$BUILD/svsm/svsm-region-mod.bin" \
	--svsm-addr 0x1000000 --entry 0x$want --secrets-addr 0xffc000 --cpuid-addr 0xffd000 \
	--param-addr 0xffe000 >/dev/null 2>&1
d3=$("$tool" measure "$BUILD/svsm/svsm-mod.igvm" 2>&1)
check "svsm-igvm: a changed SVSM byte changes the digest" \
	bash -c "[[ '$d3' =~ ^[0-9a-f]{96}$ && '$d3' != '$d1' ]]"
