# SVSM host stack: top-level build.
#
#   make run     boot an SVSM guest (emulated SNP platform where no SNP hardware)
#   make check   the whole test suite; ends with "N passed, N failed"
#   make bench   benchmarks (figures printed, never asserted)
#   make fuzz    longer fuzzing runs
#   make deps    install build/test dependencies from Debian's archive
#
# Components plug in through */module.mk fragments (see docs/build.md): they add
# to the variables below and define their own targets; nothing here names them.

SHELL := /bin/bash
.DEFAULT_GOAL := all
TOP := $(CURDIR)
BUILD := $(TOP)/build
CACHE := $(HOME)/.cache/svsm-stack
export TOP BUILD CACHE

CC := gcc
HOST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g -I$(TOP)/include -MMD -MP
ASAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -O1
# Freestanding code: only the compiler's own headers are reachable (no libc).
# (Recursively expanded: the compiler may not be installed yet when `make deps` runs.)
FREESTANDING_CFLAGS = -std=gnu11 -Wall -Wextra -Werror -ffreestanding -fno-builtin \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include 2>/dev/null) -I$(TOP)/include

# Filled by module.mk fragments.
ALL_TARGETS :=       # built by `make all` and before the tests
UNIT_TESTS :=        # host unit tests (cmocka): NAME_SRCS, NAME_CFLAGS, NAME_LIBS, NAME_DEPS
BENCH_TARGETS :=     # phony targets run by `make bench`
FUZZ_TARGETS :=      # phony targets run by `make fuzz`
RUN_TARGET :=        # what `make run` does (the newest capability sets it last)
LINT_HOSTED_SRCS :=  # C files checked by clang-tidy with hosted flags
LINT_HOSTED_CFLAGS :=
LINT_FREESTANDING_SRCS :=
LINT_FREESTANDING_CFLAGS :=

include $(sort $(wildcard */module.mk))

# `make run LAUNCH=libvirt`: the same guest, started as a libvirt domain.
ifeq ($(LAUNCH),libvirt)
RUN_TARGET := launch-libvirt-run
endif

.PHONY: all deps check run bench fuzz unit-tests format format-check tidy clean distclean

all: $(ALL_TARGETS) unit-tests

deps:
	@$(TOP)/scripts/deps.sh

# Unit tests: every test is built plain and with ASan+UBSan.
define unit_test_rules
$(BUILD)/unit/$(1): $($(1)_SRCS) $($(1)_DEPS)
	@mkdir -p $$(@D)
	$(CC) $(HOST_CFLAGS) $($(1)_CFLAGS) -o $$@ $($(1)_SRCS) $($(1)_LIBS) -lcmocka
$(BUILD)/unit-asan/$(1): $($(1)_SRCS) $($(1)_DEPS)
	@mkdir -p $$(@D)
	$(CC) $(HOST_CFLAGS) $(ASAN_CFLAGS) $($(1)_CFLAGS) -o $$@ $($(1)_SRCS) $($(1)_LIBS) -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rules,$(t))))
unit-tests: $(addprefix $(BUILD)/unit/,$(UNIT_TESTS)) $(addprefix $(BUILD)/unit-asan/,$(UNIT_TESTS))
-include $(wildcard $(BUILD)/unit/*.d $(BUILD)/unit-asan/*.d)

# The test driver builds what it needs itself (its first suite runs `make all`),
# so that a build failure is reported and counted like any other failure.
check: deps
	@$(TOP)/tests/run-tests.sh $(SUITES)

run: deps
ifeq ($(RUN_TARGET),)
	@echo "make run: no runnable component yet" >&2; exit 1
else
	@$(MAKE) --no-print-directory $(RUN_TARGET)
endif

# Sub-makes: flags from pkg-config are only right once `deps` has installed things.
bench: deps
	@$(MAKE) --no-print-directory all
	@set -e; for b in $(BENCH_TARGETS); do $(MAKE) --no-print-directory $$b; done

fuzz: deps
	@set -e; for f in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory $$f; done

# Sources under our formatting rules: everything we write in C (not patches).
FORMAT_SRCS = $(shell cd $(TOP) && { git ls-files -co --exclude-standard '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*'; } | grep -v -e '^build/' -e '/fixtures/')
format:
	clang-format -i $(FORMAT_SRCS)
format-check:
	clang-format --dry-run -Werror $(FORMAT_SRCS)

tidy:
	@$(TOP)/scripts/tidy.sh hosted "$(filter-out -MMD -MP,$(HOST_CFLAGS)) $(LINT_HOSTED_CFLAGS)" $(LINT_HOSTED_SRCS)
	@$(TOP)/scripts/tidy.sh freestanding "$(FREESTANDING_CFLAGS) $(LINT_FREESTANDING_CFLAGS)" $(LINT_FREESTANDING_SRCS)

clean:
	rm -rf $(BUILD)
distclean: clean
	rm -rf $(CACHE)

print-unit-tests:
	@echo $(UNIT_TESTS)
.PHONY: print-unit-tests
