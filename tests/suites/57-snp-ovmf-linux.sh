#!/usr/bin/env bash
# timeout: 600
# Independent software on the emulated SEV-SNP platform (docs/snp-emulation.md,
# "OVMF and Linux on the emulated platform"): Debian's OVMF (trixie 2025.02)
# launched the KVM way (-bios, no IGVM file) and Debian's unmodified 6.12
# kernel booted by it, all under TCG.
#   - the launch digest (QMP query-sev-launch-measure) equals
#     `igvmtool measure --ovmf` for 1 and 2 vCPUs (ABI 56860 8.17 PAGE_INFO
#     chain: flash, metadata sections, reset-state VMSAs);
#   - OVMF reaches the UEFI shell with 2 vCPUs (its APs start from the SEV-ES
#     reset block after INIT-SIPI);
#   - sid's OVMF.amdsev.fd with kernel-hashes=on: the digest covers QEMU's SEV
#     hash table of kernel, initrd and command line (equal to igvmtool
#     measure --kernel), and that firmware boots the hashed kernel;
#   - Linux (2 vCPUs) reports SEV, SEV-ES and SEV-SNP active, runs at VMPL0
#     with the SNP CPUID table, starts its AP by SNP AP Creation, reaches
#     /init and powers off; the sev-guest driver
#     loads and its first Guest Request (an attestation report through
#     configfs-tsm) is refused, as the platform has no AMD-SP model.
# SNP_EMU_QEMU overrides the QEMU binary (default: the pipeline's build/qemu).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out="$BUILD/ovmf-linux"
qemu=${SNP_EMU_QEMU:-$BUILD/qemu/qemu-system-x86_64}
igvmtool="$BUILD/vmm-tools/igvm/igvmtool"
mkdir -p "$out"

if [ ! -x "$qemu" ]; then
	not_ok "QEMU at $qemu (make qemu)"
	exit 0
fi
# The firmware launch on the emulated platform arrives with snp-main's
# export (i386/sev: launch firmware with SEV metadata ...); a QEMU without it
# starts OVMF outside SNP. Its error text is in the binary when it has it.
if ! grep -qaF "OVMF metadata section" "$qemu"; then
	ok "OVMF/Linux on the emulated SNP platform # SKIP $qemu predates the firmware launch (export snp-main, make qemu)"
	exit 0
fi

# OVMF (trixie's ovmf package, as suite 30 fetches it) and the newest bookworm 6.12
# kernel package with the sev-guest modules: tests/ovmf-linux/guest-files.sh.
source "$TOP/tests/ovmf-linux/guest-files.sh"
ovmf_linux_files
check "OVMF.fd from Debian's ovmf package (trixie)" test -f "$ovmf"
check "Debian 6.12 kernel package unpacked (${kver:-none})" test -n "$vmlinuz"
# A copy beside the initramfs, for runs by hand (docs/snp-emulation.md).
[ -z "$vmlinuz" ] || cp "$vmlinuz" "$out/vmlinuz"
check "initramfs (busybox-static, /init, sev-guest and its ${#modules[@]} modules)" \
	tests/ovmf-linux/make-initramfs.sh "$out/initramfs.cpio.gz" "${modules[@]}"

# The guest CPU: EPYC-v4 (RDRAND, which OVMF's SEV-ES reset vector executes)
# with XSAVE and XSAVEC, as every SNP-capable processor: Linux requires XSAVEC
# or XSAVES in the CPUID page's 0Dh.1 (snp_cpuid_postprocess), else it
# terminates. XSAVES is not emulated by TCG (said explicitly, so QEMU does not
# warn); MONITOR is off, as KVM filters it from guests: with it OVMF parks its
# APs in an MWAIT loop after ExitBootServices, whose #VC nothing handles there.
cpu="EPYC-v4,-xsaves,-monitor"
run_qemu() { # SECONDS LOG extra-arguments... ($ovmf, $sev_opts: firmware, more sev-snp-guest options)
	local t=$1 log=$2
	shift 2
	rm -f "$log"
	timeout --kill-after=5 "$t" "$qemu" -L /usr/share/qemu -L /usr/share/seabios -accel tcg \
		-machine q35,confidential-guest-support=sev0 \
		-object "sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1${sev_opts:-}" \
		-bios "$ovmf" -m 1G -nodefaults -display none -no-reboot \
		-serial "file:$log" "$@"
}
b64hex() { base64 -d | od -An -v -tx1 | tr -d ' \n'; }
# boot_diag LOG STDERR: why a boot failed, for the CI summary ("# diag:"): the
# end of the serial console and QEMU's own messages (not TCG's feature warnings).
boot_diag() {
	diag_tail "$1" 12
	grep -av "TCG doesn't support requested feature" "$2" >"$2.diag" 2>/dev/null
	diag_tail "$2.diag" 8
}

# 1. Launch digest: QMP against igvmtool's independent model of QEMU + KVM.
for n in 1 2; do
	got=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-sev-launch-measure"}' \
		'{"execute":"quit"}' | run_qemu 60 "$out/measure$n.log" -cpu "$cpu" -smp "$n" -S -qmp stdio 2>&1 |
		sed -n 's/.*"data": *"\([^"]*\)".*/\1/p' | b64hex)
	want=$("$igvmtool" measure --ovmf "$ovmf" --vcpus "$n" --vcpu-type EPYC-v4 2>&1)
	check "launch digest of OVMF, $n vCPU(s), equals igvmtool measure --ovmf ($got)" \
		bash -c "[ -n '$got' ] && [ '$got' = '$want' ]"
done

# 2. OVMF to its shell, 2 vCPUs (MpInitLib starts the AP by INIT-SIPI-SIPI).
log="$out/ovmf-shell.log"
run_qemu 240 "$log" -cpu "$cpu" -smp 2 </dev/null >"$out/ovmf-shell.stderr" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
	grep -qa "Shell>" "$log" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "OVMF (2 vCPUs) reaches the UEFI shell on the emulated SNP platform" grep -qa "Shell>" "$log"
grep -qa "Shell>" "$log" || boot_diag "$log" "$out/ovmf-shell.stderr"

# 4 (first, it is quick). Measured direct boot: OVMF.amdsev.fd (sid's ovmf-amdsev)
# has the SEV hash table area; with kernel-hashes=on QEMU puts the SHA-256 of
# kernel, initrd and command line there (SNP_KERNEL_HASHES section, NORMAL page).
amdsev_dir="$out/ovmf-amdsev"
amdsev="$amdsev_dir/x/usr/share/ovmf/OVMF.amdsev.fd"
if [ ! -f "$amdsev" ]; then
	mkdir -p "$amdsev_dir"
	(cd "$amdsev_dir" && rm -f ./*.deb && apt-get download ovmf-amdsev/sid >/dev/null 2>&1 &&
		dpkg-deb -x ovmf-amdsev_*.deb x)
fi
check "OVMF.amdsev.fd from Debian's ovmf-amdsev package (sid)" test -f "$amdsev"
# no_timer_check (Documentation/admin-guide/kernel-parameters.txt): Linux's
# check_timer() counts timer ticks against a busy-wait, which a TCG vCPU on a
# loaded host can lose ("IO-APIC + timer doesn't work!" panic, seen once in
# ~150 boots at load 8); what it tests is QEMU's IO-APIC, not the SNP platform.
kcmd="console=ttyS0 no_timer_check"
kargs=(-kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" -append "$kcmd")
got=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-sev-launch-measure"}' \
	'{"execute":"quit"}' | ovmf="$amdsev" sev_opts=,kernel-hashes=on run_qemu 60 "$out/measure-hashes.log" \
	-cpu "$cpu" -S -qmp stdio "${kargs[@]}" 2>&1 |
	sed -n 's/.*"data": *"\([^"]*\)".*/\1/p' | b64hex)
want=$("$igvmtool" measure --ovmf "$amdsev" --vcpu-type EPYC-v4 --kernel "$vmlinuz" \
	--initrd "$out/initramfs.cpio.gz" --append "$kcmd" 2>&1)
check "launch digest with kernel hashes (OVMF.amdsev) equals igvmtool measure --kernel ($got)" \
	bash -c "[ -n '$got' ] && [ '$got' = '$want' ]"
log="$out/linux-hashes.log"
ovmf="$amdsev" sev_opts=,kernel-hashes=on run_qemu 300 "$log" -cpu "$cpu" -smp 2 "${kargs[@]}" \
	</dev/null >"$out/linux-hashes.stderr" 2>&1
check "OVMF.amdsev boots the hashed kernel: SNP active at /init, power-off" \
	bash -c "grep -qa 'Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP' '$log' && grep -qa 'ovmf-linux: init reached' '$log' && grep -qa 'reboot: Power down' '$log'"
grep -qa 'reboot: Power down' "$log" || boot_diag "$log" "$out/linux-hashes.stderr"

# 3. Linux booted by OVMF (-kernel: fw_cfg, the EFI stub), 2 vCPUs.
log="$out/linux.log"
run_qemu 300 "$log" -cpu "$cpu" -smp 2 -kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" \
	-append "$kcmd" </dev/null >"$out/linux.stderr" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -qa 'reboot: Power down' "$log" || boot_diag "$log" "$out/linux.stderr"
check "Linux: Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP" \
	grep -qa "Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP" "$log"
check "Linux: SNP running at VMPL0 with the SNP CPUID table" \
	bash -c "grep -qa 'SEV: SNP running at VMPL0' '$log' && grep -qa 'SEV: Using SNP CPUID table' '$log'"
# XSAVEC in the CPUID page's 0Dh.1: Linux sizes its compacted XSAVE area from
# the CPUID page (snp_cpuid_postprocess) and then uses XSAVEC/XRSTOR.
check "Linux: XSAVE on, compacted format (XSAVEC, CPUID page 0Dh.1)" \
	grep -qa "x86/fpu: Enabled xstate features .*using 'compacted' format" "$log"
# Every MSR Linux touches is answered as KVM answers it through the GHCB MSR event
# (GHCB spec 56421 4.1.3; SYSCFG/VM_CR read as 0, NB_CFG writes dropped): no #GP.
check "Linux: no unchecked MSR access error (GHCB MSR event answers as KVM)" \
	bash -c "! grep -qa 'unchecked MSR access error' '$log'"
check "Linux reaches /init and reports SEV-SNP there (dmesg)" \
	bash -c "grep -qa 'ovmf-linux: init reached' '$log' && sed -n '/ovmf-linux: dmesg begin/,/ovmf-linux: dmesg end/p' '$log' | grep -qa 'SEV-SNP'"
check "Linux starts its AP by SNP AP Creation (wakeup_cpu_via_vmgexit, 2 CPUs online)" \
	bash -c "grep -qa 'wakeup_cpu_via_vmgexit' '$log' && grep -qa 'smp: Brought up 1 node, 2 CPUs' '$log' && grep -qa 'ovmf-linux: cpus online 0-1' '$log'"
check "Linux powers off (ACPI S5 through the GHCB), QEMU exits 0 (got $rc)" \
	bash -c "[ $rc -eq 0 ] && grep -qa 'reboot: Power down' '$log'"
# /dev/sev-guest: the driver probes (secrets page, VMPCK0); its Guest Request
# is refused (no AMD-SP model), and Linux then disables VMPCK0.
check "Linux: sev-guest driver initialized (/dev/sev-guest, VMPCK0)" \
	bash -c "grep -qa 'ovmf-linux: /dev/sev-guest present' '$log' && grep -qa 'Initialized SEV guest driver (using VMPCK0' '$log'"
check "Linux: the Guest Request for a report is refused and VMPCK0 disabled (no AMD-SP model)" \
	bash -c "grep -qa 'Detected error from ASP request' '$log' && grep -qa 'Disabling VMPCK0' '$log'"
