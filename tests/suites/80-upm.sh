#!/usr/bin/env bash
# timeout: 900
# upm on the build host: uapi headers, libupm unit tests (fake ops, no /dev/kvm), the
# static tool and guest payload, and what upm-convtest does with this host's /dev/kvm.
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

if ! make --no-print-directory -s upm >"$BUILD/upm-build.log" 2>&1; then
	cat "$BUILD/upm-build.log"
	not_ok "upm builds (make upm)"
	exit 0
fi
ok "upm builds (make upm)"
cat "$BUILD/upm/uapi/source"
check "uapi headers have guest_memfd and KVM_X86_SW_PROTECTED_VM" \
	bash -c 'grep -q KVM_CREATE_GUEST_MEMFD "$1/linux/kvm.h" && grep -q KVM_X86_SW_PROTECTED_VM "$1/asm/kvm.h"' _ "$BUILD/upm/uapi/include"

make --no-print-directory -s "$BUILD/unit/upm-bitmap" "$BUILD/unit/upm-convert" \
	"$BUILD/unit-asan/upm-bitmap" "$BUILD/unit-asan/upm-convert" >/dev/null 2>&1
for t in upm-bitmap upm-convert; do
	for flavour in unit unit-asan; do
		bin="$BUILD/$flavour/$t"
		if [ -x "$bin" ]; then
			ASAN_OPTIONS=detect_leaks=1 run_cmocka "$bin" "$t${flavour#unit}"
		else
			not_ok "$t${flavour#unit}: binary not built"
		fi
	done
done

tool=$BUILD/upm/upm-convtest
check "upm-convtest is statically linked (runs from a busybox initramfs)" \
	bash -c 'file -L "$1" | grep -q "statically linked"' _ "$tool"
# The payload starts with entry.S (_start at the load address) and fits below CT_CODE_MAX.
check "guest payload is a flat image starting at _start and within 0x50000 bytes" \
	bash -c '[ "$(nm "$1" | awk "\$3 == \"_start\" {print \$1}")" = 0000000000010000 ] && [ "$(stat -c %s "$2")" -le $((0x50000)) ]' \
	_ "$BUILD/upm/guest/guest.elf" "$BUILD/upm/guest/guest.bin"

# This host's KVM: run the scenarios if it offers KVM_X86_SW_PROTECTED_VM, otherwise the
# tool must refuse loudly (exit 2, a "not ok" line), never pass.
if [ ! -c /dev/kvm ]; then
	ok "upm-convtest on the build host # SKIP no /dev/kvm here (the nested suite runs it)"
	exit 0
fi
out=$(timeout 600 "$tool" --vcpus 2 2>&1); rc=$?
echo "$out" | grep -v -E '^(ok|not ok) - '
if echo "$out" | grep -q 'not ok - .*KVM_X86_SW_PROTECTED_VM offered by this KVM'; then
	check "upm-convtest refuses a KVM without KVM_X86_SW_PROTECTED_VM (exit 2, not ok)" test "$rc" -eq 2
else
	# A KVM with SW_PROTECTED_VM: its results count.
	echo "$out" | grep -E '^(ok|not ok) - ' | sed 's/^\(not \)\{0,1\}ok - /&host: /'
	check "upm-convtest on the build host's KVM exits 0" test "$rc" -eq 0
fi
