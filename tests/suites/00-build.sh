#!/usr/bin/env bash
# timeout: 1800
# Builds everything `make all` builds (components and unit tests, plain and ASan).
source "$TOP/tests/lib.sh"
check "make all" make -C "$TOP" --no-print-directory -j"$(nproc)" all
