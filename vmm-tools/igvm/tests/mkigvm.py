#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent IGVM/PAGE_INFO byte builder for the igvm test suite.

Written from the IGVM format specification (microsoft/igvm igvm_defs) and the SNP
firmware ABI 56860 PAGE_INFO layout, without using libcigvm, so that tests compare the
library against a second reading of the specs.

  mkigvm.py image VARIANT OUT      write a small SNP IGVM file (VARIANT below)
  mkigvm.py pageinfo OUT DIGEST_HEX CONTENTS_HEX TYPE GPA
                                   write one 0x70-byte PAGE_INFO
"""
import struct
import sys
import zlib

PAGE = 4096
MAGIC = 0x4D564749  # "IGVM"
T_PLATFORM, T_POLICY = 0x001, 0x101
T_PARAM_AREA, T_PAGE_DATA, T_PARAM_INSERT, T_VP_CONTEXT = 0x301, 0x302, 0x303, 0x304
T_VP_COUNT = 0x307
VMSA_GPA = 0xFFFFFFFFF000

# File data of the "good" image (what each page holds), also used by the suite's
# golden-digest derivation: page A = 4096 x 0x41, VMSA page = bytes i % 251.
PAGE_A = b"A" * PAGE
VMSA = bytes(i % 251 for i in range(PAGE))


def tlv(typ, body):
    pad = (-len(body)) % 8
    return struct.pack("<II", typ, len(body)) + body + b"\0" * pad


def image(variant):
    data = []  # (placeholder key, bytes)
    hdrs = []

    def page_data(gpa, flags, dtype, blob, mask=1):
        hdrs.append(("pd", gpa, mask, flags, dtype, blob))

    hdrs.append(("raw", tlv(T_PLATFORM, struct.pack("<IBBHQ", 1, 0, 2, 1, 0))))
    hdrs.append(("raw", tlv(T_POLICY, struct.pack("<QII", 0x30000, 1, 0))))
    page_data(0x1000, 0, 0, PAGE_A)            # normal page with data
    page_data(0x2000, 0, 0, None)              # zero page (file_offset 0)
    page_data(0x3000, 0, 1, None)              # secrets
    page_data(0x4000, 0, 2, None)              # CPUID
    page_data(0x5000, 2, 0, None)              # unmeasured flag
    hdrs.append(("raw", tlv(T_PARAM_AREA, struct.pack("<QII", PAGE, 0, 0))))
    hdrs.append(("raw", tlv(T_VP_COUNT, struct.pack("<II", 0, 0))))
    hdrs.append(("raw", tlv(T_PARAM_INSERT, struct.pack("<QII", 0x6000, 1, 0))))
    hdrs.append(("vp", VMSA_GPA, 1, 0, VMSA))
    if variant == "ignorable":
        hdrs.append(("raw", tlv(0x80000000 | 0x3FF, b"12345")))
    if variant == "unknown":
        hdrs.append(("raw", tlv(0x3FF, b"12345")))
    if variant == "overlap":
        page_data(0x1000, 0, 0, None)
    if variant == "misaligned":
        page_data(0x7001, 0, 0, None)
    if variant == "badmask":
        page_data(0x8000, 0, 0, None, mask=2)
    if variant == "order":
        hdrs.append(("raw", tlv(T_POLICY, struct.pack("<QII", 0x30000, 1, 0))))

    # Layout: fixed header (24) | variable headers | file data.
    def hdr_len(h):
        if h[0] == "raw":
            return len(h[1])
        return 8 + (24 if h[0] == "pd" else 24)  # PAGE_DATA 24; VP_CONTEXT 20 -> padded 24

    vh_size = sum(hdr_len(h) for h in hdrs)
    off = 24 + vh_size
    vh = b""
    blobs = b""
    for h in hdrs:
        if h[0] == "raw":
            vh += h[1]
        elif h[0] == "pd":
            _, gpa, mask, flags, dtype, blob = h
            fo = 0
            if blob is not None:
                fo = off + len(blobs)
                blobs += blob
            vh += tlv(T_PAGE_DATA, struct.pack("<QIIIHH", gpa, mask, fo, flags, dtype, 0))
        else:
            _, gpa, mask, vp, blob = h
            fo = off + len(blobs)
            blobs += blob
            vh += tlv(T_VP_CONTEXT, struct.pack("<QIIHH", gpa, mask, fo, vp, 0))
    assert len(vh) == vh_size
    total = 24 + vh_size + len(blobs)
    if variant == "hugevh":
        vh_size_field = 0x7FFFFFF8
    else:
        vh_size_field = vh_size
    fixed = struct.pack("<IIIIII", MAGIC, 1, 24, vh_size_field, total, 0)
    crc = zlib.crc32(fixed + vh) & 0xFFFFFFFF
    if variant == "badsum":
        crc ^= 1
    fixed = struct.pack("<IIIIII", MAGIC, 1, 24, vh_size_field, total, crc)
    out = fixed + vh + blobs
    if variant == "badmagic":
        out = b"XGVM" + out[4:]
    if variant == "truncated":
        out = out[: len(out) - 100]
    return out


def pageinfo(digest_hex, contents_hex, ptype, gpa):
    digest = bytes.fromhex(digest_hex)
    contents = bytes.fromhex(contents_hex)
    assert len(digest) == 48 and len(contents) == 48
    # PAGE_INFO (ABI 56860): DIGEST_CUR[48] CONTENTS[48] LENGTH u16=0x70 PAGE_TYPE u8
    # IMI_PAGE u8 VMPL3/2/1 perms and reserved (4 x u8 = 0) GPA u64.
    return digest + contents + struct.pack("<HBB4xQ", 0x70, ptype, 0, gpa)


def guid_le(s):
    """Text GUID -> EFI_GUID bytes (first three fields little endian)."""
    b = bytes.fromhex(s.replace("-", ""))
    return b[3::-1] + b[5:3:-1] + b[7:5:-1] + b[8:]


OVMF_SECTIONS = [  # (gpa, size, type): SEC_MEM, SECRETS, CPUID, SVSM_CAA, KERNEL_HASHES
    (0x800000, 0x2000, 1), (0x802000, 0x1000, 2), (0x803000, 0x1000, 3),
    (0x804000, 0x1000, 4), (0x805000, 0x1000, 0x10)]
OVMF_RESET_EIP = 0xFFFFF000 + 0x123  # SEV-ES AP reset address
OVMF_HASHES_GPA = 0x805C00


def ovmf():
    """A 2-page synthetic OVMF: SEV metadata in page 0, GUIDed table at the end."""
    img = bytearray(2 * PAGE)
    for i in range(PAGE):
        img[i] = (i * 7) % 256
    meta = b"ASEV" + struct.pack("<III", 16 + 12 * len(OVMF_SECTIONS), 1, len(OVMF_SECTIONS))
    for s in OVMF_SECTIONS:
        meta += struct.pack("<III", *s)
    meta_pos = 0x100
    img[meta_pos:meta_pos + len(meta)] = meta

    def entry(data, guid):
        return data + struct.pack("<H", len(data) + 18) + guid_le(guid)

    table = entry(struct.pack("<I", len(img) - meta_pos), "dc886566-984a-4798-a75e-5585a7bf67cc")
    table += entry(struct.pack("<I", OVMF_RESET_EIP), "00f771de-1a7e-4fcb-890e-68c77e2fb44e")
    table += entry(struct.pack("<II", OVMF_HASHES_GPA, 0x400), "7255371f-3a3b-4b04-927b-1da6efa8d454")
    footer = struct.pack("<H", len(table) + 18) + guid_le("96b582de-1fb2-45f7-baea-a366c55a082d")
    blob = table + footer
    end = len(img) - 32
    img[end - len(blob):end] = blob
    return bytes(img)


def reset_vmsa(eip, sig, features):
    """QEMU/KVM reset-state VMSA (APM vol 2 Table B-4 offsets)."""
    v = bytearray(PAGE)

    def seg(off, sel, attr, limit, base):
        v[off:off + 16] = struct.pack("<HHIQ", sel, attr, limit, base)

    for off in (0x00, 0x20, 0x30, 0x40, 0x50):  # es ss ds fs gs
        seg(off, 0, 0x93, 0xFFFF, 0)
    seg(0x10, 0xF000, 0x9B, 0xFFFF, eip & 0xFFFF0000)  # cs
    seg(0x60, 0, 0, 0xFFFF, 0)      # gdtr
    seg(0x70, 0, 0x82, 0xFFFF, 0)   # ldtr
    seg(0x80, 0, 0, 0xFFFF, 0)      # idtr
    seg(0x90, 0, 0x8B, 0xFFFF, 0)   # tr
    for off, val in ((0xD0, 0x1000), (0x148, 0x40), (0x158, 0x10), (0x160, 0x400),
                     (0x168, 0xFFFF0FF0), (0x170, 2), (0x178, eip & 0xFFFF),
                     (0x268, 0x0007040600070406), (0x310, sig), (0x3B0, features),
                     (0x3E8, 1)):
        v[off:off + 8] = struct.pack("<Q", val)
    v[0x408:0x40C] = struct.pack("<I", 0x1F80)  # MXCSR
    v[0x410:0x412] = struct.pack("<H", 0x37F)   # x87 FCW
    return bytes(v)


def ovmf_launch_digest(path, vcpus, sig, features):
    """Expected QEMU+OVMF SNP launch digest, computed with hashlib over PAGE_INFOs."""
    import hashlib
    img = open(path, "rb").read()
    n = len(img)
    assert img[n - 48:n - 32] == guid_le("96b582de-1fb2-45f7-baea-a366c55a082d")
    tlen = struct.unpack_from("<H", img, n - 50)[0]
    table = img[n - 32 - tlen:n - 50]
    entries = {}
    while len(table) >= 18:
        guid, size = table[-16:], struct.unpack_from("<H", table, len(table) - 18)[0]
        entries[guid] = table[len(table) - size:len(table) - 18]
        table = table[:len(table) - size]
    meta_off = struct.unpack_from("<I", entries[guid_le("dc886566-984a-4798-a75e-5585a7bf67cc")])[0]
    reset_eip = struct.unpack_from("<I", entries[guid_le("00f771de-1a7e-4fcb-890e-68c77e2fb44e")])[0]
    m = n - meta_off
    assert img[m:m + 4] == b"ASEV"
    count = struct.unpack_from("<I", img, m + 12)[0]
    sections = [struct.unpack_from("<III", img, m + 16 + 12 * i) for i in range(count)]
    d = bytes(48)

    def step(t, gpa, page=None):
        nonlocal d
        c = hashlib.sha384(page).digest() if page is not None else bytes(48)
        d = hashlib.sha384(pageinfo(d.hex(), c.hex(), t, gpa)).digest()

    for i in range(0, n, PAGE):
        step(1, 0x100000000 - n + i, img[i:i + PAGE])
    types = {2: 5, 3: 6}  # SECRETS -> PAGE_TYPE_SECRETS, CPUID -> PAGE_TYPE_CPUID, else ZERO
    for gpa, size, typ in sections:
        for off in range(0, size, PAGE):
            step(types.get(typ, 3), gpa + off)
    for v in range(vcpus):
        step(2, 0xFFFFFFFFF000, reset_vmsa(0xFFFFFFF0 if v == 0 else reset_eip, sig, features))
    return d.hex(), sections


def main():
    if sys.argv[1] == "image":
        open(sys.argv[3], "wb").write(image(sys.argv[2]))
    elif sys.argv[1] == "pageinfo":
        _, _, out, d, c, t, g = sys.argv
        open(out, "wb").write(pageinfo(d, c, int(t, 0), int(g, 0)))
    elif sys.argv[1] == "ovmf":
        open(sys.argv[2], "wb").write(ovmf())
    elif sys.argv[1] == "vmsa":  # vmsa OUT EIP SIG FEATURES
        open(sys.argv[2], "wb").write(reset_vmsa(*(int(x, 0) for x in sys.argv[3:6])))
    elif sys.argv[1] == "hashpage":  # hashpage OUT CMDLINE_SHA256 INITRD_SHA256 KERNEL_SHA256
        # SEV hash table (QEMU SevHashTable): header GUID, u16 length 168, then three
        # {GUID, u16 50, SHA-256} entries (cmdline, initrd, kernel); padded to 176 bytes and
        # placed at (hash table GPA & 0xfff) in the zeroed kernel-hashes section page.
        ents = [("97d02dd8-bd20-4c94-aa78-e7714d36ab2a", sys.argv[3]),
                ("44baf731-3a2f-4bd7-9af1-41e29169781d", sys.argv[4]),
                ("4de79437-abd2-427f-b835-d5b172d2045b", sys.argv[5])]
        t = guid_le("9438d606-4f22-4cc9-b479-a793d411fd21") + struct.pack("<H", 168)
        for g, h in ents:
            t += guid_le(g) + struct.pack("<H", 50) + bytes.fromhex(h)
        page = bytearray(PAGE)
        off = OVMF_HASHES_GPA & 0xFFF
        page[off:off + len(t)] = t
        open(sys.argv[2], "wb").write(bytes(page))
    elif sys.argv[1] == "ovmf-digest":  # ovmf-digest OVMF VCPUS SIG FEATURES
        d, sections = ovmf_launch_digest(sys.argv[2], *(int(x, 0) for x in sys.argv[3:6]))
        print(d)
        for s in sections:
            print("section gpa=0x%x size=0x%x type=%d" % s, file=sys.stderr)
    elif sys.argv[1] == "elf":  # elf OUT: ELF64 with one PT_LOAD (paddr 0x900000,
        # 5000 file bytes of 0x5a, memsz 9000) and entry 0x900040 (ELF spec, System V gABI)
        seg = b"\x5a" * 5000
        eh = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0, bytes(7),
                         2, 62, 1, 0x900040, 64, 0, 0, 64, 56, 1, 64, 0, 0)
        ph = struct.pack("<IIQQQQQQ", 1, 5, 0x1000, 0xFFFF800000900000, 0x900000, 5000,
                         9000, 0x1000)
        img = eh + ph
        img += bytes(0x1000 - len(img)) + seg
        open(sys.argv[2], "wb").write(img)
    elif sys.argv[1] == "blob":  # write PAGE_A or VMSA for hashing in the suite
        open(sys.argv[3], "wb").write(PAGE_A if sys.argv[2] == "page-a" else VMSA)
    else:
        sys.exit("unknown command")


if __name__ == "__main__":
    main()
