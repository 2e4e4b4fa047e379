# qemu-patches: QEMU built from Debian trixie's qemu source plus our series
# (docs/qemu.md). `make qemu` -> build/qemu/qemu-system-x86_64.
# Not part of `make all` (a cold build takes ~10+ min); suite 50-qemu-build runs it.

# The series links libcigvm once configure-flags enables igvm; build it first.
# (igvm-lib is defined by vmm-tools/module.mk.)
QEMU_PREREQS := $(if $(shell grep -l -- '--enable-igvm' $(TOP)/qemu-patches/configure-flags 2>/dev/null),igvm-lib)

.PHONY: qemu qemu-force qemu-export-patches
qemu: $(QEMU_PREREQS)
	@$(TOP)/scripts/deps.sh qemu
	@$(TOP)/qemu-patches/scripts/build-qemu.sh

# Rebuild even when the stamp matches.
qemu-force: $(QEMU_PREREQS)
	@$(TOP)/qemu-patches/scripts/build-qemu.sh --force

# Regenerate qemu-patches/*.patch and series from the commits in build/qemu/src.
qemu-export-patches:
	@$(TOP)/qemu-patches/scripts/export-patches.sh

# Test IGVM files for the IGVM launch patch (tests/suites/51-qemu-igvm.sh).
QEMU_TEST_OUT := $(BUILD)/qemu-tests
ALL_TARGETS += $(QEMU_TEST_OUT)/mkigvm-test
LINT_HOSTED_SRCS += $(TOP)/qemu-patches/tests/mkigvm-test.c
LINT_HOSTED_CFLAGS += -I$(TOP)/vmm-tools/igvm/include

$(QEMU_TEST_OUT)/mkigvm-test: $(TOP)/qemu-patches/tests/mkigvm-test.c $(BUILD)/vmm-tools/igvm/libcigvm.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(TOP)/vmm-tools/igvm/include -o $@ $< $(BUILD)/vmm-tools/igvm/libcigvm.a -lcrypto -lz
-include $(wildcard $(QEMU_TEST_OUT)/*.d)

# Host unit tests of the emulated SNP platform's pure-C model (extracted from
# our 01NN patches; see docs/snp-emulation.md).
-include $(TOP)/qemu-patches/snp-emu/module.mk
