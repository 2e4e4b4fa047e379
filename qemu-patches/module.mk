# qemu-patches: QEMU built from Debian trixie's qemu source plus our series
# (docs/qemu.md). `make qemu` -> build/qemu/qemu-system-x86_64.
# Not part of `make all` (a cold build takes ~10+ min); suite 50-qemu-build runs it.

# The series links libcigvm once configure-flags enables igvm; build it first.
QEMU_PREREQS := $(if $(and $(wildcard $(TOP)/vmm-tools/igvm/module.mk),$(shell grep -l -- '--enable-igvm' $(TOP)/qemu-patches/configure-flags 2>/dev/null)),igvm-lib)

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
