# qemu-patches/snp-emu: host unit tests of the emulated SEV-SNP platform's pure-C
# model (RMP, PVALIDATE, RMPADJUST). The code under test exists only inside our
# QEMU patches (qemu-patches/01NN-*.patch); extract-sources.sh pulls the files out
# of them so the tests compile exactly what QEMU compiles (docs/snp-emulation.md).
#
# Not found by the top-level `*/module.mk` wildcard: qemu-patches/module.mk must
# include it (see docs/snp-emulation.md, "Build and tests").

SNP_EMU_DIR := $(TOP)/qemu-patches/snp-emu
SNP_EMU_SRCDIR := $(BUILD)/snp-emu/src/target/i386/tcg/system
SNP_EMU_PATCHES := $(sort $(wildcard $(TOP)/qemu-patches/01[0-9][0-9]-*.patch))
SNP_EMU_STAMP := $(BUILD)/snp-emu/extracted.stamp

$(SNP_EMU_STAMP): $(SNP_EMU_PATCHES) $(SNP_EMU_DIR)/extract-sources.sh
	@$(SNP_EMU_DIR)/extract-sources.sh $(BUILD)/snp-emu/src
	@touch $@

# The pure-C model files the patches add (QEMU glue is snp-emu*, see
# extract-sources.sh), known from the patches themselves so that a fresh clone
# can name them before they are extracted.
SNP_EMU_MODEL_SRCS := $(addprefix $(SNP_EMU_SRCDIR)/,$(sort $(filter-out snp-emu%,$(notdir \
	$(shell sed -n 's|^+++ b/target/i386/tcg/system/\(snp-[a-z0-9-]*\.c\)$$|\1|p' \
	$(SNP_EMU_PATCHES) /dev/null)))))
$(SNP_EMU_MODEL_SRCS): $(SNP_EMU_STAMP)

SNP_EMU_CFLAGS := -I$(SNP_EMU_SRCDIR)
SNP_EMU_DEPS := $(SNP_EMU_STAMP) $(wildcard $(TOP)/include/sev/*.h) $(wildcard $(SNP_EMU_DIR)/tests/*.h)

# One unit test per qemu-patches/snp-emu/tests/test-snp-NAME.c, named snp_NAME
# (dashes become underscores), linked with the whole model.
SNP_EMU_TEST_FILES := $(sort $(wildcard $(SNP_EMU_DIR)/tests/test-snp-*.c))
define snp_emu_test
UNIT_TESTS += snp_$(subst -,_,$(1))
snp_$(subst -,_,$(1))_SRCS := $(SNP_EMU_DIR)/tests/test-snp-$(1).c $(SNP_EMU_MODEL_SRCS)
snp_$(subst -,_,$(1))_CFLAGS := $(SNP_EMU_CFLAGS)
snp_$(subst -,_,$(1))_DEPS := $(SNP_EMU_DEPS)
endef
$(foreach t,$(patsubst test-snp-%.c,%,$(notdir $(SNP_EMU_TEST_FILES))),$(eval $(call snp_emu_test,$(t))))

LINT_HOSTED_SRCS += $(SNP_EMU_TEST_FILES)
LINT_HOSTED_CFLAGS += $(SNP_EMU_CFLAGS)
# The tests include the extracted headers: extract before clang-tidy runs.
tidy: $(SNP_EMU_STAMP)

# make bench: the RMP check's cost per access (the full-guest ratio is
# tests/snp-bench/snp-ratio.sh).
$(BUILD)/snp-emu/bench-rmp-check: $(SNP_EMU_DIR)/bench/bench-rmp-check.c $(SNP_EMU_MODEL_SRCS) $(SNP_EMU_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 $(SNP_EMU_CFLAGS) -I$(TOP)/include -o $@ \
		$(SNP_EMU_DIR)/bench/bench-rmp-check.c $(SNP_EMU_MODEL_SRCS)
snp-emu-bench: $(BUILD)/snp-emu/bench-rmp-check
	@$(BUILD)/snp-emu/bench-rmp-check
BENCH_TARGETS += snp-emu-bench
LINT_HOSTED_SRCS += $(SNP_EMU_DIR)/bench/bench-rmp-check.c
.PHONY: snp-emu-bench

# make fuzz: the pure-C GHCB hypervisor side (snp-ghcb.c) under libFuzzer.
SNP_GHCB_FUZZ := $(BUILD)/snp-emu/fuzz/fuzz-snp-ghcb
SNP_GHCB_FUZZ_TIME ?= 300
$(SNP_GHCB_FUZZ): $(SNP_EMU_DIR)/fuzz/fuzz-snp-ghcb.c $(SNP_EMU_MODEL_SRCS) $(SNP_EMU_DEPS)
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I$(TOP)/include \
		$(SNP_EMU_CFLAGS) -o $@ $< $(SNP_EMU_MODEL_SRCS)
.PHONY: snp-ghcb-fuzz
snp-ghcb-fuzz: $(SNP_GHCB_FUZZ)
	@mkdir -p $(BUILD)/snp-emu/fuzz/corpus
	$(SNP_GHCB_FUZZ) -max_total_time=$(SNP_GHCB_FUZZ_TIME) -max_len=2200 $(BUILD)/snp-emu/fuzz/corpus
FUZZ_TARGETS += snp-ghcb-fuzz
LINT_HOSTED_SRCS += $(SNP_EMU_DIR)/fuzz/fuzz-snp-ghcb.c
