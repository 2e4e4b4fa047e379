#!/usr/bin/env bash
# Extract the pure-C SNP emulation model (target/i386/tcg/system/snp-*.[ch],
# e.g. snp-rmp.c, snp-instr.c; not the QEMU glue, whose files are named
# snp-emu*.[ch] and use QEMU headers)
# from our QEMU patches, so that the host unit tests compile exactly the code
# the patch adds to QEMU. The patches are the only copy of that code
# (docs/snp-emulation.md, "Where the code lives").
#
#   qemu-patches/snp-emu/extract-sources.sh OUTDIR
#
# Applies, in order, every qemu-patches/01NN-*.patch (our number range) to an
# empty OUTDIR, limited to those paths; OUTDIR/target/i386/tcg/system/ then
# holds the files as the patched QEMU tree has them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
patchdir=$(cd "$here/.." && pwd)
out=${1:?usage: extract-sources.sh OUTDIR}

shopt -s nullglob
patches=("$patchdir"/01[0-9][0-9]-*.patch)
[ ${#patches[@]} -gt 0 ] || { echo "extract-sources: no qemu-patches/01NN-*.patch found" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "${out%/}.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for p in "${patches[@]}"; do
	# Outside a git repository git apply works like patch(1); --include keeps
	# only our pure-C files, so patches to other QEMU files are skipped. The
	# ceiling keeps git from treating the enclosing repository as the tree.
	(cd "$tmp" && GIT_CEILING_DIRECTORIES=$(dirname "$tmp") git apply \
		--exclude='target/i386/tcg/system/snp-emu*' \
		--include='target/i386/tcg/system/snp-*.[ch]' "$p") ||
		{ echo "extract-sources: $(basename "$p") does not apply" >&2; exit 1; }
done
[ -f "$tmp/target/i386/tcg/system/snp-rmp.c" ] ||
	{ echo "extract-sources: the patches add no target/i386/tcg/system/snp-rmp.c" >&2; exit 1; }
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
