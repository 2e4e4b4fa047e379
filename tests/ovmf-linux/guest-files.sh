# shellcheck shell=bash
# Sourced by the suites that boot Debian's OVMF and kernel on the emulated SNP platform
# (43-svsm-ovmf-linux, 57-snp-ovmf-linux). ovmf_linux_files fetches, once, trixie's
# ovmf package (as suite 30 does) and the newest bookworm 6.12 kernel package
# (linux-image-6.12.N+deb12-amd64, unpacked in the cache, depmod run), and sets:
#   ovmf     path of OVMF.fd
#   vmlinuz  path of the kernel ("" if the package could not be fetched)
#   kver     its version
#   modules  the sev-guest module and what it needs (configfs, tsm, GCM), for the initramfs
ovmf_linux_files() {
	local cache="${CACHE:-$HOME/.cache/svsm-stack}/ovmf-linux"
	local ovmf_dir="$BUILD/vmm-tools/igvm/ovmf" kdir mods pkg m
	mkdir -p "$cache"
	ovmf="$ovmf_dir/x/usr/share/ovmf/OVMF.fd"
	if [ ! -f "$ovmf" ]; then
		mkdir -p "$ovmf_dir"
		(cd "$ovmf_dir" && apt-get download ovmf/trixie >/dev/null 2>&1 && dpkg-deb -x ovmf_*.deb x)
	fi
	kdir="$cache/x"
	if ! ls "$kdir"/boot/vmlinuz-* >/dev/null 2>&1; then
		pkg=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
			awk '{print $1}' | sort -V | tail -n 1)
		if [ -n "$pkg" ]; then
			(cd "$cache" && rm -f linux-image-*.deb && apt-get download "$pkg" >"$cache/download.log" 2>&1 &&
				rm -rf x && dpkg-deb -x linux-image-*.deb x && rm -f linux-image-*.deb)
		fi
	fi
	vmlinuz=$(ls "$kdir"/boot/vmlinuz-* 2>/dev/null | head -n 1)
	kver=${vmlinuz##*/vmlinuz-}
	mods="$kdir/lib/modules/$kver"
	[ -z "$vmlinuz" ] || [ -f "$mods/modules.dep" ] || depmod -b "$kdir" "$kver"
	modules=()
	for m in fs/configfs/configfs drivers/virt/coco/tsm crypto/crypto_null crypto/gcm \
		lib/crypto/gf128mul crypto/ghash-generic drivers/virt/coco/sev-guest/sev-guest; do
		[ -f "$mods/kernel/$m.ko.xz" ] && modules+=("$mods/kernel/$m.ko.xz")
	done
	return 0
}
