# tests/: fragments of test tools below it (the top-level Makefile includes
# only */module.mk one level down).
include $(sort $(wildcard $(TOP)/tests/*/module.mk))
