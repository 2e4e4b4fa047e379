# upm/: libupm (host-side private-memory manager), its unit tests, and upm-convtest
# (a small VMM + guest payload exercising page conversions). See docs/upm.md.

UPM_OUT := $(BUILD)/upm
# Linux 6.12 uapi headers (guest_memfd & co.), ahead of /usr/include: see fetch-uapi.sh.
UPM_UAPI_STAMP := $(UPM_OUT)/uapi/source
UPM_CFLAGS := -isystem $(UPM_OUT)/uapi/include -I$(TOP)/upm/include -I$(TOP)/upm/lib

UPM_LIB_SRCS := $(addprefix upm/lib/,page-bitmap.c upm.c convert.c exit.c kvm-ops.c)
UPM_LIB_OBJS := $(patsubst upm/lib/%.c,$(UPM_OUT)/lib/%.o,$(UPM_LIB_SRCS))
UPM_LIB := $(UPM_OUT)/libupm.a

$(UPM_UAPI_STAMP): upm/scripts/fetch-uapi.sh
	@mkdir -p $(UPM_OUT)
	upm/scripts/fetch-uapi.sh $(UPM_OUT)/uapi

$(UPM_OUT)/lib/%.o: upm/lib/%.c $(UPM_UAPI_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(UPM_CFLAGS) -c -o $@ $<

$(UPM_LIB): $(UPM_LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

-include $(wildcard $(UPM_OUT)/lib/*.d $(UPM_OUT)/convtest/*.d)

# --- Guest payload: freestanding 64-bit code linked at its load address, flat binary.
UPM_GUEST_SRCS := upm/guest/entry.S upm/guest/guest.c
UPM_GUEST_CFLAGS := $(FREESTANDING_CFLAGS) -m64 -O2 -mno-red-zone -mno-sse -mno-mmx \
	-mno-80387 -mgeneral-regs-only -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -mcmodel=small \
	-I$(TOP)/upm/convtest
UPM_GUEST_ELF := $(UPM_OUT)/guest/guest.elf
UPM_GUEST_BIN := $(UPM_OUT)/guest/guest.bin

$(UPM_OUT)/guest/%.o: upm/guest/%.c
	@mkdir -p $(@D)
	$(CC) $(UPM_GUEST_CFLAGS) -MMD -MP -c -o $@ $<
$(UPM_OUT)/guest/%.o: upm/guest/%.S
	@mkdir -p $(@D)
	$(CC) $(UPM_GUEST_CFLAGS) -MMD -MP -c -o $@ $<
-include $(wildcard $(UPM_OUT)/guest/*.d)

$(UPM_GUEST_ELF): $(UPM_OUT)/guest/entry.o $(UPM_OUT)/guest/guest.o upm/guest/guest.ld
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wl,-T,upm/guest/guest.ld -o $@ \
		$(UPM_OUT)/guest/entry.o $(UPM_OUT)/guest/guest.o
$(UPM_GUEST_BIN): $(UPM_GUEST_ELF)
	objcopy -O binary $< $@

# --- upm-convtest: statically linked (it runs from a busybox initramfs), guest embedded.
UPM_CONVTEST_SRCS := $(addprefix upm/convtest/,main.c vm.c scenarios.c report.c)
UPM_CONVTEST_OBJS := $(patsubst upm/convtest/%.c,$(UPM_OUT)/convtest/%.o,$(UPM_CONVTEST_SRCS)) \
	$(UPM_OUT)/convtest/payload.o
UPM_CONVTEST := $(UPM_OUT)/upm-convtest

$(UPM_OUT)/convtest/%.o: upm/convtest/%.c $(UPM_UAPI_STAMP)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(UPM_CFLAGS) -Iupm/convtest -c -o $@ $<
$(UPM_OUT)/convtest/payload.o: upm/convtest/payload.S $(UPM_GUEST_BIN)
	@mkdir -p $(@D)
	$(CC) -c -DUPM_GUEST_BIN='"$(UPM_GUEST_BIN)"' -o $@ $<
$(UPM_CONVTEST): $(UPM_CONVTEST_OBJS) $(UPM_LIB)
	$(CC) -static -o $@ $(UPM_CONVTEST_OBJS) $(UPM_LIB) -lpthread

# --- Nested run: initramfs with the tool, booted on the kernel pipeline's bzImage.
UPM_INITRAMFS := $(UPM_OUT)/initramfs.cpio.gz
$(UPM_INITRAMFS): $(UPM_CONVTEST) upm/scripts/make-initramfs.sh upm/scripts/init.sh
	upm/scripts/make-initramfs.sh $(UPM_CONVTEST) $@

.PHONY: upm upm-nested upm-stress upm-bench upm-bench-host
upm: $(UPM_LIB) $(UPM_CONVTEST) $(UPM_INITRAMFS) $(UPM_OUT)/upm-bench-host
upm-nested: $(UPM_INITRAMFS)
	upm/scripts/run-nested.sh $(UPM_INITRAMFS) -- check
# 100k random conversions (2 vCPUs x 50k) with audits every 1000, nested.
upm-stress: $(UPM_INITRAMFS)
	upm/scripts/run-nested.sh $(UPM_INITRAMFS) -- stress
# Figures only: the nested run's conversions/s and exits per range, and libupm's own cost.
upm-bench: $(UPM_INITRAMFS) upm-bench-host
	@upm/scripts/run-nested.sh $(UPM_INITRAMFS) -- bench
upm-bench-host: $(UPM_OUT)/upm-bench-host
	@$(UPM_OUT)/upm-bench-host
$(UPM_OUT)/upm-bench-host: upm/tests/bench-convert.c $(UPM_LIB)
	$(CC) $(HOST_CFLAGS) $(UPM_CFLAGS) -o $@ $< $(UPM_LIB) -lpthread

ALL_TARGETS += upm
BENCH_TARGETS += upm-bench

# --- Unit tests (cmocka, fake ops: no /dev/kvm needed).
UNIT_TESTS += upm-bitmap upm-convert
upm-bitmap_SRCS := upm/tests/test-page-bitmap.c upm/lib/page-bitmap.c
upm-bitmap_CFLAGS := $(UPM_CFLAGS)
upm-convert_SRCS := upm/tests/test-convert.c upm/tests/fake-ops.c \
	$(filter-out upm/lib/kvm-ops.c,$(UPM_LIB_SRCS))
upm-convert_CFLAGS := $(UPM_CFLAGS) -Iupm/tests
upm-convert_DEPS := $(UPM_UAPI_STAMP) upm/tests/fake-ops.h

# clang-tidy needs the uapi headers too.
tidy: $(UPM_UAPI_STAMP)
LINT_HOSTED_SRCS += $(UPM_LIB_SRCS) $(UPM_CONVTEST_SRCS) upm/tests/test-page-bitmap.c \
	upm/tests/test-convert.c upm/tests/fake-ops.c upm/tests/bench-convert.c
LINT_HOSTED_CFLAGS += $(UPM_CFLAGS) -Iupm/convtest -Iupm/tests
LINT_FREESTANDING_SRCS += upm/guest/guest.c
LINT_FREESTANDING_CFLAGS += -I$(TOP)/upm/convtest
