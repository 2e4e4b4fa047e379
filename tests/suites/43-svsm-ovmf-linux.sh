#!/usr/bin/env bash
# timeout: 600
# Our SVSM at VMPL0 with Debian's OVMF (trixie 2025.02) as the guest firmware at VMPL2, in
# one IGVM file (tests/svsm-ovmf/make-igvm.sh), on the emulated SEV-SNP platform (QEMU TCG),
# then Debian's unmodified 6.12 Linux booted by that OVMF (docs/svsm.md "OVMF and Linux at
# VMPL2"):
#   - the launch digest equals igvmtool measure;
#   - the SVSM runs outside the guest's RAM map, finds the firmware descriptor, gives OVMF's
#     pages to VMPL2, publishes itself in OVMF's secrets page and uses OVMF's calling area;
#   - OVMF starts from the reset vector at VMPL2, validates memory through
#     SVSM_CORE_PVALIDATE and reaches the UEFI shell;
#   - Linux reports SEV-SNP active at VMPL2 (it requires an SVSM there), moves its calling
#     area (SVSM_CORE_REMAP_CA), uses VMPCK2 for sev-guest, reaches /init, powers off.
#   - with 2 vCPUs: OVMF gets the vCPUs' APIC IDs from the host (GHCB Get APIC IDs, feature
#     bit 4) and starts its AP through SVSM_CORE_CREATE_VCPU; Linux brings up both CPUs the
#     same way. A QEMU without the Get APIC IDs event runs 1 vCPU and says so (SKIP).
# SNP_EMU_QEMU overrides the QEMU binary (default: the pipeline's build/qemu).
source "$TOP/tests/lib.sh"
cd "$TOP" || exit 1

out="$BUILD/svsm-ovmf"
qemu=${SNP_EMU_QEMU:-$BUILD/qemu/qemu-system-x86_64}
mkdir -p "$out"

if [ ! -x "$qemu" ]; then
	not_ok "QEMU at $qemu (make qemu)"
	exit 0
fi
# OVMF on the emulated platform needs snp-main's firmware work (GHCB MSR fallback, MMIO to
# no device, C-bit in CR3), exported with the firmware launch whose error text is checked.
if ! grep -qaF "OVMF metadata section" "$qemu"; then
	ok "SVSM + OVMF + Linux at VMPL2 # SKIP $qemu predates snp-main's OVMF work (make qemu)"
	exit 0
fi
check "SVSM image and igvmtool built (make svsm)" \
	test -f "$BUILD/svsm/svsm-region.bin" -a -f "$BUILD/svsm/svsm.elf" -a -x "$BUILD/vmm-tools/igvm/igvmtool"

# OVMF and the kernel: the same Debian packages as suites 30/57 (apt-get download).
source "$TOP/tests/ovmf-linux/guest-files.sh"
ovmf_linux_files
check "OVMF.fd (trixie) and a Debian 6.12 kernel (${kver:-none})" test -f "$ovmf" -a -n "$vmlinuz"
check "initramfs with sev-guest and its ${#modules[@]} modules" \
	tests/ovmf-linux/make-initramfs.sh "$out/initramfs.cpio.gz" "${modules[@]}"

igvm="$out/svsm-ovmf.igvm"
check "IGVM file: SVSM + OVMF + firmware descriptor (make-igvm.sh)" \
	env BUILD="$BUILD" tests/svsm-ovmf/make-igvm.sh "$ovmf" "$igvm"

# OVMF starts APs under an SVSM only with the host's APIC ID list (GHCB Get APIC IDs, NAE
# 8000_0017h, hypervisor feature bit 4; docs/svsm.md), and the AP Creation it issues after
# SVSM_CORE_CREATE_VCPU must continue the AP the SVSM started: snp-main's two commits with
# these functions.
smp=1
if grep -qaF nae_get_apic_ids "$qemu" && grep -qaF snp_ap_continues "$qemu"; then
	smp=2
fi

# The CPU model of suite 57 (RDRAND for OVMF's reset vector, XSAVE with XSAVEC as on every
# SNP part, XSAVES not emulated by TCG, no MONITOR as KVM filters it); 1 GiB so the SVSM
# at 0x7f000000 is outside RAM.
run() { # SECONDS LOG extra-arguments... (execs QEMU: call it in a subshell or pipeline)
	local t=$1 log=$2
	shift 2
	rm -f "$log"
	# exec: a caller that runs this in the background and kills $! stops QEMU too.
	exec timeout --kill-after=5 "$t" "$qemu" -L "$BUILD/qemu/share/qemu" -L /usr/share/qemu \
		-L /usr/share/seabios -accel tcg -cpu EPYC-v4,-xsaves,-monitor \
		-machine q35,confidential-guest-support=sev0,igvm-cfg=igvm0 \
		-object "igvm-cfg,id=igvm0,file=$igvm" \
		-object sev-snp-guest,id=sev0,cbitpos=51,reduced-phys-bits=1 \
		-m 1G -smp "${vcpus:-$smp}" -nodefaults -display none -no-reboot -serial "file:$log" "$@"
}

# 0. The launch digest the emulated AMD-SP computed (QMP) equals igvmtool's measure of the
#    file (ABI 56860 PAGE_INFO chain over the SVSM, OVMF, its metadata pages, the VMSA).
got=$(printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-sev-launch-measure"}' \
	'{"execute":"quit"}' | run 60 "$out/measure.log" -S -qmp stdio 2>&1 |
	sed -n 's/.*"data": *"\([^"]*\)".*/\1/p' | base64 -d | od -An -v -tx1 | tr -d ' \n')
want=$("$BUILD/vmm-tools/igvm/igvmtool" measure "$igvm" 2>&1)
check "launch digest of SVSM + OVMF equals igvmtool measure ($got)" \
	bash -c "[ -n '$got' ] && [ '$got' = '$want' ]"

# 1. OVMF alone: to the UEFI shell.
log="$out/shell.log"
rm -f "$log" # before the background start: the loop below must not see an old log
(run 180 "$log" </dev/null >"$out/shell.stderr" 2>&1) &
pid=$!
for _ in $(seq 1 180); do
	grep -qa "Shell>" "$log" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
check "SVSM placed outside the guest RAM map (0x7f000000), self-tests pass" \
	bash -c "grep -qa 'loaded at 0x7f000000' '$log' && grep -qa 'Self-test: 5 passed, 0 failed' '$log'"
check "SVSM launches OVMF: image granted to VMPL2, its secrets page and calling area used" \
	grep -qa "SNP: firmware at 0xffc00000 (0 pages not granted), secrets 0x80d000, CA 0x80f000" "$log"
check "OVMF at VMPL2 validates memory through SVSM_CORE_PVALIDATE" \
	grep -qa "SNP: first guest call: protocol 0 call 1 -> 0x0" "$log"
check "OVMF reaches the UEFI shell at VMPL2 ($smp vCPUs)" grep -qa "Shell>" "$log"
if [ "$smp" = 2 ]; then
	check "OVMF starts its AP at VMPL2 through SVSM_CORE_CREATE_VCPU (APIC IDs from the host)" \
		grep -qa "SNP: first guest call: protocol 0 call 2 -> 0x0" "$log"
else
	ok "OVMF starts its AP through SVSM_CORE_CREATE_VCPU # SKIP $qemu has no GHCB Get APIC IDs event (export snp-main, make qemu)"
fi

# Controls: the same launch with what the layout avoids must fail where expected.
# (a) The SVSM inside the guest's RAM (its default 0x1000000): OVMF validates all E820 RAM,
#     the SVSM refuses its own region (the 2 MiB entry at 0xe00000) and OVMF gives up.
# (b) A descriptor whose firmware range covers the SVSM is refused (nothing granted).
early() { # SECONDS LOG PATTERN: run until PATTERN appears in LOG (or QEMU ends)
	local t=$1 log=$2 pat=$3
	rm -f "$log"
	(run "$t" "$log" </dev/null >"$log.stderr" 2>&1) &
	local p=$!
	for _ in $(seq 1 "$t"); do
		grep -qa "$pat" "$log" 2>/dev/null && break
		kill -0 "$p" 2>/dev/null || break
		sleep 1
	done
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}
main_igvm=$igvm
igvm="$out/svsm-in-ram.igvm"
if env BUILD="$BUILD" SVSM_OVMF_LOAD=0x1000000 tests/svsm-ovmf/make-igvm.sh "$ovmf" "$igvm" >/dev/null; then
	vcpus=1 early 90 "$out/in-ram.log" "requested termination"
fi
check "control: SVSM inside RAM -> OVMF's PVALIDATE of the SVSM region refused, OVMF stops" \
	bash -c "grep -qa 'loaded at 0x1000000' '$out/in-ram.log' && grep -qa 'requested termination: reason set 0' '$out/in-ram.log.stderr' && ! grep -qa 'Shell>' '$out/in-ram.log'"
igvm="$out/svsm-bad-desc.igvm"
if env BUILD="$BUILD" SVSM_OVMF_DESC_FW_BASE=0x7f000000 tests/svsm-ovmf/make-igvm.sh "$ovmf" "$igvm" >/dev/null; then
	vcpus=1 early 60 "$out/bad-desc.log" "invalid firmware descriptor"
fi
check "control: a descriptor whose firmware range covers the SVSM is refused" \
	bash -c "grep -qa 'SNP: invalid firmware descriptor' '$out/bad-desc.log' && ! grep -qa 'SNP: firmware at' '$out/bad-desc.log'"
igvm=$main_igvm

# 2. Linux through OVMF's -kernel path (fw_cfg, EFI stub). no_timer_check: a TCG vCPU on a
#    loaded host can miss check_timer()'s tick window ('IO-APIC + timer doesn't work!', as
#    suite 57 saw once).
log="$out/linux.log"
(run 300 "$log" -kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" -append "console=ttyS0 no_timer_check" \
	</dev/null >"$out/linux.stderr" 2>&1)
rc=$?
check "Linux: Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP" \
	grep -qa "Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP" "$log"
check "Linux: SNP running at VMPL2 (with the SVSM)" grep -qa "SEV: SNP running at VMPL2\." "$log"
check "Linux moves its calling area (SVSM_CORE_REMAP_CA served)" \
	grep -qa "SNP: first guest call: protocol 0 call 0 -> 0x0" "$log"
check "Linux reaches /init" grep -qa "ovmf-linux: init reached" "$log"
check "Linux: sev-guest uses VMPCK2 (the key of its VMPL)" \
	grep -qa "Initialized SEV guest driver (using VMPCK2" "$log"
check "Linux powers off, QEMU exits 0 (got $rc)" \
	bash -c "[ $rc -eq 0 ] && grep -qa 'reboot: Power down' '$log'"
if [ "$smp" = 2 ]; then
	check "Linux brings up its second CPU through SVSM_CORE_CREATE_VCPU (2 CPUs online at /init)" \
		bash -c "grep -qa 'smp: Brought up 1 node, 2 CPUs' '$log' && grep -qa 'ovmf-linux: cpus online 0-1' '$log'"
else
	ok "Linux brings up 2 CPUs under the SVSM # SKIP $qemu has no GHCB Get APIC IDs event (export snp-main, make qemu)"
fi
