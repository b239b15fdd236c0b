#!/bin/bash
# valgrind.sh [BUILD_DIR] - every unit test program under memcheck.
# Any memory error or leak fails the run.  The live tests load seccomp
# filters into forked children, where valgrind's own calls would be
# refused, so they run under ASan instead (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
mapfile -t progs < <(find "$dir/tests" -maxdepth 1 -type f -name 'unit_*' \
        -perm -u+x | sort)
[ ${#progs[@]} -gt 0 ] || { echo "valgrind: no unit tests in $dir" >&2; exit 1; }
for p in "${progs[@]}"; do
        log=$(mktemp)
        if ! SW_SOURCE_DIR=$PWD valgrind --quiet --error-exitcode=99 \
                --leak-check=full --show-leak-kinds=definite,indirect \
                --errors-for-leak-kinds=definite,indirect \
                --trace-children=no "$p" >"$log" 2>&1; then
                cat "$log"
                echo "valgrind: $(basename "$p") FAILED"
                rm -f "$log"
                exit 1
        fi
        rm -f "$log"
        echo "valgrind: $(basename "$p") clean"
done
echo "valgrind: ${#progs[@]} unit programs, 0 errors, 0 leaks"
