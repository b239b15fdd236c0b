#!/bin/bash
# cli_features.sh - `syswall features` reports what this kernel offers,
# in text and JSON, and agrees with the kernel's own files.
set -euo pipefail
S=${SYSWALL:?}

out=$("$S" features --json)
echo "$out"
python3 - "$out" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
keys = ["seccomp_filter", "seccomp_actions", "user_notif", "wait_killable",
        "notif_addfd", "sync_wake_up", "pidfd_getfd", "pidfd_thread",
        "landlock_abi", "landlock_net", "port_restrictions"]
assert list(f) == keys, list(f)
actions = open("/proc/sys/kernel/seccomp/actions_avail").read().strip()
assert f["seccomp_actions"] == actions, (f["seccomp_actions"], actions)
assert f["user_notif"] == ("user_notif" in actions.split())
assert f["landlock_net"] == (f["landlock_abi"] >= 4)
PY

text=$("$S" features)
grep -q "^seccomp actions:     $(cat /proc/sys/kernel/seccomp/actions_avail)\$" <<<"$text"
grep -q "^port restrictions:   " <<<"$text"

# A wrong option is refused with EPROTO (5).
rc=0
err=$(mktemp)
"$S" features --bogus 2>"$err" || rc=$?
[ "$rc" = 5 ] || { echo "expected 5, got $rc"; exit 1; }
grep -q "unknown option '--bogus' \[EPROTO\]" "$err"
rm -f "$err"
echo ok
