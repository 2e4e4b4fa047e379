# kvm-patches: Debian linux-source-6.12 + our KVM series, built and tested under QEMU TCG.
# Not part of ALL_TARGETS (a cold kernel build is long); the 6x-kernel suites call
# these targets. See docs/kernel-pipeline.md.
KP_SCRIPTS := $(TOP)/kvm-patches/scripts

.PHONY: kernel kernel-selftests kernel-boot-test kernel-kunit kernel-check-series
kernel:
	@$(KP_SCRIPTS)/build-kernel.sh
kernel-selftests: kernel
	@$(KP_SCRIPTS)/build-selftests.sh
kernel-boot-test: kernel-selftests
	@$(KP_SCRIPTS)/boot-selftests.sh
kernel-kunit: kernel
	@$(KP_SCRIPTS)/run-kunit.sh
kernel-check-series: kernel
	@$(KP_SCRIPTS)/check-series.sh
