#!/bin/bash
# cli_examples_agents.sh - the agent examples run under their whitelists as
# examples/README.md says: the python tool runner answers its tasks and is
# stopped when it starts a shell; the node server serves on its port and
# cannot listen on another.  In a network namespace of its own, so the
# fixed port cannot meet another suite's.
set -u
if [ -z "${SW_NET_NS:-}" ] && unshare -n true 2>/dev/null; then
        exec env SW_NET_NS=1 unshare -n bash -c \
                'ip link set lo up && exec bash "$0"' "$0"
fi
cd "$SW_SOURCE_DIR" || exit 1
S=$SYSWALL
PY=examples/python-tool-runner
NODE=examples/node-server
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill %1 2>/dev/null' EXIT

# The python tool runner: its three tasks, exact answers.
out=$($S run $PY/whitelist.json -- /usr/bin/python3 $PY/tool.py <$PY/task.json 2>"$tmp/err")
[ $? -eq 0 ] || bad "python wc: exit, $(cat "$tmp/err")"
want=$(/usr/bin/python3 $PY/tool.py <$PY/task.json)
[ "$out" = "$want" ] || bad "python wc: '$out' != '$want'"
out=$(echo '{"op": "sum", "numbers": [1, 2, 3]}' |
        $S run $PY/whitelist.json -- /usr/bin/python3 $PY/tool.py 2>"$tmp/err")
[ "$out" = '{"op": "sum", "result": 6}' ] || bad "python sum: '$out' $(cat "$tmp/err")"
out=$(echo '{"op": "sha256", "paths": ["README.md"]}' |
        $S run $PY/whitelist.json -- /usr/bin/python3 $PY/tool.py 2>"$tmp/err")
want=$(sha256sum README.md | cut -d' ' -f1)
grep -qF "$want" <<<"$out" || bad "python sha256: '$out' $(cat "$tmp/err")"

# A tool that starts a shell is stopped, and the call is named.
$S run $PY/whitelist.json -- /usr/bin/python3 -c 'import os; os.system("id")' \
        >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 159 ] || bad "python shell: exit $rc, expected 159"
grep -q 'killed by SIGSYS: the whitelist does not allow wait4' "$tmp/err" ||
        bad "python shell: refused call not named: $(cat "$tmp/err")"
grep -q 'uid=' "$tmp/out" && bad "python shell: id ran"

# The node server serves on its port ...
$S run $NODE/whitelist.json -- node $NODE/server.js 18480 2 >"$tmp/node" 2>"$tmp/node.err" &
for _ in $(seq 100); do
        grep -q listening "$tmp/node" && break
        sleep 0.1
done
for path in health time; do
        got=$(/usr/bin/python3 -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:18480/$path', timeout=10).read().decode().strip())")
        case $path in
        health) [ "$got" = '{"ok":true}' ] || bad "node /health: '$got'" ;;
        time) [ "$got" = '{"now":"1970-01-01T00:00:00.000Z"}' ] || bad "node /time: '$got'" ;;
        esac
done
wait %1
rc=$?
[ $rc -eq 0 ] || bad "node server: exit $rc, $(cat "$tmp/node.err")"

# ... and cannot listen on another one.
$S run $NODE/whitelist.json -- node $NODE/server.js 18481 1 >"$tmp/node2" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "node other port: exit $rc, expected 1"
grep -q 'listen EACCES: permission denied 127.0.0.1:18481' "$tmp/node2" ||
        bad "node other port: $(tail -5 "$tmp/node2")"

[ $fail -eq 0 ] && echo "examples: python tool runner (3 tasks, shell refused), node server (served, other port EACCES)"
exit $fail
