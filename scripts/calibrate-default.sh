#!/bin/bash
# calibrate-default.sh [WHITELIST] - measure, with strace, the system calls
# of the programs the default whitelist is calibrated on, and list those the
# whitelist does not allow.  Prints "calibration: N calls seen, all allowed"
# and exits 0, or lists each missing call with the program that made it and
# exits 1.  See docs/default-whitelist.md.
set -euo pipefail
cd "$(dirname "$0")/.."
wl=${1:-data/default-whitelist.json}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gcc -O2 -pthread -o "$tmp/threaded" tests/progs/threaded.c
printf 'cherry\napple\nbanana\n' >"$tmp/fruit"

# measure NAME CMD...: strace -f the command, all calls, into $tmp/NAME.log.
measure() {
        local name=$1
        shift
        if ! strace -f -qq -o "$tmp/$name.log" "$@" >/dev/null 2>&1 \
                </dev/null; then
                echo "calibration: '$*' failed even without a filter" >&2
                exit 2
        fi
}

measure ls ls -l /
measure cat cat "$tmp/fruit"
measure sort sort "$tmp/fruit"
measure wc wc -l "$tmp/fruit"
measure pipeline sh -c "sort $tmp/fruit | wc -l"
measure python3 $PY -c 'print(6 * 7)'
measure python3-threads $PY -c '
import json, os, threading
t = threading.Thread(target=lambda: print(json.dumps(dict(os.environ))[:1]))
t.start(); t.join()'
measure python3-stdlib $PY -c '
import subprocess, tempfile, time, asyncio, socket
subprocess.run(["true"]); tempfile.TemporaryFile().write(b"x")
time.sleep(0.01); asyncio.run(asyncio.sleep(0.01)); socket.gethostname()'
measure threaded "$tmp/threaded"
measure coreutils sh -c "cp $tmp/fruit $tmp/f2 && mv $tmp/f2 $tmp/f3 &&
        rm $tmp/f3 && mkdir $tmp/d && rmdir $tmp/d && date >/dev/null &&
        head -1 $tmp/fruit && tail -1 $tmp/fruit && id && uname -a && stat /"

$PY - "$wl" "$tmp"/*.log <<'PYEOF'
import json, re, sys
wl = json.load(open(sys.argv[1]))
listed = {r["name"]: r["permission"] for r in wl["syscalls"]}
seen = {}
call = re.compile(r"^(?:\d+\s+)?(?:<\.\.\. )?([a-z0-9_]+)(?:\(| resumed>)")
for log in sys.argv[2:]:
    prog = log.rsplit("/", 1)[1][:-4]
    for line in open(log):
        m = call.match(line)
        if m:
            seen.setdefault(m.group(1), set()).add(prog)
missing = sorted(n for n in seen if n not in listed)
for n in missing:
    print("calibration: %s is not listed (called by %s)"
          % (n, ", ".join(sorted(seen[n]))))
if missing:
    sys.exit(1)
print("calibration: %d calls seen, all allowed" % len(seen))
PYEOF
