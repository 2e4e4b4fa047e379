# vmm-tools/virt: svsm-virt, SVSM guests as libvirt domains (docs/launch.md).
# Included from vmm-tools/module.mk; adds to the shared variables only.
VIRT_SRC := $(TOP)/vmm-tools/virt
VIRT_OUT := $(BUILD)/vmm-tools/virt
VIRT_LIB_SRCS := $(filter-out $(VIRT_SRC)/src/main.c,$(sort $(wildcard $(VIRT_SRC)/src/*.c)))
# -isystem: clang-tidy must not check libxml2's own headers.
VIRT_CFLAGS := -I$(VIRT_SRC)/src $(patsubst -I%,-isystem %,$(shell pkg-config --cflags libvirt libxml-2.0 2>/dev/null))
VIRT_LIBS := $(shell pkg-config --libs libvirt libxml-2.0 2>/dev/null || echo -lvirt -lxml2) -lcrypto
VIRT_HEADERS := $(wildcard $(VIRT_SRC)/src/*.h) $(TOP)/include/sev/snp-firmware.h \
	$(TOP)/include/igvm/igvm-format.h $(TOP)/include/x86/cpuid-sev.h

ALL_TARGETS += $(VIRT_OUT)/svsm-virt
LINT_HOSTED_SRCS += $(VIRT_LIB_SRCS) $(VIRT_SRC)/src/main.c $(wildcard $(VIRT_SRC)/tests/*.c)
LINT_HOSTED_CFLAGS += $(VIRT_CFLAGS)

$(VIRT_OUT)/svsm-virt: $(VIRT_LIB_SRCS) $(VIRT_SRC)/src/main.c $(VIRT_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(VIRT_CFLAGS) -o $@ \
		$(VIRT_LIB_SRCS) $(VIRT_SRC)/src/main.c $(VIRT_LIBS)

.PHONY: svsm-virt
svsm-virt: $(VIRT_OUT)/svsm-virt

# Unit tests (cmocka): configuration checks, XML structure against the installed
# libvirt schema, domain-capabilities parsing. No daemon needed.
UNIT_TESTS += virt-config virt-xml virt-domcaps
define virt_unit
$(1)_SRCS := $(VIRT_SRC)/tests/$(2) $(VIRT_LIB_SRCS)
$(1)_CFLAGS := $(VIRT_CFLAGS)
$(1)_LIBS := $(VIRT_LIBS)
$(1)_DEPS := $(VIRT_HEADERS)
endef
$(eval $(call virt_unit,virt-config,test_config.c))
$(eval $(call virt_unit,virt-xml,test_xml.c))
$(eval $(call virt_unit,virt-domcaps,test_domcaps.c))
