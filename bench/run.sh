#!/bin/bash
# run.sh [--smoke] - the whole benchmark in one command: builds what it
# needs (Release, in build-bench/), measures syswall against no filter, the
# allow-all floor and libseccomp's linear and tree layouts in one run, and
# writes docs/bench-report.md and docs/bench-chart.png.
#
# --smoke: a few hundred iterations of every program, results on stdout,
# no report and no chart (tests/cli_bench.sh runs this).  BENCH_BUILD=DIR
# uses binaries already built there instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
smoke=0
[ "${1:-}" = --smoke ] && smoke=1

build=${BENCH_BUILD:-}
if [ -z "$build" ]; then
        build=$src/build-bench
        cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
        cmake --build "$build" -j"$(nproc)" --target syswall_cli peer_bench \
                net_bench >/dev/null
fi
sw=$build/syswall
pb=$build/bench/peer_bench
nb=$build/bench/net_bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The whitelists: shipped, Docker's default imported, generated.
shared=${SW_SHARED:-$src/../shared}
lists=(default:data/default-whitelist.json examples:examples/whitelist.json)
[ -f examples/tokio-agent/whitelist.json ] &&
        lists+=(tokio-agent:examples/tokio-agent/whitelist.json)
docker=$shared/real-inputs/moby-profiles-seccomp-default.json
if [ -f "$docker" ] &&
        "$sw" import --from oci "$docker" >"$out/docker.json" 2>/dev/null; then
        lists+=(docker:"$out/docker.json")
fi
"$pb" gen 350 3 sparse >"$out/gen350.json"
lists+=(gen350x3on50:"$out/gen350.json")

# A real call mix: the per-call counts `syswall learn` reports.
"$sw" learn -o /dev/null -- ls -l / 2>"$out/learn.txt" >/dev/null || true
awk '/^ +[0-9]+  [a-z_0-9]+/ {print $1, $2}' "$out/learn.txt" >"$out/mix.txt"

res=$out/results.tsv
if [ $smoke = 1 ]; then
        "$pb" percall "$out/gen350.json" 3 200 | tee -a "$res"
        for l in "${lists[@]}"; do
                "$pb" insns "${l%%:*}" "${l#*:}" "$out/mix.txt" | tee -a "$res"
        done
        "$pb" scale smoke | tee -a "$res"
        "$pb" launch "$sw" 3 | tee -a "$res"
        "$nb" 2 10
        exit 0
fi

echo "per-call cost (interleaved)..." >&2
"$pb" percall "$out/gen350.json" 201 4000 >>"$res"
echo "executed instructions..." >&2
for l in "${lists[@]}"; do
        "$pb" insns "${l%%:*}" "${l#*:}" "$out/mix.txt" >>"$res"
done
echo "compile time (libseccomp 350 x 10 takes a while)..." >&2
"$pb" scale >>"$res"
echo "launch overhead..." >&2
"$pb" launch "$sw" 50 >>"$res"
echo "connect cost..." >&2
"$nb" >"$out/net.txt" 2>&1 || true

# The chart needs matplotlib (a bench-only dependency, not in deps.sh).
if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                python3-matplotlib >/dev/null
fi
# The raw figures stay beside the binaries, to redraw without measuring.
cp "$res" "$out/net.txt" "$out/mix.txt" "$build/"
/usr/bin/python3 bench/report.py "$res" "$out/net.txt" "$out/mix.txt" \
        docs/bench-report.md docs/bench-chart.png
cat docs/bench-report.md
