#!/usr/bin/env bash
# run-native.sh IMAGE [APPEND]: boot an SVSM image on stock QEMU (TCG, 4 vCPUs) with the
# serial console on stdout; no stdin needed. Exit status: 0 when the SVSM reports success.
# SVSM_QEMU_EXTRA adds QEMU options (e.g. "-icount shift=0" for instruction counting).
set -uo pipefail
img=$1
append=${2:-}
timeout_s=${SVSM_TIMEOUT:-120}
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 -accel tcg -cpu qemu64 -smp 4 -m 256M \
	-display none -monitor none -no-reboot -chardev stdio,id=ser,mux=off,signal=off \
	-serial chardev:ser -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	${SVSM_QEMU_EXTRA:-} -kernel "$img" -append "$append" </dev/null
rc=$?
# isa-debug-exit: QEMU exits with (value << 1) | 1; the SVSM writes 0x10 + status
# (src/platform/native/platform.c), so 33 = success, 35 = test failures, 37 = crash.
case $rc in
33) exit 0 ;;
35) echo "run-native: SVSM reported failures" >&2; exit 1 ;;
37) echo "run-native: SVSM crashed" >&2; exit 2 ;;
124|137) echo "run-native: timed out after ${timeout_s}s" >&2; exit 3 ;;
*) echo "run-native: QEMU exited with $rc" >&2; exit 4 ;;
esac
