# include: shared ABI headers (see docs/abi.md). Header-only; the unit tests
# below check the encode/decode helpers against hand-computed values, and
# suite 10-abi-headers compiles every header alone in every mode.

ABI_TEST_DEPS := $(wildcard $(TOP)/include/sev/*.h $(TOP)/include/svsm/*.h $(TOP)/include/x86/*.h)

UNIT_TESTS += abi_ghcb_msr abi_psc abi_helpers
abi_ghcb_msr_SRCS := $(TOP)/include/tests/ghcb-msr-test.c
abi_ghcb_msr_DEPS := $(ABI_TEST_DEPS)
abi_psc_SRCS := $(TOP)/include/tests/psc-test.c
abi_psc_DEPS := $(ABI_TEST_DEPS)
abi_helpers_SRCS := $(TOP)/include/tests/abi-helpers-test.c
abi_helpers_DEPS := $(ABI_TEST_DEPS)

LINT_HOSTED_SRCS += $(abi_ghcb_msr_SRCS) $(abi_psc_SRCS) $(abi_helpers_SRCS)
