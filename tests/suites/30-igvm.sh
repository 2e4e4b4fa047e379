#!/usr/bin/env bash
# timeout: 600
# IGVM library and igvmtool: parsing, validation errors, dump, round trips, and SNP
# launch digests checked against values derived here, independently of the code under
# test: PAGE_INFO byte strings are assembled by vmm-tools/igvm/tests/mkigvm.py (written
# from the IGVM spec and SNP ABI 56860) and hashed with `openssl dgst -sha384`.
source "$TOP/tests/lib.sh"
set -u
T="$BUILD/vmm-tools/igvm/igvmtool"
GEN="python3 $TOP/vmm-tools/igvm/tests/mkigvm.py"
W=$(mktemp -d "${TMPDIR:-/tmp}/igvm-test.XXXXXX")
trap 'rm -rf "$W"' EXIT

make -C "$TOP" --no-print-directory -s igvm-lib "$T" >"$W/make.log" 2>&1 || {
	cat "$W/make.log"; not_ok "build libcigvm and igvmtool"; exit 0; }
ok "build libcigvm and igvmtool"

sha384() { openssl dgst -sha384 -r "$1" | cut -d' ' -f1; }
ZERO48=$(printf '0%.0s' $(seq 96))
zero_page() { head -c 4096 /dev/zero >"$W/zero.page"; echo "$W/zero.page"; }

# ld_step DIGEST TYPE GPA [CONTENT_FILE]: one PAGE_INFO extension; prints the new digest.
# NORMAL (1) and VMSA (2) pages carry SHA-384(page) as CONTENTS, other types zero.
ld_step() {
	local d=$1 t=$2 g=$3 c=$ZERO48
	[ $# -ge 4 ] && c=$(sha384 "$4")
	$GEN pageinfo "$W/pi" "$d" "$c" "$t" "$g" && sha384 "$W/pi"
}

# ---------------------------------------------------------------- parsing
$GEN image good "$W/good.igvm"
check "dump accepts a valid image" "$T" dump "$W/good.igvm"
"$T" dump --json "$W/good.igvm" >"$W/good.json"
check "dump --json lists 11 headers" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["header_count"]==11 and d["headers"][10]["type"]=="VP_CONTEXT" and d["headers"][10]["gpa"]=="0xfffffffff000" else 1)' "$W/good.json"
$GEN image ignorable "$W/ign.igvm"
check "unknown header with the ignorable bit is accepted" "$T" dump "$W/ign.igvm"

# malformed VARIANT EXPECTED_WORD: non-zero exit, clear message, no crash (exit < 128).
malformed() {
	local v=$1 word=$2 rc
	$GEN image "$v" "$W/$v.igvm"
	"$T" dump "$W/$v.igvm" >"$W/$v.out" 2>"$W/$v.err"; rc=$?
	if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -qi -- "$word" "$W/$v.err" && [ ! -s "$W/$v.out" ]; then
		ok "malformed ($v): rejected with '$word'"
	else
		not_ok "malformed ($v): rc=$rc err=$(cat "$W/$v.err")"
	fi
}
malformed truncated truncated
malformed badsum checksum
malformed badmagic magic
malformed overlap "both import guest page 0x1000"
malformed misaligned "not aligned"
malformed badmask "compatibility mask"
malformed order order
malformed hugevh "64 MiB"
malformed unknown "not marked ignorable"
head -c 10 "$W/good.igvm" >"$W/tiny.igvm"
"$T" dump "$W/tiny.igvm" 2>"$W/tiny.err" >/dev/null
check "10-byte file: truncated error" grep -q "shorter than the 24-byte fixed header" "$W/tiny.err"

# ---------------------------------------------------------------- IGVM launch digest
# Expected chain for the good image (file order, VMSA last as KVM measures it):
#   0x1000 NORMAL SHA384(4096 x 'A') | 0x2000 NORMAL SHA384(zero page) (QEMU loads
#   file_offset-0 pages as normal zero pages) | 0x3000 SECRETS | 0x4000 CPUID |
#   0x5000 UNMEASURED (flag) | 0x6000 UNMEASURED (parameter insert) |
#   0xfffffffff000 VMSA SHA384(vmsa page: bytes i % 251).
$GEN blob page-a "$W/page-a"; $GEN blob vmsa "$W/vmsa"
Z=$(zero_page)
d=$(ld_step "$ZERO48" 1 0x1000 "$W/page-a")
d=$(ld_step "$d" 1 0x2000 "$Z"); dn=$(ld_step "$(ld_step "$ZERO48" 1 0x1000 "$W/page-a")" 3 0x2000)
for step in "5 0x3000" "6 0x4000" "4 0x5000" "4 0x6000"; do
	d=$(ld_step "$d" $step); dn=$(ld_step "$dn" $step)
done
d=$(ld_step "$d" 2 0xfffffffff000 "$W/vmsa"); dn=$(ld_step "$dn" 2 0xfffffffff000 "$W/vmsa")
got=$("$T" measure "$W/good.igvm")
check "measure IGVM: digest equals the openssl-derived PAGE_INFO chain" test "$got" = "$d"
got=$("$T" measure --native-zero "$W/good.igvm")
check "measure IGVM --native-zero: zero page measured as PAGE_TYPE_ZERO" test "$got" = "$dn"
# --vcpus 2: vCPU 1 has no VP context in the file, so KVM measures the reset-state VMSA
# QEMU gives it (reset vector 0xfffffff0; the BSP page of the OVMF model below).
$GEN vmsa "$W/bsp" 0xfffffff0 0xa00f11 0x1
d2=$(ld_step "$d" 2 0xfffffffff000 "$W/bsp")
got=$("$T" measure --vcpus 2 --vcpu-sig 0xa00f11 "$W/good.igvm")
check "measure IGVM --vcpus 2: second vCPU measured with the reset-state VMSA" test "$got" = "$d2"
n=$("$T" measure --verbose --json "$W/good.igvm" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["pages"]))')
check "measure --verbose lists 7 page contributions" test "$n" = 7

# ---------------------------------------------------------------- QEMU + OVMF digest
# Synthetic 2-page OVMF (mkigvm.py ovmf): pages at 4 GiB - 8 KiB, then its metadata
# sections in table order (SEC_MEM 2 pages ZERO, SECRETS, CPUID, SVSM_CAA -> ZERO,
# KERNEL_HASHES -> ZERO without kernel hashes), then one VMSA per vCPU (BSP eip
# 0xfffffff0, AP eip from the SEV-ES reset block) at the KVM VMSA GPA.
$GEN ovmf "$W/ovmf.fd"
head -c 4096 "$W/ovmf.fd" >"$W/ovmf.p0"; tail -c 4096 "$W/ovmf.fd" >"$W/ovmf.p1"
$GEN vmsa "$W/bsp" 0xfffffff0 0xa00f11 0x1
$GEN vmsa "$W/ap" 0xfffff123 0xa00f11 0x1
o=$(ld_step "$ZERO48" 1 0xffffe000 "$W/ovmf.p0"); o=$(ld_step "$o" 1 0xfffff000 "$W/ovmf.p1")
for step in "3 0x800000" "3 0x801000" "5 0x802000" "6 0x803000" "3 0x804000"; do
	o=$(ld_step "$o" $step)
done
base=$o
o=$(ld_step "$o" 3 0x805000)
o=$(ld_step "$o" 2 0xfffffffff000 "$W/bsp"); o=$(ld_step "$o" 2 0xfffffffff000 "$W/ap")
got=$("$T" measure --ovmf "$W/ovmf.fd" --vcpus 2 --vcpu-sig 0xa00f11)
check "measure QEMU+OVMF (2 vCPUs): digest equals the derived chain" test "$got" = "$o"
got=$("$T" measure --ovmf "$W/ovmf.fd" --vcpus 2 --vcpu-family 25 --vcpu-model 1 --vcpu-stepping 1)
# Family 25 (0x19) = base 0xf + extended 0xa, model 1, stepping 1 -> 0x00a00f11.
check "vCPU signature from family/model/stepping (0xa00f11)" test "$got" = "$o"
# QEMU's EPYC-Milan model is family 25, model 1, stepping 1: the same signature.
got=$("$T" measure --ovmf "$W/ovmf.fd" --vcpus 2 --vcpu-type EPYC-Milan-v2)
check "vCPU signature from --vcpu-type EPYC-Milan-v2" test "$got" = "$o"
# Kernel hashes: the hashes section page holds the SEV hash table (SHA-256 of cmdline
# with NUL, initrd, kernel) at offset 0xc00 and is measured as a NORMAL page.
head -c 5000 /dev/urandom >"$W/kernel"; head -c 3000 /dev/urandom >"$W/initrd"
printf 'console=ttyS0\0' >"$W/cmdline"
sha256() { openssl dgst -sha256 -r "$1" | cut -d' ' -f1; }
$GEN hashpage "$W/hpage" "$(sha256 "$W/cmdline")" "$(sha256 "$W/initrd")" "$(sha256 "$W/kernel")"
k=$(ld_step "$base" 1 0x805000 "$W/hpage"); k=$(ld_step "$k" 2 0xfffffffff000 "$W/bsp")
got=$("$T" measure --ovmf "$W/ovmf.fd" --vcpu-sig 0xa00f11 --kernel "$W/kernel" --initrd "$W/initrd" --append console=ttyS0)
check "measure QEMU+OVMF with kernel hashes: digest equals the derived chain" test "$got" = "$k"

# Real OVMF (Debian trixie 2025.02, SNP metadata with an SVSM CAA section).
OVMF_DIR="$BUILD/vmm-tools/igvm/ovmf"
if [ ! -f "$OVMF_DIR/x/usr/share/ovmf/OVMF.fd" ]; then
	mkdir -p "$OVMF_DIR"
	(cd "$OVMF_DIR" && apt-get download ovmf/trixie >/dev/null 2>&1 && dpkg-deb -x ovmf_*.deb x)
fi
REAL="$OVMF_DIR/x/usr/share/ovmf/OVMF.fd"
if [ -f "$REAL" ]; then
	# Expected digest: mkigvm.py walks the OVMF table and metadata itself and chains
	# PAGE_INFOs with Python's hashlib (no libcigvm involved).
	exp=$($GEN ovmf-digest "$REAL" 2 0xa00f11 0x1 2>"$W/real.sections")
	got=$("$T" measure --ovmf "$REAL" --vcpus 2 --vcpu-sig 0xa00f11)
	check "real OVMF (trixie 2025.02): digest equals the independently derived chain" \
		test "$got" = "$exp"
	check "real OVMF has an SVSM CAA metadata section (type 4), measured as ZERO" bash -c \
		"grep -q 'type=4' '$W/real.sections' && '$T' measure --ovmf '$REAL' --verbose | grep -q '^gpa 0x00000080f000 ZERO'"
else
	not_ok "real OVMF: could not download ovmf/trixie"
fi

# ---------------------------------------------------------------- build round trip
head -c 10000 /dev/urandom >"$W/svsm.bin"
check "build: flat SVSM + CPUID/secrets/parameter pages" "$T" build -o "$W/b.igvm" \
	--svsm "$W/svsm.bin" --svsm-addr 0x800000 --cpuid-addr 0x9f000 --secrets-addr 0x9e000 \
	--param-addr 0x9c000
"$T" dump --json "$W/b.igvm" >"$W/b.json"
check "build round trip: dump shows SVSM pages, VMSA at 0xfffffffff000, file data intact" \
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); img = open(sys.argv[2], "rb").read(); svsm = open(sys.argv[3], "rb").read()
pd = [h for h in d["headers"] if h["type"] == "PAGE_DATA" and h["data_type"] == "NORMAL"]
data = b"".join(img[int(h["file_offset"], 16):int(h["file_offset"], 16) + 4096] for h in pd)
vp = [h for h in d["headers"] if h["type"] == "VP_CONTEXT"]
sys.exit(0 if data[:len(svsm)] == svsm and vp[0]["gpa"] == "0xfffffffff000" and len(pd) == 3 else 1)' \
	"$W/b.json" "$W/b.igvm" "$W/svsm.bin"
cat >"$W/m.json" <<JSON
{"svsm": "$W/svsm.bin", "svsm_addr": "0x800000", "cpuid_addr": "0x9f000", "secrets_addr": "0x9e000", "param_addr": "0x9c000"}
JSON
"$T" build -o "$W/m.igvm" --manifest "$W/m.json"
check "build --manifest produces the same file as the flags" cmp -s "$W/m.igvm" "$W/b.igvm"
"$T" build -o "$W/ov.igvm" --svsm "$W/svsm.bin" --svsm-addr 0x800000 --ovmf "$W/ovmf.fd" 2>"$W/ov.err"
rc=$?
check "build: SVSM overlapping OVMF metadata pages is refused, no output left" \
	bash -c "[ $rc -ne 0 ] && grep -q overlap '$W/ov.err' && ! ls '$W'/ov.igvm* >/dev/null 2>&1"
check "build: SVSM at 0x1000000 with OVMF and its metadata pages" "$T" build -o "$W/ov.igvm" \
	--svsm "$W/svsm.bin" --svsm-addr 0x1000000 --ovmf "$W/ovmf.fd"

# ---------------------------------------------------------------- sign
# Keys made by openssl; the ID block signature is checked by `openssl dgst -verify`
# after turning the ABI's little-endian R/S (72 bytes each, ID auth offset 0x40) into
# DER, and QX/QY (offsets 0x244/0x28c) are compared with the key's public point.
openssl ecparam -name secp384r1 -genkey -noout -out "$W/id.pem" 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out "$W/author.pem" 2>/dev/null
openssl ec -in "$W/id.pem" -pubout -out "$W/id.pub" 2>/dev/null
openssl ec -in "$W/author.pem" -pubout -out "$W/author.pub" 2>/dev/null
openssl ec -in "$W/id.pem" -pubout -outform DER -out "$W/id.pub.der" 2>/dev/null
check "sign: ID block + auth (with author key) from an IGVM file, inserted into a copy" \
	"$T" sign --id-key "$W/id.pem" --author-key "$W/author.pem" --igvm "$W/good.igvm" \
	--family-id 00112233445566778899aabbccddeeff --svn 3 \
	--id-block-out "$W/blk.b64" --id-auth-out "$W/auth.b64" --insert "$W/signed.igvm"
base64 -d "$W/blk.b64" >"$W/blk.bin"; base64 -d "$W/auth.b64" >"$W/auth.bin"
der_sig() { # der_sig AUTH OFFSET OUT: ABI signature (LE r, s) -> DER ECDSA-Sig-Value
	python3 - "$@" <<'PY'
import sys
a = open(sys.argv[1], "rb").read(); o = int(sys.argv[2], 0)
def integer(le):
    b = int.from_bytes(le, "little").to_bytes(49, "big").lstrip(b"\0")
    if b[0] & 0x80: b = b"\0" + b
    return b"\x02" + bytes([len(b)]) + b
body = integer(a[o:o + 72]) + integer(a[o + 72:o + 144])
open(sys.argv[3], "wb").write(b"\x30" + bytes([len(body)]) + body)
PY
}
der_sig "$W/auth.bin" 0x40 "$W/idsig.der"
check "sign: ID block is 96 bytes with LD = measured digest, version 1, svn 3" python3 -c '
import sys, struct
b = open(sys.argv[1], "rb").read()
sys.exit(0 if len(b) == 96 and b[:48].hex() == sys.argv[2] and struct.unpack_from("<IIQ", b, 0x50) == (1, 3, 0x30000) and b[0x30:0x40].hex() == "00112233445566778899aabbccddeeff" else 1)' \
	"$W/blk.bin" "$d"
check "sign: ID block signature verifies with openssl (SHA-384, ID key)" \
	openssl dgst -sha384 -verify "$W/id.pub" -signature "$W/idsig.der" "$W/blk.bin"
check "sign: ID public key QX/QY match the key" python3 -c '
import sys
a = open(sys.argv[1], "rb").read(); der = open(sys.argv[2], "rb").read()
x, y = der[-96:-48], der[-48:]
sys.exit(0 if a[0x240:0x244] == b"\x02\0\0\0" and a[0x244:0x244 + 72] == x[::-1] + bytes(24) and a[0x28c:0x28c + 72] == y[::-1] + bytes(24) else 1)' \
	"$W/auth.bin" "$W/id.pub.der"
der_sig "$W/auth.bin" 0x680 "$W/aksig.der"
head -c $((0x240 + 1028)) "$W/auth.bin" | tail -c 1028 >"$W/idkey.bin"
check "sign: author key signature over the ID key structure verifies" \
	openssl dgst -sha384 -verify "$W/author.pub" -signature "$W/aksig.der" "$W/idkey.bin"
check "sign --insert: signed copy has an SNP_ID_BLOCK and the same launch digest" bash -c \
	"'$T' dump '$W/signed.igvm' | grep -q SNP_ID_BLOCK && [ \"\$('$T' measure '$W/signed.igvm')\" = '$d' ]"
openssl ecparam -name prime256v1 -genkey -noout -out "$W/p256.pem" 2>/dev/null
"$T" sign --id-key "$W/p256.pem" --ld "$d" --id-block-out "$W/x.b64" 2>"$W/p256.err"
check "sign: a P-256 key is refused, no output written" bash -c \
	"grep -q 'P-384' '$W/p256.err' && [ ! -e '$W/x.b64' ]"

# ---------------------------------------------------------------- linking (pkg-config)
cat >"$W/consumer.c" <<'C'
#include <cigvm.h>
#include <stdio.h>
int main(int argc, char **argv)
{
	struct cigvm_error err;
	cigvm_file *f;
	if (argc < 2 || cigvm_open(argv[1], 0, &f, &err)) return 1;
	printf("%zu\n", cigvm_header_count(f));
	cigvm_close(f);
	return 0;
}
C
in_tree() {
	PKG_CONFIG_PATH="$BUILD/vmm-tools/igvm/pkgconfig" sh -c \
		'cc -o "$1/c1" "$1/consumer.c" $(pkg-config --cflags --libs cigvm)' _ "$W" &&
		[ "$("$W/c1" "$W/good.igvm")" = 11 ] && ldd "$W/c1" | grep -q 'libcigvm.so.1 => /'
}
check "in-tree pkg-config: consumer links the shared library and runs" in_tree
installed() {
	make -C "$TOP" --no-print-directory -s install-igvm PREFIX="$W/prefix" >/dev/null &&
		PKG_CONFIG_PATH="$W/prefix/lib/pkgconfig" sh -c \
			'cc -o "$1/c2" "$1/consumer.c" $(pkg-config --cflags --libs cigvm)' _ "$W" &&
		[ "$(LD_LIBRARY_PATH="$W/prefix/lib" "$W/c2" "$W/good.igvm")" = 11 ] &&
		[ -f "$W/prefix/include/igvm/igvm-format.h" ] && [ -x "$W/prefix/bin/igvmtool" ] &&
		! nm -D --defined-only "$W/prefix/lib/libcigvm.so" | grep -v ' cigvm_' | grep -q ' T '
}
check "make install-igvm: lib, headers, .pc, tool; only cigvm_* exported" installed

# ---------------------------------------------------------------- build: ELF and VMSA
# ELF64 SVSM: one PT_LOAD at p_paddr 0x900000 (5000 bytes, memsz 9000) -> 3 pages, the
# last two partly/fully zero; RIP = e_entry. VMSA offsets from APM vol 2 Table B-4.
$GEN elf "$W/svsm.elf"
check "build: ELF64 SVSM image" "$T" build -o "$W/elf.igvm" --svsm "$W/svsm.elf"
"$T" dump --json "$W/elf.igvm" >"$W/elf.json"
check "build: ELF PT_LOAD placed at p_paddr, VMSA per KVM/QEMU rules" python3 -c '
import json, struct, sys
d = json.load(open(sys.argv[1])); img = open(sys.argv[2], "rb").read()
pd = [h for h in d["headers"] if h["type"] == "PAGE_DATA"]
gpas = [h["gpa"] for h in pd]
assert gpas == ["0x900000", "0x901000", "0x902000"], gpas
assert pd[2]["file_offset"] == "0x0"  # bytes 8192..8999 of the segment are zero
first = int(pd[0]["file_offset"], 16)
assert img[first:first + 4096] == b"\x5a" * 4096
vp = [h for h in d["headers"] if h["type"] == "VP_CONTEXT"][0]
assert vp["gpa"] == "0xfffffffff000"
v = img[int(vp["file_offset"], 16):][:4096]
q = lambda off: struct.unpack_from("<Q", v, off)[0]
assert q(0x178) == 0x900040, hex(q(0x178))          # RIP = e_entry
assert (q(0xd0), q(0x148), q(0x158)) == (0x1000, 0x40, 0x31)  # EFER.SVME, CR4.MCE, CR0
assert q(0x3b0) == 1 and q(0x3e8) == 1              # SEV_FEATURES = SNP_ACTIVE, XCR0
assert struct.unpack_from("<HHI", v, 0x10) == (8, 0xc9b, 0xffffffff)  # flat CS
# QEMU transfers only these fields to KVM; all other bytes must be zero.
allowed = [(0, 0xa0), (0xd0, 8), (0x148, 0x28), (0x170, 0x10), (0x1d8, 8), (0x1f8, 8),
           (0x268, 8), (0x308, 0x78), (0x3b0, 8), (0x3e8, 8), (0x408, 4), (0x410, 2)]
rest = bytearray(v)
for off, n in allowed:
    rest[off:off + n] = bytes(n)
assert not any(rest), "non-zero VMSA bytes outside the fields QEMU accepts"
' "$W/elf.json" "$W/elf.igvm"

# ---------------------------------------------------------------- format version 2
# Version 2 fixed header (32 bytes: + architecture u32, page_size u32); the CRC covers it.
check "build --format-version 2 and dump it back" bash -c \
	"'$T' build -o '$W/v2.igvm' --svsm '$W/svsm.elf' --format-version 2 &&
	 '$T' dump --json '$W/v2.igvm' | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d[\"format_version\"]==2 and d[\"page_size\"]==4096 and d[\"headers\"][0][\"offset\"]==\"0x20\" else 1)'"
check "version 2 header fields are where the spec puts them" python3 -c '
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
magic, ver, vho, vhs, total, crc, arch, page = struct.unpack_from("<8I", b)
fixed = bytearray(b[:32]); fixed[20:24] = bytes(4)
ok = (magic, ver, vho, arch, page) == (0x4D564749, 2, 32, 0, 4096) and total == len(b)
sys.exit(0 if ok and zlib.crc32(bytes(fixed) + b[vho:vho + vhs]) == crc else 1)' "$W/v2.igvm"
cp "$W/badsum.igvm" "$W/badsum2.igvm"
check "dump --no-checksum accepts a file whose only fault is its checksum" "$T" dump --no-checksum "$W/badsum2.igvm"

# ---------------------------------------------------------------- CLI behaviour
for c in build dump measure sign; do
	check "igvmtool $c --help exits 0 and prints usage" bash -c "'$T' $c --help | grep -q '^usage: igvmtool $c'"
done
"$T" frobnicate >/dev/null 2>&1; rc=$?
check "unknown subcommand exits 2" test "$rc" = 2
head -c 8192 /dev/urandom >"$W/garbage.fd"
"$T" build -o "$W/g.igvm" --svsm "$W/svsm.elf" --ovmf "$W/garbage.fd" 2>"$W/g.err"; rc=$?
check "build with a non-OVMF firmware fails clearly and writes nothing" bash -c \
	"[ $rc = 1 ] && grep -q 'OVMF' '$W/g.err' && ! ls '$W'/g.igvm* >/dev/null 2>&1"
"$T" measure --ovmf "$W/garbage.fd" 2>"$W/m.err"; rc=$?
check "measure of a non-OVMF firmware fails with a clear message" bash -c \
	"[ $rc = 1 ] && grep -q 'no OVMF GUIDed table footer' '$W/m.err'"
