# SVSM: freestanding C kernel (see docs/svsm.md). Outputs under $(BUILD)/svsm/.
SVSM_OUT := $(BUILD)/svsm
SVSM_INC := -I$(TOP)/svsm/inc -I$(TOP)/svsm/src/platform/native
SVSM_KFLAGS := $(FREESTANDING_CFLAGS) $(SVSM_INC) -O2 -g -MMD -MP -mno-red-zone \
	-mcmodel=kernel -fno-pic -fno-pie -mgeneral-regs-only -fno-omit-frame-pointer \
	-mno-omit-leaf-frame-pointer -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fcf-protection=none -fno-strict-aliasing
SVSM_LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
	-T $(TOP)/svsm/linker.ld

# Kernel sources; *_test.c beside the code are host unit tests, not kernel code.
SVSM_SRCS := $(filter-out %_test.c,$(sort $(wildcard $(addprefix svsm/src/,*.c lib/*.c mm/*.c \
	arch/x86_64/*.c arch/x86_64/*.S platform/*.c platform/native/*.c platform/native/*.S \
	protocol/*.c platform/snp/*.c platform/snp/*.S))))
SVSM_KTEST_SRCS := $(sort $(wildcard svsm/src/test/*.c))
SVSM_CORE_SRCS := $(filter-out %_test.c,$(wildcard svsm/src/protocol/*.c))

# svsm_flavour NAME, OBJDIR, EXTRA_CFLAGS, EXTRA_SRCS: two-pass link with an embedded
# symbol table; the build fails if code moved between the passes.
define svsm_flavour
$(2)/%.o: svsm/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(SVSM_KFLAGS) $(3) -c $$< -o $$@
$(2)/%.o: svsm/%.S
	@mkdir -p $$(@D)
	$$(CC) $$(SVSM_KFLAGS) $(3) -c $$< -o $$@
$(1)_OBJS := $$(patsubst svsm/%,$(2)/%.o,$$(basename $$(SVSM_SRCS) $(4)))
-include $$($(1)_OBJS:.o=.d)
$(SVSM_OUT)/$(1).pass1.elf: $$($(1)_OBJS) svsm/linker.ld svsm/scripts/gen-symtab.sh
	svsm/scripts/gen-symtab.sh > $(2)/symtab-empty.S
	$$(CC) -c $(2)/symtab-empty.S -o $(2)/symtab-empty.o
	ld $$(SVSM_LDFLAGS) -o $$@ $$($(1)_OBJS) $(2)/symtab-empty.o
$(SVSM_OUT)/$(1).elf: $(SVSM_OUT)/$(1).pass1.elf
	svsm/scripts/gen-symtab.sh $$< > $(2)/symtab.S
	$$(CC) -c $(2)/symtab.S -o $(2)/symtab.o
	ld $$(SVSM_LDFLAGS) -o $$@ $$($(1)_OBJS) $(2)/symtab.o
	@cmp -s <(nm -n $$< | grep -i ' t ') <(nm -n $$@ | grep -i ' t ') || \
		{ echo "svsm: code moved between link passes" >&2; rm -f $$@; exit 1; }
$(SVSM_OUT)/$(1).bin: $(SVSM_OUT)/$(1).elf
	objcopy -O binary $$< $$@
endef
$(eval $(call svsm_flavour,svsm,$(SVSM_OUT)/obj,,))
$(eval $(call svsm_flavour,svsm-test,$(SVSM_OUT)/obj-test,-DSVSM_TEST_BUILD,$(SVSM_KTEST_SRCS)))

# Host tool that moves the multiboot load address (runs the same image elsewhere).
$(SVSM_OUT)/mbpatch: svsm/tools/mbpatch.c svsm/tools/mb1_relocate.c svsm/tools/mb1_relocate.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ svsm/tools/mbpatch.c svsm/tools/mb1_relocate.c

# Host tool printing the hostile-request table the tests run (docs/svsm-protocol.md).
$(SVSM_OUT)/protocol-table: svsm/tools/protocol-table.c svsm/src/test/protocol_cases.c \
		svsm/src/test/protocol_cases.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ svsm/tools/protocol-table.c svsm/src/test/protocol_cases.c

# The VMPL2 test guest (tests/svsm-guest, docs/svsm-guest.md): a flat image linked at
# SVSM_GUEST_LOAD_PA, padded to its end so that its zeroed data is launch data as well.
SVSM_GUEST_OUT := $(BUILD)/svsm-guest
SVSM_GUEST_SRCS := $(filter-out %host_test.c,$(sort $(wildcard tests/svsm-guest/*.c tests/svsm-guest/*.S))) \
	svsm/src/test/protocol_cases.c
SVSM_GUEST_CFLAGS := $(FREESTANDING_CFLAGS) -Itests/svsm-guest -Isvsm/src/test -O2 -g -MMD -MP \
	-mno-red-zone -mcmodel=small -fno-pic -fno-pie -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-strict-aliasing \
	-fno-omit-frame-pointer
SVSM_GUEST_OBJS := $(addprefix $(SVSM_GUEST_OUT)/,$(addsuffix .o,$(notdir $(basename $(SVSM_GUEST_SRCS)))))
-include $(SVSM_GUEST_OBJS:.o=.d)
$(SVSM_GUEST_OUT)/%.o: tests/svsm-guest/%.c
	@mkdir -p $(@D)
	$(CC) $(SVSM_GUEST_CFLAGS) -c $< -o $@
$(SVSM_GUEST_OUT)/%.o: tests/svsm-guest/%.S
	@mkdir -p $(@D)
	$(CC) $(SVSM_GUEST_CFLAGS) -c $< -o $@
$(SVSM_GUEST_OUT)/protocol_cases.o: svsm/src/test/protocol_cases.c
	@mkdir -p $(@D)
	$(CC) $(SVSM_GUEST_CFLAGS) -c $< -o $@
$(SVSM_GUEST_OUT)/guest.elf: $(SVSM_GUEST_OBJS) tests/svsm-guest/guest.ld
	ld -nostdlib -static -z max-page-size=4096 -z noexecstack --no-warn-rwx-segments \
		-T tests/svsm-guest/guest.ld -o $@ $(SVSM_GUEST_OBJS)
$(SVSM_GUEST_OUT)/guest.bin: $(SVSM_GUEST_OUT)/guest.elf
	objcopy -O binary $< $@
	truncate -s $$(( 0x$$(nm $< | awk '$$3 == "__image_end" {print $$1}') - \
		0x$$(nm $< | awk '$$3 == "__image_start" {print $$1}') )) $@
.PHONY: svsm-guest
svsm-guest: $(SVSM_GUEST_OUT)/guest.bin

# SEV-SNP image (docs/svsm.md "IGVM layout"): the flat image padded to the whole SVSM region
# (so every SVSM page is launch-validated), entered at svsm_entry_snp32 in 32-bit mode (it must sit at SVSM_DEFAULT_LOAD_PA), with the
# secrets page, CPUID page and two IGVM parameter pages just below the region.
SVSM_IGVM_LOAD := 0x1000000
SVSM_IGVM_TOOL := $(BUILD)/vmm-tools/igvm/igvmtool
$(SVSM_OUT)/%.igvm: $(SVSM_OUT)/%.bin $(SVSM_OUT)/%.elf $(SVSM_IGVM_TOOL) $(SVSM_GUEST_OUT)/guest.bin
	cp $(SVSM_OUT)/$*.bin $(SVSM_OUT)/$*-region.bin
	truncate -s 8M $(SVSM_OUT)/$*-region.bin
	entry=$$(( $(SVSM_IGVM_LOAD) + 0x$$(nm $(SVSM_OUT)/$*.elf | \
		awk '$$3 == "svsm_entry_snp32" {print $$1}') - 0xffffffff80000000 )) && \
	$(SVSM_IGVM_TOOL) build -o $@ --svsm $(SVSM_OUT)/$*-region.bin \
		--svsm-addr $(SVSM_IGVM_LOAD) --entry $$entry \
		--secrets-addr $$(( $(SVSM_IGVM_LOAD) - 0x4000 )) \
		--cpuid-addr $$(( $(SVSM_IGVM_LOAD) - 0x3000 )) \
		--param-addr $$(( $(SVSM_IGVM_LOAD) - 0x2000 )) \
		--payload $(SVSM_GUEST_OUT)/guest.bin --payload-addr 0x2000000

# Host figures for the core protocol (make bench).
$(SVSM_OUT)/protocol-bench: svsm/tools/protocol-bench.c $(SVSM_CORE_SRCS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -O2 -Isvsm/inc -o $@ svsm/tools/protocol-bench.c $(SVSM_CORE_SRCS)

.PHONY: svsm svsm-run svsm-bench svsm-igvm
svsm-igvm: $(SVSM_OUT)/svsm.igvm $(SVSM_OUT)/svsm-test.igvm
# `make svsm` includes the IGVM image the SNP platform boots (build/svsm/svsm.igvm).
svsm: $(SVSM_OUT)/svsm.elf $(SVSM_OUT)/svsm.bin $(SVSM_OUT)/svsm-test.elf \
	$(SVSM_OUT)/svsm-test.bin $(SVSM_OUT)/mbpatch $(SVSM_OUT)/protocol-table \
	$(SVSM_GUEST_OUT)/guest.bin $(SVSM_OUT)/svsm.igvm
ALL_TARGETS += svsm

# The SVSM with its VMPL2 guest on the emulated SNP platform when the QEMU has it (account of
# the guest's calls), else the IGVM file booted natively (svsm/scripts/run.sh).
svsm-run: svsm svsm-igvm
	@svsm/scripts/run.sh
# The native SVSM boot is the baseline `make run`; a fragment providing a fuller capability
# (e.g. the SNP launch) may set RUN_TARGET, and it wins even though it is included earlier.
ifeq ($(strip $(RUN_TARGET)),)
RUN_TARGET := svsm-run
endif

svsm-bench: svsm svsm-igvm $(SVSM_OUT)/protocol-bench
	@svsm/scripts/bench.sh
	@$(SVSM_OUT)/protocol-bench
	@svsm/scripts/bench-snp.sh
BENCH_TARGETS += svsm-bench

# Host unit tests of the pure parts (run plain and with ASan+UBSan by the top Makefile).
SVSM_UT_CFLAGS := $(SVSM_INC) -DSVSM_HOST_TEST
UNIT_TESTS += svsm_buddy svsm_slab svsm_bitmap svsm_pgtable svsm_parsers svsm_core svsm_snp \
	svsm_igvm_params
svsm_buddy_SRCS := svsm/src/mm/buddy_test.c svsm/src/mm/buddy.c
svsm_buddy_CFLAGS := $(SVSM_UT_CFLAGS)
svsm_slab_SRCS := svsm/src/mm/slab_test.c svsm/src/mm/slab.c svsm/src/mm/buddy.c svsm/src/lib/bitmap.c
svsm_slab_CFLAGS := $(SVSM_UT_CFLAGS)
svsm_bitmap_SRCS := svsm/src/lib/bitmap_test.c svsm/src/lib/bitmap.c
svsm_bitmap_CFLAGS := $(SVSM_UT_CFLAGS)
svsm_pgtable_SRCS := svsm/src/mm/pgtable_test.c svsm/src/mm/pgtable.c
svsm_pgtable_CFLAGS := $(SVSM_UT_CFLAGS)
svsm_parsers_SRCS := svsm/src/platform/native/parsers_test.c svsm/src/platform/native/multiboot.c \
	svsm/src/platform/native/acpi.c svsm/src/lib/memmap.c svsm/src/lib/printf.c \
	svsm/tools/mb1_relocate.c
svsm_parsers_CFLAGS := $(SVSM_UT_CFLAGS)

svsm_igvm_params_SRCS := svsm/src/lib/igvm_params_test.c svsm/src/lib/igvm_params.c \
	svsm/src/lib/memmap.c
svsm_igvm_params_CFLAGS := $(SVSM_UT_CFLAGS)

# The VMPL2 test guest's single-vCPU checks against the real core on the host (until the
# emulated SNP platform runs the guest itself).
UNIT_TESTS += svsm_guest_host
svsm_guest_host_SRCS := tests/svsm-guest/host_test.c tests/svsm-guest/calls.c \
	tests/svsm-guest/table.c tests/svsm-guest/console.c svsm/src/test/protocol_cases.c \
	$(SVSM_CORE_SRCS)
svsm_guest_host_CFLAGS := $(SVSM_UT_CFLAGS) -Itests/svsm-guest -Isvsm/src/test

svsm_core_SRCS := svsm/src/protocol/core_test.c $(SVSM_CORE_SRCS) svsm/src/test/protocol_cases.c \
	svsm/src/test/protocol_harness.c
svsm_core_CFLAGS := $(SVSM_UT_CFLAGS)
svsm_core_LIBS := -lpthread
svsm_snp_SRCS := svsm/src/platform/snp/snp_test.c svsm/src/platform/snp/snp_env.c \
	svsm/src/platform/snp/vc_decode.c svsm/src/platform/snp/cpuid_page.c \
	svsm/src/platform/snp/valid_bitmap.c svsm/src/platform/snp/pvalidate_range.c \
	svsm/src/platform/snp/psc_batch.c svsm/src/platform/snp/vmsa_build.c \
	svsm/src/platform/snp/perm_ranges.c svsm/src/protocol/fake_rmp.c svsm/src/lib/memmap.c
svsm_snp_CFLAGS := $(SVSM_UT_CFLAGS)

LINT_FREESTANDING_SRCS += $(filter %.c,$(SVSM_SRCS) $(SVSM_KTEST_SRCS)) \
	$(filter-out %host_test.c,$(wildcard tests/svsm-guest/*.c))
LINT_FREESTANDING_CFLAGS += $(SVSM_INC) -DSVSM_TEST_BUILD -Itests/svsm-guest -Isvsm/src/test
LINT_HOSTED_SRCS += $(sort $(wildcard svsm/src/*/*_test.c svsm/src/*/*/*_test.c svsm/tools/*.c)) \
	tests/svsm-guest/host_test.c
LINT_HOSTED_CFLAGS += $(SVSM_INC) -Itests/svsm-guest -Isvsm/src/test
