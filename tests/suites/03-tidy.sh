#!/usr/bin/env bash
# timeout: 1200
source "$TOP/tests/lib.sh"
check "clang-tidy (make tidy)" make -C "$TOP" --no-print-directory tidy
