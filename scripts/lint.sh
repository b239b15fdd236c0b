#!/bin/bash
# lint.sh - formatting and static analysis, as CI runs them.
#   clang-format (committed .clang-format) must leave every C file as is;
#   cppcheck and clang-tidy (committed .clang-tidy) must report nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '^examples/')
echo "lint: clang-format on ${#files[@]} files"
clang-format --dry-run --Werror "${files[@]}"

mapfile -t srcs < <(git ls-files 'src/*.c' 'fuzz/*.c' 'bench/*.c')
echo "lint: cppcheck on ${#srcs[@]} files"
cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
        --enable=warning,portability,performance \
        --suppress=missingIncludeSystem -D_GNU_SOURCE \
        -Iinclude -Isrc/lib -Isrc/cli "${srcs[@]}"

# clang-tidy is slow (minutes on 2 cores), so it runs once per suite from
# scripts/test.sh (--tidy), not as part of every ctest run.
if [ "${1:-}" != "--tidy" ]; then
        echo "lint: clean (format, cppcheck)"
        exit 0
fi
echo "lint: clang-tidy"
dir=${2:-build}
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac
[ -f "$dir/compile_commands.json" ] || {
        echo "lint: $dir/compile_commands.json missing (build first)" >&2
        exit 1
}
mapfile -t lib < <(git ls-files 'src/*.c')
if ! out=$(clang-tidy --quiet -p "$dir" "${lib[@]}" 2>&1); then
        grep -v 'warnings generated' <<<"$out"
        echo "lint: clang-tidy FAILED"
        exit 1
fi
echo "lint: clean (format, cppcheck, clang-tidy)"
