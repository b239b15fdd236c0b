#!/bin/bash
# cli_readme.sh - every command in README.md runs, so the README cannot rot.
#
# In README.md, a line inside a ```sh block that starts with "$ " is a
# command; it runs from the source tree with the built syswall first on
# PATH.  It must exit 0, or the status named by a trailing "# exit N".
# The two set-up commands at the top are covered too: scripts/test.sh is
# what CI runs, and scripts/demo.sh runs here with the built binary.
set -u
cd "$SW_SOURCE_DIR" || exit 1
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
ln -s "$SYSWALL" "$bindir/syswall"
export PATH="$bindir:$PATH"
fail=0
n=0

mapfile -t cmds < <(awk '/^```sh/ {on = 1; next} /^```/ {on = 0}
        on && /^\$ / {sub(/^\$ /, ""); print}' README.md)
for c in "${cmds[@]}"; do
        want=0
        if [[ $c =~ \#\ exit\ ([0-9]+)$ ]]; then
                want=${BASH_REMATCH[1]}
        fi
        out=$(cd "$SW_SOURCE_DIR" && bash -c "$c" 2>&1 </dev/null)
        got=$?
        n=$((n + 1))
        if [ "$got" -ne "$want" ]; then
                echo "FAIL: README command exited $got, expected $want: $c"
                echo "$out" | head -20
                fail=1
        fi
done

out=$(SYSWALL="$SYSWALL" bash scripts/demo.sh 2>&1)
if [ $? -ne 0 ]; then
        echo "FAIL: scripts/demo.sh:"
        echo "$out" | tail -20
        fail=1
fi
[ $fail -eq 0 ] && echo "readme: $n commands and scripts/demo.sh ok"
exit $fail
