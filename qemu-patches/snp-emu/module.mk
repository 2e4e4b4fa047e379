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
$(SNP_EMU_SRCDIR)/snp-rmp.c $(SNP_EMU_SRCDIR)/snp-instr.c: $(SNP_EMU_STAMP)

SNP_EMU_CFLAGS := -I$(SNP_EMU_SRCDIR)
SNP_EMU_DEPS := $(SNP_EMU_STAMP) $(wildcard $(TOP)/include/sev/rmp-*.h)

UNIT_TESTS += snp_rmp snp_instr
snp_rmp_SRCS := $(SNP_EMU_DIR)/tests/test-snp-rmp.c $(SNP_EMU_SRCDIR)/snp-rmp.c
snp_rmp_CFLAGS := $(SNP_EMU_CFLAGS)
snp_rmp_DEPS := $(SNP_EMU_DEPS)
snp_instr_SRCS := $(SNP_EMU_DIR)/tests/test-snp-instr.c $(SNP_EMU_SRCDIR)/snp-instr.c \
	$(SNP_EMU_SRCDIR)/snp-rmp.c
snp_instr_CFLAGS := $(SNP_EMU_CFLAGS)
snp_instr_DEPS := $(SNP_EMU_DEPS)

LINT_HOSTED_SRCS += $(SNP_EMU_DIR)/tests/test-snp-rmp.c $(SNP_EMU_DIR)/tests/test-snp-instr.c
LINT_HOSTED_CFLAGS += $(SNP_EMU_CFLAGS)
# The tests include the extracted headers: extract before clang-tidy runs.
tidy: $(SNP_EMU_STAMP)
