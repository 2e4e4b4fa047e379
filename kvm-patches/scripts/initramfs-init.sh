#!/bin/busybox sh
# /init of the selftest initramfs: run each test from /tests.txt and frame its
# output with KP-BEGIN/KP-END markers (boot-selftests.sh turns them into ok/not ok).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
echo "KP-BOOT $(uname -r)"
if [ -c /dev/kvm ]; then echo "KP-KVM present"; else echo "KP-KVM missing"; fi
while read -r t; do
	echo "KP-BEGIN $t"
	timeout 600 "/tests/$t"
	echo "KP-END $t rc=$?"
done </tests.txt
echo "KP-DONE"
poweroff -f
