#!/bin/bash
# test.sh - the README's second command: set up, build and run the whole
# suite: the tests (with lint), the unit tests under valgrind, a short fuzz
# run of every target, and the tests again under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh

bash scripts/build.sh build
(cd build && ctest --output-on-failure -j2)

bash scripts/lint.sh --tidy build
bash scripts/valgrind.sh build
bash scripts/fuzz.sh smoke

bash scripts/build.sh build-asan -DSW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        ctest --output-on-failure -j2)
