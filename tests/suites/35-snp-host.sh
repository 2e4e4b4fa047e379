#!/usr/bin/env bash
# timeout: 600
# snp-host: fixture host trees (ready, each prerequisite missing in turn, garbage and
# missing files, non-root), the JSON report, --fix/--yes, colour, and a live run here.
source "$TOP/tests/lib.sh"
bin=$BUILD/vmm-tools/snp-host/snp-host
ready=$TOP/vmm-tools/snp-host/tests/fixtures/snp-ready
cap=--kvm-vmpl-cap=1024 # KVMP_CAP_PLANES (include/kvm/planes.h), also snp-host's default

if ! make -C "$TOP" -s --no-print-directory "$bin" >/dev/null; then
	not_ok "snp-host: build"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# validate.py FILE RC [ID=STATUS ...] [level:NAME=STATE ...] [summary~TEXT] [root~ID]
cat >"$tmp/validate.py" <<'PY'
import json, sys
path, rc = sys.argv[1], int(sys.argv[2])
doc = json.load(open(path))
errs = []
statuses = {"PASS", "WARN", "FAIL", "UNKNOWN", "SKIP"}
ids = [c["id"] for c in doc["checks"]]
if len(ids) != len(set(ids)):
    errs.append("duplicate check ids")
for c in doc["checks"]:
    if c["status"] not in statuses or not isinstance(c["detail"], str) or not c["detail"]:
        errs.append("bad check %r" % c)
    if not isinstance(c["needs_root"], bool):
        errs.append("needs_root not bool in %s" % c["id"])
if doc["exit_status"] != rc:
    errs.append("exit_status %r but process exited %d" % (doc["exit_status"], rc))
by_id = {c["id"]: c for c in doc["checks"]}
for want in sys.argv[3:]:
    if want.startswith("level:"):
        name, state = want[6:].split("=")
        got = doc["readiness"][name]["state"]
        if got != state:
            errs.append("readiness %s = %s, want %s" % (name, got, state))
    elif want.startswith("summary~"):
        if want[8:] not in doc["readiness"]["summary"]:
            errs.append("summary %r lacks %r" % (doc["readiness"]["summary"], want[8:]))
    elif want.startswith("root~"):
        if want[5:] not in doc["needs_root"]:
            errs.append("needs_root %r lacks %s" % (doc["needs_root"], want[5:]))
    elif want.startswith("plan~"):
        text = json.dumps(doc.get("fix_plan"))
        if want[5:] not in text:
            errs.append("fix_plan %s lacks %r" % (text, want[5:]))
    else:
        cid, status = want.split("=")
        got = by_id.get(cid, {}).get("status")
        if got != status:
            errs.append("%s = %s (%s), want %s" % (cid, got, by_id.get(cid, {}).get("detail"), status))
if errs:
    print("\n".join(errs))
    sys.exit(1)
PY

# variant NAME: a fresh copy of the ready fixture, printed path.
variant() {
	rm -rf "${tmp:?}/$1"
	cp -a "$ready" "$tmp/$1"
	echo "$tmp/$1"
}
# set_line FILE PREFIX NEWLINE: replace the line starting with PREFIX.
set_line() {
	python3 - "$@" <<'PY'
import sys
path, prefix, new = sys.argv[1:4]
lines = open(path).read().split("\n")
hit = [i for i, l in enumerate(lines) if l.startswith(prefix)]
assert hit, "no line starting with %r in %s" % (prefix, path)
lines[hit[0]] = new
open(path, "w").write("\n".join(lines))
PY
}
# expect NAME DIR RC [WANT...] -- [EXTRA ARGS]: run --json on DIR and check.
expect() {
	local name=$1 dir=$2 want_rc=$3
	shift 3
	local wants=() extra=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do wants+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	extra=("$@")
	"$bin" --json --fixture "$dir" "${extra[@]}" >"$tmp/out.json" 2>"$tmp/err.txt"
	local rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		echo "$name: exit $rc, want $want_rc"; cat "$tmp/err.txt"; head -c 3000 "$tmp/out.json"; echo
		not_ok "snp-host: $name"
		return
	fi
	if python3 "$tmp/validate.py" "$tmp/out.json" "$rc" "${wants[@]}"; then
		ok "snp-host: $name"
	else
		not_ok "snp-host: $name"
	fi
}

# --- the ready host -------------------------------------------------------------
expect "ready host: exit 0, every level yes" "$ready" 0 cpu.sev=PASS fw.syscfg=PASS \
	fw.rmp_iomem=PASS kernel.snp_status=PASS kernel.kvm_vmpl=PASS user.qemu_igvm=PASS \
	level:snp=yes level:snp_svsm=yes level:emulated=yes summary~ready -- "$cap"
expect "ready host, default capability number (KVMP_CAP_PLANES): ready" "$ready" 0 \
	kernel.kvm_vmpl=PASS level:snp=yes level:snp_svsm=yes
expect "ready host, --target=snp without the capability number: ready" "$ready" 0 \
	level:snp=yes -- --target=snp

# --- one prerequisite missing at a time ------------------------------------------
d=$(variant intel)
set_line "$d/snp-host/cpuid" "00000000" "00000000 0 00000016 756e6547 6c65746e 49656e69"
expect "Intel CPU: not an SNP host" "$d" 1 cpu.vendor=FAIL cpu.family=SKIP \
	summary~"not an SNP host" summary~GenuineIntel -- "$cap"
d=$(variant zen2)
set_line "$d/snp-host/cpuid" "00000001" "00000001 0 00830f10 00020800 7ed8320b 178bfbff"
expect "Zen 2 (family 17h)" "$d" 1 cpu.family=FAIL level:snp=no -- "$cap"
d=$(variant no-snp-bit)
set_line "$d/snp-host/cpuid" "8000001f" "8000001f 0 0001406f 00004073 000001fd 00000064"
expect "CPUID without SEV-SNP" "$d" 1 cpu.sev=FAIL fw.syscfg=SKIP level:snp=no -- "$cap"
d=$(variant no-sev-leaf)
set_line "$d/snp-host/cpuid" "80000000" "80000000 0 8000001e 68747541 444d4163 69746e65"
expect "no CPUID leaf 8000001Fh" "$d" 1 cpu.sev=FAIL -- "$cap"
d=$(variant no-vmpl)
set_line "$d/snp-host/cpuid" "8000001f" "8000001f 0 0001405f 00000073 000001fd 00000064"
expect "no VMPLs: plain SNP only" "$d" 1 cpu.vmpl=FAIL level:snp=yes level:snp_svsm=no \
	summary~"plain SEV-SNP guests only" -- "$cap"
d=$(variant no-es-asids)
set_line "$d/snp-host/cpuid" "8000001f" "8000001f 0 0001407f 00004073 000001fd 00000001"
expect "no SEV-ES/SNP ASIDs" "$d" 1 cpu.asids=FAIL -- "$cap"
d=$(variant guest)
set_line "$d/snp-host/cpuid" "00000001" "00000001 0 00a00f11 00020800 fed8320b 178bfbff"
expect "hypervisor bit: warning only" "$d" 0 cpu.hypervisor=WARN -- "$cap"
d=$(variant no-smee)
set_line "$d/snp-host/msr" "c0010010" "c0010010 0000000003740000"
expect "SYSCFG without SMEE" "$d" 1 fw.syscfg=FAIL -- "$cap"
d=$(variant no-snp-en)
set_line "$d/snp-host/msr" "c0010010" "c0010010 0000000000f40000"
expect "SYSCFG without SNPEn/VMPLEn" "$d" 1 fw.syscfg=FAIL -- "$cap"
d=$(variant no-rmp)
set_line "$d/snp-host/msr" "c0010132" "c0010132 0000000000000000"
expect "no RMP reserved by the BIOS" "$d" 1 fw.rmp=FAIL fw.rmp_iomem=SKIP -- "$cap"
d=$(variant rmp-in-ram)
set_line "$d/proc/iomem" "a0000000" "a0000000-a41fffff : System RAM"
expect "RMP range in System RAM" "$d" 1 fw.rmp_iomem=FAIL -- "$cap"
d=$(variant iommu-pt)
echo "BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 iommu=pt quiet" >"$d/proc/cmdline"
expect "IOMMU in passthrough" "$d" 1 fw.iommu=FAIL -- "$cap"
d=$(variant no-iommu)
rm -rf "$d/sys/class/iommu/ivhd0"
expect "no IOMMU" "$d" 1 fw.iommu=FAIL -- "$cap"
d=$(variant old-kernel)
echo "6.1.0-28-amd64" >"$d/proc/sys/kernel/osrelease"
mv "$d/boot/config-6.12.57-snp-svsm" "$d/boot/config-6.1.0-28-amd64"
expect "kernel older than 6.12: warning" "$d" 0 kernel.version=WARN -- "$cap"
d=$(variant config-no-sev)
set_line "$d/boot/config-6.12.57-snp-svsm" "CONFIG_KVM_AMD_SEV" "# CONFIG_KVM_AMD_SEV is not set"
expect "kernel config without KVM_AMD_SEV" "$d" 0 kernel.config=FAIL -- "$cap"
d=$(variant no-config)
rm "$d/boot/config-6.12.57-snp-svsm"
expect "no kernel config: unknown, not blocking" "$d" 0 kernel.config=UNKNOWN -- "$cap"
d=$(variant snp-param-off)
echo N >"$d/sys/module/kvm_amd/parameters/sev_snp"
expect "kvm_amd sev_snp=N" "$d" 1 kernel.kvm_amd=FAIL -- "$cap"
d=$(variant no-snp-param)
rm "$d/sys/module/kvm_amd/parameters/sev_snp"
expect "kvm_amd without sev_snp parameter" "$d" 1 kernel.kvm_amd=FAIL -- "$cap"
d=$(variant no-kvm-amd)
rm -rf "$d/sys/module/kvm_amd"
expect "kvm_amd not loaded" "$d" 1 kernel.kvm_amd=FAIL -- "$cap"
d=$(variant no-dev-sev)
rm "$d/dev/sev"
expect "no /dev/sev" "$d" 1 kernel.dev_sev=FAIL kernel.snp_status=SKIP -- "$cap"
d=$(variant snp-uninit)
set_line "$d/snp-host/sev-status" "state=" "state=0"
expect "SNP firmware not initialised" "$d" 1 kernel.snp_status=FAIL -- "$cap"
d=$(variant fw-error)
echo "fw_error=0x10" >>"$d/snp-host/sev-status"
expect "SNP_PLATFORM_STATUS firmware error" "$d" 1 kernel.snp_status=FAIL -- "$cap"
d=$(variant sev-no-snp-ioctl)
echo absent >"$d/snp-host/sev-status"
expect "/dev/sev without SNP_PLATFORM_STATUS" "$d" 1 kernel.snp_status=FAIL kernel.fw_min=SKIP -- "$cap"
d=$(variant old-firmware)
set_line "$d/snp-host/sev-status" "api_minor=" "api_minor=49"
expect "SNP firmware API 1.49 < 1.51" "$d" 1 kernel.fw_min=FAIL -- "$cap"
d=$(variant no-kvm)
rm "$d/dev/kvm"
expect "no /dev/kvm" "$d" 1 kernel.dev_kvm=FAIL -- "$cap"
d=$(variant stock-kvm)
echo "1024 0" >"$d/snp-host/kvm-caps"
expect "KVM without our VMPL capability" "$d" 1 kernel.kvm_vmpl=FAIL level:snp=yes \
	level:snp_svsm=no -- "$cap"
d=$(variant one-plane-kvm)
echo "1024 1" >"$d/snp-host/kvm-caps"
expect "our KVM with a single plane (multi-VMPL off)" "$d" 1 kernel.kvm_vmpl=FAIL level:snp=yes \
	level:snp_svsm=no
d=$(variant no-qemu)
rm "$d"/snp-host/commands/qemu-*
expect "no QEMU" "$d" 1 user.qemu=FAIL user.qemu_snp=SKIP level:emulated=no -- "$cap"
d=$(variant qemu-no-snp)
sed -i '/sev-snp-guest/d' "$d/snp-host/commands/qemu-objects"
expect "QEMU without sev-snp-guest" "$d" 1 user.qemu_snp=FAIL level:snp=no -- "$cap"
d=$(variant qemu-no-igvm)
sed -i '/igvm-cfg/d' "$d/snp-host/commands/qemu-objects"
expect "QEMU without igvm-cfg" "$d" 1 user.qemu_igvm=FAIL level:snp=yes level:snp_svsm=no -- "$cap"
d=$(variant qemu-no-tcg-snp)
printf 'qemu-system-x86_64: cannot set up private guest memory for sev-snp-guest: KVM required\n' \
	>"$d/snp-host/commands/qemu-tcg-snp"
echo 1 >"$d/snp-host/commands/qemu-tcg-snp.exit"
expect "stock QEMU: no emulated SNP (hardware still ready)" "$d" 0 user.qemu_tcg_snp=FAIL \
	level:emulated=no level:snp_svsm=yes -- "$cap"
expect "stock QEMU, --target=emulated: not ready" "$d" 1 level:emulated=no -- "$cap" \
	--target=emulated
d=$(variant libvirt-no-snp)
sed -i '/sev-snp/d' "$d/snp-host/commands/virsh-domcaps"
expect "libvirt without sev-snp: warning" "$d" 0 user.libvirt_snp=WARN -- "$cap"
d=$(variant no-libvirt)
rm "$d"/snp-host/commands/virsh-*
expect "no libvirt: warning" "$d" 0 user.libvirt=WARN user.libvirt_snp=SKIP -- "$cap"
d=$(variant libvirtd-down)
echo "error: failed to connect to the hypervisor" >"$d/snp-host/commands/virsh-domcaps"
echo 1 >"$d/snp-host/commands/virsh-domcaps.exit"
expect "libvirtd not running: warning" "$d" 0 user.libvirt_snp=WARN -- "$cap"
d=$(variant ksm-on)
echo 1 >"$d/sys/kernel/mm/ksm/run"
expect "KSM running: warning" "$d" 0 mem.ksm=WARN -- "$cap"

# --- garbage and missing files ---------------------------------------------------
d=$(variant garbage-cpuid)
echo "this is not a cpuid dump" >"$d/snp-host/cpuid"
expect "garbage CPUID dump: could not check" "$d" 2 cpu.vendor=UNKNOWN -- "$cap"
d=$(variant garbage-iomem)
head -c 300 /dev/urandom | tr -d '\0' >"$d/proc/iomem"
expect "garbage /proc/iomem" "$d" 2 fw.rmp_iomem=UNKNOWN -- "$cap"
d=$(variant garbage-msr)
echo "c0010010 zz" >"$d/snp-host/msr"
expect "garbage MSR dump" "$d" 2 fw.syscfg=UNKNOWN -- "$cap"
d=$(variant garbage-param)
echo maybe >"$d/sys/module/kvm_amd/parameters/sev_snp"
expect "garbage kvm_amd parameter" "$d" 2 kernel.kvm_amd=UNKNOWN -- "$cap"
d=$(variant garbage-sev-status)
echo "api_major=one" >"$d/snp-host/sev-status"
expect "garbage SNP platform status" "$d" 2 kernel.snp_status=UNKNOWN -- "$cap"
d=$(variant garbage-config)
echo "hello" >"$d/boot/config-6.12.57-snp-svsm"
expect "garbage kernel config" "$d" 0 kernel.config=UNKNOWN -- "$cap"
d=$(variant garbage-qemu)
echo "Segmentation fault" >"$d/snp-host/commands/qemu-version"
expect "garbage QEMU version" "$d" 2 user.qemu=UNKNOWN -- "$cap"
d=$(variant garbage-domcaps)
echo "<domainCapabilities><features>" >"$d/snp-host/commands/virsh-domcaps"
expect "garbage domain capabilities" "$d" 0 user.libvirt_snp=UNKNOWN -- "$cap"
d=$(variant garbage-meminfo)
echo "nothing here" >"$d/proc/meminfo"
expect "garbage /proc/meminfo" "$d" 0 mem.hugepages=UNKNOWN -- "$cap"
mkdir -p "$tmp/empty"
expect "empty tree: CPU unknown, but no /dev/kvm, /dev/sev, QEMU: not ready" "$tmp/empty" 1 \
	cpu.vendor=UNKNOWN fw.syscfg=UNKNOWN kernel.dev_kvm=FAIL user.qemu=FAIL -- "$cap"
if "$bin" --fixture "$tmp/does-not-exist" >/dev/null 2>&1; then rc=0; else rc=$?; fi
check "missing fixture directory: exit 2" test "$rc" -eq 2

# --- not root ---------------------------------------------------------------------
d=$(variant non-root)
echo 1000 >"$d/snp-host/euid"
echo denied >"$d/snp-host/msr"
echo denied >"$d/snp-host/sev-status"
sed -i 's/^[0-9a-f]*-[0-9a-f]* :/00000000-00000000 :/' "$d/proc/iomem"
expect "non-root: could not check, names what needs root" "$d" 2 fw.syscfg=UNKNOWN \
	fw.rmp=UNKNOWN fw.rmp_iomem=UNKNOWN kernel.snp_status=UNKNOWN root~fw.syscfg root~fw.rmp \
	root~kernel.snp_status root~fw.rmp_iomem level:snp=unknown -- "$cap"
"$bin" --fixture "$d" "$cap" --color=never >"$tmp/nonroot.txt"
check "non-root text report lists the checks that need root" \
	grep -q "these checks need root: fw.syscfg fw.rmp fw.rmp_iomem kernel.snp_status" "$tmp/nonroot.txt"
d=$(variant no-msr-driver)
echo absent >"$d/snp-host/msr"
expect "no msr driver: could not check" "$d" 2 fw.syscfg=UNKNOWN fw.rmp=UNKNOWN -- "$cap"
expect "no msr driver: --fix plans modprobe msr (exit 1, nothing applied)" "$d" 1 \
	plan~'"modprobe", "msr"' -- "$cap" --fix

# --- --fix ------------------------------------------------------------------------
d=$(variant fix-plan)
echo N >"$d/sys/module/kvm_amd/parameters/sev_snp"
"$bin" --fixture "$d" "$cap" --fix --color=never >"$tmp/fix.txt"
rc=$?
check "--fix prints the plan, exit 1" grep -q "options kvm_amd sev=1 sev_es=1 sev_snp=1" "$tmp/fix.txt"
check "--fix without --yes exits 1" test "$rc" -eq 1
check "--fix without --yes changes nothing" test ! -e "$d/etc/modprobe.d/snp-host.conf" -a ! -e "$d/snp-host/applied.log"
mkdir -p "$d/etc/modprobe.d"
"$bin" --fixture "$d" "$cap" --fix --yes >"$tmp/fixyes.txt"
rc=$?
check "--fix --yes exits 0 (no manual steps)" test "$rc" -eq 0
check "--fix --yes wrote the modprobe options" grep -qx "options kvm_amd sev=1 sev_es=1 sev_snp=1" \
	"$d/etc/modprobe.d/snp-host.conf"
check "--fix --yes reloaded kvm_amd in order" diff <(printf 'modprobe -r kvm_amd\nmodprobe kvm_amd\n') \
	"$d/snp-host/applied.log"
d=$(variant fix-nonroot)
echo N >"$d/sys/module/kvm_amd/parameters/sev_snp"
echo 1000 >"$d/snp-host/euid"
mkdir -p "$d/etc/modprobe.d"
if "$bin" --fixture "$d" "$cap" --fix --yes >/dev/null 2>"$tmp/err.txt"; then rc=0; else rc=$?; fi
check "--fix --yes as non-root: exit 2" test "$rc" -eq 2
check "--fix --yes as non-root: says so" grep -q "needs root" "$tmp/err.txt"
check "--fix --yes as non-root: changes nothing" test ! -e "$d/etc/modprobe.d/snp-host.conf" -a ! -e "$d/snp-host/applied.log"
d=$(variant fix-bios)
set_line "$d/snp-host/msr" "c0010132" "c0010132 0000000000000000"
expect "--fix --yes with only manual steps: exit 1, nothing applied" "$d" 1 fw.rmp=FAIL \
	plan~'"kind": "manual"' -- "$cap" --fix --yes
check "--fix --yes with only manual steps wrote nothing" test ! -e "$d/snp-host/applied.log"
expect "--fix on a ready host: empty plan, exit 0" "$ready" 0 plan~'[]' -- "$cap" --fix
d=$(variant fix-intel)
set_line "$d/snp-host/cpuid" "00000000" "00000000 0 00000016 756e6547 6c65746e 49656e69"
echo N >"$d/sys/module/kvm_amd/parameters/sev_snp"
mkdir -p "$d/etc/modprobe.d"
expect "--fix --yes on an Intel host: one manual step, nothing applied" "$d" 1 \
	plan~'"for": "cpu.vendor"' -- "$cap" --fix --yes
check "--fix --yes on an Intel host changed nothing" test ! -e "$d/etc/modprobe.d/snp-host.conf" -a ! -e "$d/snp-host/applied.log"

# --- options and colour -------------------------------------------------------------
for bad in "--yes" "--target=bogus" "--kvm-vmpl-cap=x" "--color=sometimes" "--nope" "extra"; do
	if "$bin" --fixture "$ready" $bad >/dev/null 2>&1; then rc=0; else rc=$?; fi
	check "usage error ($bad): exit 2" test "$rc" -eq 2
done
"$bin" --fixture "$ready" "$cap" --color=always >"$tmp/colour.txt"
check "--color=always colours the table" grep -q $'\e\[32mPASS' "$tmp/colour.txt"
"$bin" --fixture "$ready" "$cap" >"$tmp/plain.txt"
check "no colour when stdout is not a TTY" bash -c "! grep -q $'\e' '$tmp/plain.txt'"
if command -v script >/dev/null; then
	script -qec "$bin --fixture $ready $cap" /dev/null >"$tmp/tty.txt"
	check "colour by default on a TTY" grep -q $'\e\[32mPASS' "$tmp/tty.txt"
else
	not_ok "colour by default on a TTY (script(1) from util-linux missing)"
fi

# --- live run on this machine ------------------------------------------------------
"$bin" --json >"$tmp/live.json" 2>"$tmp/live.err"
rc=$?
cat "$tmp/live.err"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["readiness"]["summary"]); [print(c["status"], c["id"], c["detail"]) for c in d["checks"]]' "$tmp/live.json"
if [ -e /dev/sev ] && grep -qw sev_snp /proc/cpuinfo; then
	not_ok "snp-host live: this machine looks like an SNP host; the live test expects a build machine without SNP"
else
	expect_live=(level:snp=no level:snp_svsm=no summary~"not an SNP host")
	# Say precisely why: the CPU leaf if SNP is absent from CPUID, else /dev/sev.
	if grep -qw sev_snp /proc/cpuinfo; then expect_live+=(kernel.dev_sev=FAIL); else expect_live+=(cpu.sev=FAIL); fi
	if [ "$rc" -eq 1 ] && python3 "$tmp/validate.py" "$tmp/live.json" "$rc" "${expect_live[@]}"; then
		ok "snp-host live: says this machine is not an SNP host (exit 1)"
	else
		not_ok "snp-host live: says this machine is not an SNP host (exit $rc)"
	fi
	if grep -q hypervisor /proc/cpuinfo; then
		check "snp-host live: notices it runs in a VM" python3 "$tmp/validate.py" "$tmp/live.json" "$rc" cpu.hypervisor=WARN
	fi
	"$bin" --json --fix >"$tmp/live-fix.json" 2>/dev/null
	frc=$?
	check "snp-host live --fix: no automatic step on this machine (exit 1)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
auto = [s for s in d["fix_plan"] if s["kind"] != "manual"]
sys.exit(1 if auto or int(sys.argv[2]) != 1 else 0)' "$tmp/live-fix.json" "$frc"
	if command -v setpriv >/dev/null; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$bin" --json >"$tmp/live-user.json" 2>/dev/null
		urc=$?
		check "snp-host live as nobody: same verdict, valid JSON" python3 "$tmp/validate.py" \
			"$tmp/live-user.json" "$urc" level:snp=no summary~"not an SNP host"
	fi
fi
