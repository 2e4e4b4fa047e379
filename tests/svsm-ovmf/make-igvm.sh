#!/usr/bin/env bash
# make-igvm.sh OVMF.fd OUT.igvm: one IGVM file with our SVSM at VMPL0 and OVMF as the guest
# firmware at VMPL2 (docs/svsm.md "OVMF at VMPL2"). The page at SVSM_GUEST_LOAD_PA holds
# struct svsm_fw_desc (include/svsm/guest-launch.h) built from OVMF's SEV metadata: firmware
# base (4 GiB - image size), its SNP_SECRETS section (type 2) and SVSM_CAA section (type 4).
# The SVSM is placed at SVSM_OVMF_LOAD (0x7f000000), outside the guest's RAM: OVMF 2025.02
# validates every E820 RAM page below 4 GiB and does not exclude the secrets page's SVSM
# range, so the SVSM must not be RAM in QEMU's E820 (docs/svsm.md). That needs -m 1G or
# less on q35 (RAM below 4 GiB ends at 1 GiB; OVMF's 32-bit PCI window starts at 2 GiB).
# The image then needs ESP = base + 12 for its first call (igvmtool --rsp, head.S).
# SVSM_OVMF_LOAD moves the SVSM (tests: inside RAM, to show why it is not there).
# Needs build/svsm/svsm-region.bin, svsm.elf and igvmtool (make svsm).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ovmf=$1 out=$2
build=${BUILD:-$top/build}
load=${SVSM_OVMF_LOAD:-0x7f000000}
desc=$(mktemp)
trap 'rm -f "$desc"' EXIT
# OVMF's SEV metadata: the "ASEV" table (u32 signature, length, version, count, then
# {u32 base, u32 size, u32 type} per section), found through the GUIDed table at the
# image's end; the last "ASEV" in the image is that table.
# SVSM_OVMF_DESC_FW_BASE overrides the descriptor's firmware base (tests: a hostile value).
python3 - "$ovmf" "$desc" "${SVSM_OVMF_DESC_FW_BASE:-}" <<'PY'
import struct, sys
img = open(sys.argv[1], 'rb').read()
i = img.rfind(b'ASEV')
if i < 0:
    sys.exit('make-igvm: no SEV metadata in ' + sys.argv[1])
_, _, _, n = struct.unpack_from('<4sIII', img, i)
sec = {}
for k in range(n):
    base, size, typ = struct.unpack_from('<III', img, i + 16 + 12 * k)
    sec.setdefault(typ, base)
if 2 not in sec or 4 not in sec:
    sys.exit('make-igvm: OVMF lacks a secrets or SVSM calling-area section')
base = int(sys.argv[3], 0) if sys.argv[3] else (1 << 32) - len(img)
page = struct.pack('<IIII', 0x57465653, base, sec[2], sec[4])
open(sys.argv[2], 'wb').write(page + bytes(4096 - len(page)))
PY
entry=$((load + 0x$(nm "$build/svsm/svsm.elf" | awk '$3 == "svsm_entry_snp32" {print $1}') - 0xffffffff80000000))
"$build/vmm-tools/igvm/igvmtool" build -o "$out" --svsm "$build/svsm/svsm-region.bin" \
	--svsm-addr "$load" --entry "$entry" --rsp $((load + 12)) --secrets-addr $((load - 0x4000)) \
	--cpuid-addr $((load - 0x3000)) --param-addr $((load - 0x2000)) \
	--payload "$desc" --payload-addr 0x2000000 --ovmf "$ovmf"
