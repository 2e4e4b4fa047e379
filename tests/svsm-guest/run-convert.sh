#!/usr/bin/env bash
# run-convert.sh [WORDS...]: the VMPL2 test guest's page conversions on the emulated SEV-SNP
# platform (docs/upm.md "Guest side"), with the host-side harness the guest talks to.
#   WORDS go to the guest through fw_cfg (opt/svsm-guest/args), default "convert-only":
#   convert / convert-only / stress=N / random=N / seed=N. The word "hostcheck" is added:
#   the guest then stops at "# host-wait NAME" points and this script answers with a byte
#   on COM2 (a pipe chardev: FIFO $tmp/hostin.in; QMP ringbuf-write would not reach the
#   UART, it only fills the ring):
#     check       guest memory of every "# host-check gpa= len= cksum=" run is read from
#                 outside (QMP pmemsave) and its POSIX cksum must equal the guest's;
#                 the same comparison on the range one page further must NOT match
#                 (so the comparison can fail);
#     lie-psc-on  / lie-psc-off: QMP qom-set /objects/sev0 lie-psc (the emulated host then
#                 claims page state changes it does not make; the guest must catch it).
# Environment: as svsm/scripts/run-snp.sh (SNP_EMU_QEMU, SVSM_SNP_SMP, SVSM_SNP_MEM,
# SVSM_TIMEOUT); CONVERT_LOG = console file (default build/test-logs/upm-snp-guest.console).
# Prints "ok - upm-snp: host ..." / "not ok - ..." lines for the host-side checks; the
# console has the guest's lines. Exit status: run-snp.sh's (0 = guest all passed).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/build}
qmp_tool=$build/vmm-tools/qmp/svsm-qmp
log=${CONVERT_LOG:-$build/test-logs/upm-snp-guest.console}
words="${*:-convert-only} hostcheck"
mkdir -p "$(dirname "$log")"
tmp=$(mktemp -d /tmp/upm-snp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
sock=$tmp/qmp

if [ ! -x "$qmp_tool" ]; then
	echo "not ok - upm-snp: host harness needs $qmp_tool (make svsm-qmp)"
	exit 2
fi
qmp() { "$qmp_tool" -s "$sock" -t 20 exec "$@"; }

# The words go in a file: run-snp.sh splits SVSM_QEMU_EXTRA at spaces.
printf '%s' "$words" >"$tmp/args"
mkfifo "$tmp/hostin.in" "$tmp/hostin.out"
: >"$log" # before QEMU starts: the loop below must never see an older run's points
SVSM_QEMU_EXTRA="${SVSM_QEMU_EXTRA:-} -qmp unix:$sock,server=on,wait=off \
-chardev pipe,id=hostin,path=$tmp/hostin -device isa-serial,chardev=hostin,index=1 \
-fw_cfg name=opt/svsm-guest/args,file=$tmp/args" \
	"$top/svsm/scripts/run-snp.sh" >"$log" 2>"$log.stderr" &
pid=$!

# Answer one host-wait point.
answer() {
	local what=$1
	case $what in
	check)
		local n=0 bad=0 shifted_ok=0 line gpa len want got
		while read -r line; do
			gpa=$(sed -E 's/.*gpa=(0x[0-9a-f]+).*/\1/' <<<"$line")
			len=$(sed -E 's/.*len=([0-9]+).*/\1/' <<<"$line")
			want=$(sed -E 's/.*cksum=([0-9]+).*/\1/' <<<"$line")
			n=$((n + 1))
			if ! qmp pmemsave "{\"val\": $((gpa)), \"size\": $len, \"filename\": \"$tmp/run\"}" >/dev/null; then
				echo "not ok - upm-snp: host: pmemsave of $gpa+$len failed"
				bad=$((bad + 1))
				continue
			fi
			got=$(cksum <"$tmp/run" | cut -d' ' -f1)
			if [ "$got" != "$want" ]; then
				echo "# host view of $gpa+$len: cksum $got, guest wrote $want"
				bad=$((bad + 1))
			fi
			if [ $n -eq 1 ] && qmp pmemsave "{\"val\": $((gpa + 4096)), \"size\": $len, \"filename\": \"$tmp/shifted\"}" >/dev/null &&
				[ "$(cksum <"$tmp/shifted" | cut -d' ' -f1)" != "$want" ]; then
				shifted_ok=1
			fi
		done < <(tr -d '\r' <"$log" | grep -E '^# host-check gpa=0x[0-9a-f]+ len=[0-9]+ cksum=[0-9]+$')
		if [ $n -gt 0 ] && [ $bad -eq 0 ]; then
			echo "ok - upm-snp: host sees the data the guest wrote while shared ($n runs, pmemsave + cksum)"
		else
			echo "not ok - upm-snp: host sees the data the guest wrote while shared ($n runs, $bad differ)"
		fi
		if [ $shifted_ok -eq 1 ]; then
			echo "ok - upm-snp: host check discriminates (the range one page further differs)"
		else
			echo "not ok - upm-snp: host check discriminates (the range one page further differs)"
		fi
		;;
	lie-psc-on | lie-psc-off)
		local v=true
		[ "$what" = lie-psc-off ] && v=false
		if qmp qom-set "{\"path\": \"/objects/sev0\", \"property\": \"lie-psc\", \"value\": $v}" >/dev/null &&
			[ "$(qmp qom-get '{"path": "/objects/sev0", "property": "lie-psc"}')" = "$v" ]; then
			echo "ok - upm-snp: host: sev-snp-guest lie-psc=$v set at run time (QMP qom-set)"
		else
			echo "not ok - upm-snp: host: sev-snp-guest lie-psc=$v set at run time (QMP qom-set)"
		fi
		;;
	*)
		echo "not ok - upm-snp: host: unknown host-wait point '$what'"
		;;
	esac
	# Bounded: with QEMU gone the FIFO has no reader and the open would block.
	timeout 10 bash -c 'printf g >"$1"' _ "$tmp/hostin.in" ||
		echo "not ok - upm-snp: host: writing to COM2 failed"
}

done_points=0
while kill -0 "$pid" 2>/dev/null; do
	mapfile -t points < <(tr -d '\r' <"$log" | sed -n -E 's/^# host-wait ([a-z-]+)$/\1/p')
	while [ "$done_points" -lt "${#points[@]}" ]; do
		answer "${points[$done_points]}"
		done_points=$((done_points + 1))
	done
	sleep 0.5
done
wait "$pid"
exit $?
