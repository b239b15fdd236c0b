#!/bin/bash
# cli_readme_c.sh - the C program in README.md compiles against the built
# library and does what the README says: a good whitelist filters the
# process, a bad one is refused with its P1.7 code and nothing is loaded.
set -u
cd "$SW_SOURCE_DIR" || exit 1
B=${SW_BUILD_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

awk '/^```c/ {on = 1; next} /^```/ {on = 0} on' README.md >"$tmp/app.c"
[ -s "$tmp/app.c" ] || { echo "FAIL: no C block in README.md"; exit 1; }

# A sanitizer build's library needs the sanitizers at link time too.  The
# leak checker stops the world with ptrace at exit, which the whitelist the
# program applies refuses, so it is off for that run.
flags=()
if grep -q '^SW_SANITIZE:BOOL=ON' "$B/CMakeCache.txt" 2>/dev/null; then
        flags=(-fsanitize=address,undefined)
        export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
# shellcheck disable=SC2046
if ! gcc "${flags[@]}" -o "$tmp/app" "$tmp/app.c" -Iinclude "$B/libsyswall.a" \
        $(pkg-config --libs libseccomp jansson libsodium) 2>"$tmp/cc.err"; then
        echo "FAIL: the README's C program does not build:"
        cat "$tmp/cc.err"
        exit 1
fi

# The default whitelist is a good one to apply in-process.
cp data/default-whitelist.json "$tmp/whitelist.json"
out=$(cd "$tmp" && ./app 2>&1)
rc=$?
if [ $rc -ne 0 ] || [ "$out" != "filtered: every thread, from now on" ]; then
        echo "FAIL: README program, good whitelist: exit $rc: $out"
        fail=1
fi

printf '{"schema_version": "1.0", "syscalls": [' >"$tmp/whitelist.json"
out=$(cd "$tmp" && ./app 2>&1)
rc=$?
if [ $rc -ne 125 ] || ! grep -qF "[EPROTO]" <<<"$out"; then
        echo "FAIL: README program, broken whitelist: exit $rc: $out"
        fail=1
fi
[ $fail -eq 0 ] && echo "readme C program: builds, filters, refuses a bad document"
exit $fail
