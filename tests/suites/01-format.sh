#!/usr/bin/env bash
# timeout: 300
# Gates: clang-format clean, cppcheck clean, clang-tidy clean.
source "$TOP/tests/lib.sh"
check "clang-format (make format-check)" make -C "$TOP" --no-print-directory format-check
