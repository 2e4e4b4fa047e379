# vmm-tools/snp-host: check and prepare an SEV-SNP host (docs/snp-host.md).
# Included from vmm-tools/module.mk; adds to the shared variables only.
SNP_HOST_SRC := $(TOP)/vmm-tools/snp-host
SNP_HOST_OUT := $(BUILD)/vmm-tools/snp-host
SNP_HOST_LIB_SRCS := $(filter-out $(SNP_HOST_SRC)/src/main.c,$(sort $(wildcard $(SNP_HOST_SRC)/src/*.c)))
# Library headers as system headers, so clang-tidy checks only our code.
SNP_HOST_CFLAGS := -I$(SNP_HOST_SRC)/src \
	$(patsubst -I%,-isystem %,$(shell pkg-config --cflags json-c libxml-2.0 2>/dev/null))
SNP_HOST_LIBS := $(shell pkg-config --libs json-c libxml-2.0 2>/dev/null || echo -ljson-c -lxml2) -lz
SNP_HOST_HEADERS := $(wildcard $(SNP_HOST_SRC)/src/*.h) $(TOP)/include/x86/cpuid.h \
	$(TOP)/include/x86/cpuid-sev.h $(TOP)/include/x86/msr-amd.h \
	$(TOP)/include/sev/snp-firmware.h $(TOP)/include/sev/snp-platform-status.h \
	$(TOP)/include/sev/sev-ioctl.h

ALL_TARGETS += $(SNP_HOST_OUT)/snp-host
LINT_HOSTED_SRCS += $(SNP_HOST_LIB_SRCS) $(SNP_HOST_SRC)/src/main.c $(wildcard $(SNP_HOST_SRC)/tests/*.c)
LINT_HOSTED_CFLAGS += $(SNP_HOST_CFLAGS)

$(SNP_HOST_OUT)/snp-host: $(SNP_HOST_LIB_SRCS) $(SNP_HOST_SRC)/src/main.c $(SNP_HOST_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(SNP_HOST_CFLAGS) -o $@ \
		$(SNP_HOST_LIB_SRCS) $(SNP_HOST_SRC)/src/main.c $(SNP_HOST_LIBS)

.PHONY: snp-host
snp-host: $(SNP_HOST_OUT)/snp-host

# Unit tests (cmocka): parsers, and the checks against an in-memory provider.
UNIT_TESTS += snp-host-parse snp-host-checks
snp-host-parse_SRCS := $(SNP_HOST_SRC)/tests/test_parse.c $(SNP_HOST_SRC)/src/parse.c
snp-host-parse_CFLAGS := $(SNP_HOST_CFLAGS)
snp-host-parse_LIBS := $(SNP_HOST_LIBS)
snp-host-parse_DEPS := $(SNP_HOST_HEADERS)
snp-host-checks_SRCS := $(SNP_HOST_SRC)/tests/test_checks.c $(SNP_HOST_LIB_SRCS)
snp-host-checks_CFLAGS := $(SNP_HOST_CFLAGS)
snp-host-checks_LIBS := $(SNP_HOST_LIBS)
snp-host-checks_DEPS := $(SNP_HOST_HEADERS)
