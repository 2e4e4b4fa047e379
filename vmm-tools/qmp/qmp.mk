# vmm-tools/qmp: libqmp (QMP client on json-c) and the svsm-qmp CLI (docs/launch.md).
# Included from vmm-tools/module.mk; adds to the shared variables only.
QMP_SRC := $(TOP)/vmm-tools/qmp
QMP_OUT := $(BUILD)/vmm-tools/qmp
QMP_LIB_SRCS := $(sort $(wildcard $(QMP_SRC)/src/*.c))
QMP_CFLAGS := -I$(QMP_SRC)/include $(shell pkg-config --cflags json-c 2>/dev/null)
QMP_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
QMP_HEADERS := $(wildcard $(QMP_SRC)/include/*.h)
QMP_LIB_OBJS := $(patsubst $(QMP_SRC)/src/%.c,$(QMP_OUT)/obj/%.o,$(QMP_LIB_SRCS))

ALL_TARGETS += $(QMP_OUT)/libqmp.a $(QMP_OUT)/svsm-qmp
LINT_HOSTED_SRCS += $(QMP_LIB_SRCS) $(QMP_SRC)/tool/main.c $(QMP_SRC)/tests/test_qmp.c
LINT_HOSTED_CFLAGS += $(QMP_CFLAGS)

$(QMP_OUT)/obj/%.o: $(QMP_SRC)/src/%.c $(QMP_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(QMP_CFLAGS) -c -o $@ $<
$(QMP_OUT)/libqmp.a: $(QMP_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(QMP_OUT)/svsm-qmp: $(QMP_SRC)/tool/main.c $(QMP_OUT)/libqmp.a $(QMP_HEADERS)
	$(CC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(QMP_CFLAGS) -o $@ $< $(QMP_OUT)/libqmp.a $(QMP_LIBS)

.PHONY: svsm-qmp
svsm-qmp: $(QMP_OUT)/svsm-qmp

UNIT_TESTS += qmp-unit
qmp-unit_SRCS := $(QMP_SRC)/tests/test_qmp.c $(QMP_LIB_SRCS)
qmp-unit_CFLAGS := $(QMP_CFLAGS) -pthread
qmp-unit_LIBS := $(QMP_LIBS) -pthread
qmp-unit_DEPS := $(QMP_HEADERS)
