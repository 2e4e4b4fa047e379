# launch-scripts: direct QEMU launcher and the libvirt flow (docs/launch.md).
# The tools they use come from vmm-tools/virt and vmm-tools/qmp.
.PHONY: launch-tools launch-libvirt-run
launch-tools: $(BUILD)/vmm-tools/virt/svsm-virt $(BUILD)/vmm-tools/qmp/svsm-qmp \
	$(BUILD)/vmm-tools/igvm/igvmtool

# `make run LAUNCH=libvirt` (the top-level Makefile selects it; see docs/launch.md).
launch-libvirt-run: launch-tools svsm
	@$(TOP)/scripts/deps.sh virt
	@$(TOP)/launch-scripts/run-libvirt.sh
