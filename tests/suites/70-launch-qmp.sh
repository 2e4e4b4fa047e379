#!/usr/bin/env bash
# timeout: 300
# svsm-qmp (libqmp) against a live stock QEMU (bookworm-backports, TCG): greeting
# and version, commands and their errors, events seen on a second monitor while
# the first one issues the command, query-sev / query-sev-capabilities as stock
# QEMU answers them without SEV, quit. The unit tests (fake server) are in 20-unit.
source "$TOP/tests/lib.sh"
# On the driver's timeout, still run the EXIT cleanup (daemon, QEMU).
trap 'exit 143' TERM INT
cd "$TOP" || exit 1
out=$BUILD/launch/qmp-test
rm -rf "$out" && mkdir -p "$out"
if ! make --no-print-directory -s "$BUILD/vmm-tools/qmp/svsm-qmp" >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	not_ok "qmp: build svsm-qmp"
	exit 0
fi
ok "qmp: build svsm-qmp"
Q=$BUILD/vmm-tools/qmp/svsm-qmp
qemu=/usr/bin/qemu-system-x86_64
[ -x "$qemu" ] || { not_ok "qmp: stock QEMU missing ($qemu; package group qemu-run)"; exit 0; }

"$qemu" -machine q35 -accel tcg -nodefaults -display none -monitor none -m 64M \
	-qmp "unix:$out/a.sock,server=on,wait=off" -qmp "unix:$out/b.sock,server=on,wait=off" \
	>"$out/qemu.log" 2>&1 &
qpid=$!
stop_qemu() { kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; }
trap stop_qemu EXIT

# version from the greeting = what the binary says of itself
want=$("$qemu" --version | sed -n '1s/^QEMU emulator version \([0-9.]*\).*/\1/p')
got=$("$Q" -s "$out/a.sock" version 2>"$out/err")
check "qmp: greeting version $got = qemu --version $want" test -n "$want" -a "$got" = "$want"

st=$("$Q" -s "$out/a.sock" exec query-status 2>&1)
check "qmp: query-status returns running" grep -q '"status":"running"' <<<"$st"

st=$("$Q" -s "$out/a.sock" exec qom-get '{"path": "/machine", "property": "type"}' 2>&1)
check "qmp: command with arguments (qom-get /machine type)" grep -q 'q35' <<<"$st"

"$Q" -s "$out/a.sock" exec no-such-command >"$out/o" 2>"$out/err"
rc=$?
check "qmp: unknown command exits 1 with QEMU's error class" \
	bash -c "[ $rc -eq 1 ] && grep -q CommandNotFound '$out/err'"

"$Q" -s "$out/a.sock" exec query-status '[1,2]' >"$out/o" 2>"$out/err"
rc=$?
check "qmp: arguments that are not a JSON object are refused (exit 2)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'not a JSON object' '$out/err'"

# Events go to every monitor: wait on b while a stops the guest.
"$Q" -s "$out/b.sock" -t 20 wait-event STOP >"$out/event" 2>"$out/event.err" &
wpid=$!
# The waiter may not be connected yet: stop (and resume) until it has seen one.
for _ in $(seq 1 50); do
	"$Q" -s "$out/a.sock" exec stop >/dev/null 2>&1
	kill -0 "$wpid" 2>/dev/null || break
	"$Q" -s "$out/a.sock" exec cont >/dev/null 2>&1
	sleep 0.2
done
wait "$wpid"
rc=$?
check "qmp: STOP event seen on the other monitor" \
	bash -c "[ $rc -eq 0 ] && grep -q '\"event\":\"STOP\"' '$out/event'"
st=$("$Q" -s "$out/a.sock" exec query-status 2>&1)
check "qmp: guest is paused after stop" grep -q '"status":"paused"' <<<"$st"
"$Q" -s "$out/a.sock" exec cont >/dev/null 2>&1

"$Q" -s "$out/a.sock" -t 1 wait-event NEVER-HAPPENS >"$out/o" 2>"$out/err"
rc=$?
check "qmp: waiting for an event that does not come times out (exit 2)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'timed out' '$out/err'"

# Stock QEMU under TCG has no SEV: query-sev says disabled, the capabilities
# query is an error (this is what libvirt's probe sees, see docs/launch.md).
sev=$("$Q" -s "$out/a.sock" sev 2>&1)
check "qmp: query-sev on a non-SEV guest: enabled no" grep -q '^enabled no$' <<<"$sev"
"$Q" -s "$out/a.sock" sev-capabilities >"$out/o" 2>"$out/err"
rc=$?
check "qmp: query-sev-capabilities under TCG on stock QEMU is a QEMU error (exit 1)" \
	bash -c "[ $rc -eq 1 ] && grep -q 'QEMU error' '$out/err'"

"$Q" -s "$out/nonexistent.sock" -t 0.3 version >"$out/o" 2>"$out/err"
rc=$?
check "qmp: missing socket: exit 2 with a message" \
	bash -c "[ $rc -eq 2 ] && grep -q 'cannot connect' '$out/err'"

"$Q" -s "$out/a.sock" exec quit >/dev/null 2>&1
for _ in $(seq 1 50); do kill -0 "$qpid" 2>/dev/null || break; sleep 0.1; done
check "qmp: quit ends QEMU" bash -c "! kill -0 $qpid 2>/dev/null"
