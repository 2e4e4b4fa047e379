#!/bin/busybox sh
# /init of the upm-convtest initramfs. The kernel command line picks the runs:
#   upm.mode=check  (default) discard and keep policies on 2 vCPUs, then the stress run
#   upm.mode=bench  the benchmark only
#   upm.stress=N    random conversions in the stress run (default 100000)
# Each run is framed by UPM-BEGIN/UPM-END lines for run-nested.sh.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "UPM-BOOT $(uname -r)"
if [ -c /dev/kvm ]; then echo "UPM-KVM present"; else echo "UPM-KVM missing"; fi
mode=check
stress=100000
for w in $(cat /proc/cmdline); do
	case "$w" in
	upm.mode=*) mode=${w#upm.mode=} ;;
	upm.stress=*) stress=${w#upm.stress=} ;;
	esac
done
run() {
	echo "UPM-BEGIN $*"
	timeout 1200 /upm-convtest "$@"
	echo "UPM-END rc=$?"
}
if [ "$mode" = bench ]; then
	run --bench
else
	run --vcpus 2
	run --vcpus 2 --keep
	run --vcpus 1 --stress "$stress" --seed 7 --label "[stress]"
fi
echo "UPM-DONE"
poweroff -f
