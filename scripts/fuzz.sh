#!/bin/bash
# fuzz.sh [SECONDS] [TARGET...] - build the libFuzzer targets with clang
# and run each for SECONDS (default 20: the CI smoke run; use 600 for the
# ten-minute run).  Seeds: fuzz/corpus/<target>/ (committed regression
# inputs), the real profiles and failure cases in ../shared, tests/data.
# A crash leaves crash-* in fuzz/findings/<target>/ and fails the run;
# commit such an input to fuzz/corpus/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
# "smoke" (what the suite runs): a fixed seed and a fixed number of runs,
# so the same tree always fuzzes the same inputs and a CI run cannot fail
# on a finding a developer's run never met.  A number: that many seconds
# of ordinary, randomly seeded fuzzing.
if [ "$secs" = smoke ]; then
        budget=(-seed=1 -runs=20000)
        secs="20000 runs, seed 1,"
else
        budget=(-max_total_time="$secs")
        secs="${secs}s"
fi
shift || true
CC=clang bash scripts/build.sh build-fuzz -DSW_FUZZ=ON \
        -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
        mapfile -t targets < <(cd fuzz && ls fuzz_*.c | sed 's/\.c$//')
fi
shared=../shared
for t in "${targets[@]}"; do
        name=${t#fuzz_}
        seeds=$(mktemp -d)
        mkdir -p "fuzz/corpus/$name" "fuzz/findings/$name"
        cp -r fuzz/corpus/"$name"/. "$seeds"/ 2>/dev/null || true
        case $name in
        reader | verify | canon)
                find tests/data examples data "$shared/cases" \
                        "$shared/real-inputs" -name '*.json' \
                        -size -1000k 2>/dev/null |
                        while read -r f; do
                                cp "$f" "$seeds/$(echo "${f#../}" | tr / _)"
                        done ;;
        bpf)
                # Programs the compiler made from the shipped whitelists.
                # Every whitelist the tree holds: those that do not compile
                # (invalid test data) simply add no seed.
                # Both backends' programs.
                find data examples tests/data -name '*.json' |
                        while read -r f; do
                                for b in native libseccomp; do
                                        build-fuzz/syswall compile "$f" \
                                                --backend $b -o "$seeds/$(echo \
                                                "$f" | tr / _).$b.bpf" \
                                                >/dev/null 2>&1 || true
                                done
                        done ;;
        import)
                # The first byte picks the format: '0' (even) OCI, '1' Firecracker.
                for f in "$shared"/real-inputs/*.json; do
                        case $f in *firecracker*) p=1 ;; *) p=0 ;; esac
                        { printf %s "$p"; cat "$f"; } >"$seeds/$(basename "$f")"
                done ;;
        esac
        echo "fuzz: $t for $secs on $(ls "$seeds" | wc -l) seeds"
        # The fuzzer's own status: with pipefail, "|| true" after the pipe
        # would run after a crash and leave PIPESTATUS holding true's 0.
        set +e
        ASAN_OPTIONS=detect_leaks=1 "build-fuzz/fuzz/$t" "$seeds" \
                "${budget[@]}" -max_len=65536 -timeout=10 \
                -rss_limit_mb=2048 -print_final_stats=1 \
                -artifact_prefix="fuzz/findings/$name/" 2>&1 |
                grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done'
        status=${PIPESTATUS[0]}
        set -e
        rm -rf "$seeds"
        if [ "$status" -ne 0 ]; then
                echo "fuzz: $t FAILED (exit $status); see fuzz/findings/$name"
                exit 1
        fi
done
echo "fuzz: ${#targets[@]} targets clean"
