#!/bin/busybox sh
# shellcheck shell=dash
# /init of the tiny initramfs booted by OVMF on the emulated SEV-SNP platform
# (tests/suites/57-snp-ovmf-linux.sh): reports what the unmodified Debian
# kernel says about memory encryption, tries /dev/sev-guest, powers off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "ovmf-linux: init reached"
echo "ovmf-linux: cpus online $(cat /sys/devices/system/cpu/online)"
echo "ovmf-linux: dmesg begin"
dmesg | grep -i -E 'sev|snp|memory encryption'
echo "ovmf-linux: dmesg end"
# The SNP guest driver and its dependencies, in the order make-initramfs.sh
# packed them (lib/modules/order).
for m in $(cat /lib/modules/order 2>/dev/null); do
	insmod "/lib/modules/$m" 2>&1 | sed 's/^/ovmf-linux: insmod: /'
done
if [ -c /dev/sev-guest ]; then
	echo "ovmf-linux: /dev/sev-guest present"
	# An attestation report through configfs-tsm: an SNP Guest Request
	# (MSG_REPORT_REQ) the emulated platform has no AMD-SP to answer.
	mount -t configfs configfs /sys/kernel/config 2>/dev/null
	r=/sys/kernel/config/tsm/report/r0
	if mkdir "$r" 2>/dev/null; then
		dd if=/dev/zero of="$r/inblob" bs=64 count=1 2>/dev/null
		if cat "$r/outblob" >/tmp/report 2>/tmp/report.err; then
			echo "ovmf-linux: report $(wc -c </tmp/report) bytes"
		else
			echo "ovmf-linux: report failed: $(cat /tmp/report.err)"
		fi
	fi
else
	echo "ovmf-linux: /dev/sev-guest absent"
fi
dmesg | grep -i -E 'sev-guest|sev_guest|vmpck|snp.*(guest|message|request)' | tail -n 8 |
	sed 's/^/ovmf-linux: late: /'
echo "ovmf-linux: done"
poweroff -f
