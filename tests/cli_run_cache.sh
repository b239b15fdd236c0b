#!/bin/bash
# cli_run_cache.sh - the compiled-filter cache of `syswall run`: a miss
# stores exactly the program `compile` writes and a hit reuses it without
# writing; a corrupt, truncated, foreign or exposed entry or directory is
# refused with a note and the whitelist compiled instead; one changed
# byte misses; --no-cache writes nothing; signatures are checked on a
# warm cache; a kill is still named on a warm cache.
set -u
S=${SYSWALL:?}
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
cd "$tmp" || exit 1

# Every run here names its cache; the suite's own is left alone.
unset SYSWALL_CACHE_DIR XDG_CACHE_HOME
C=$tmp/cache

bad() {
        echo "FAIL: $*"
        fail=1
}

# expect NAME RC ERR_FRAGMENT -- CMD...: exit status and a stderr fragment
# ("" = stderr must be empty).
expect() {
        local name=$1 rc=$2 err=$3
        shift 4
        "$@" >out 2>err </dev/null
        local got=$?
        if [ "$got" -ne "$rc" ]; then
                bad "$name: exit $got, expected $rc"
                sed 's/^/  stderr: /' err | head -10
                return
        fi
        if [ -z "$err" ] && [ -s err ]; then
                bad "$name: unexpected stderr"
                sed 's/^/  stderr: /' err | head -10
        elif [ -n "$err" ] && ! grep -qF -- "$err" err; then
                bad "$name: stderr lacks '$err'"
                sed 's/^/  stderr: /' err | head -10
        fi
}

# The entries in the cache directory, one per line (temporaries too).
entries() {
        ls -A "$C" 2>/dev/null
}

# The one entry's path; fails the test when there is not exactly one.
entry() {
        local n
        n=$(entries | wc -l)
        [ "$n" -eq 1 ] || bad "$1: $n entries, expected 1: $(entries)"
        echo "$C/$(entries | head -1)"
}

default=$SW_SOURCE_DIR/data/default-whitelist.json
$S compile "$default" -o default.bpf 2>/dev/null || exit 1
# Another document: the default with one description changed.
sed '0,/memory management/s//memory-management/' "$default" >other.json

# --- a miss stores compile's program; a hit reuses it, writing nothing ----
expect "cold run" 0 "" -- $S run --cache-dir "$C" -- /bin/true
e=$(entry "cold run")
[ "$(stat -c %a "$C")" = 700 ] || bad "cache dir mode $(stat -c %a "$C")"
[ "$(stat -c %a "$e")" = 600 ] || bad "entry mode $(stat -c %a "$e")"
[[ $(basename "$e") =~ ^[0-9a-f]{64}$ ]] || bad "entry name $(basename "$e")"
head -c 8 "$e" | grep -q '^SWFCACHE$' || bad "entry magic"
tail -c +89 "$e" >stored.bpf
cmp -s stored.bpf default.bpf ||
        bad "the stored program differs from compile's"
ino=$(stat -c %i "$e")
cp "$e" first.entry
expect "warm run" 0 "" -- $S run --cache-dir "$C" -- /bin/true
[ "$(stat -c %i "$e")" = "$ino" ] || bad "a hit rewrote the entry"
e2=$(entry "warm run")
[ "$e2" = "$e" ] || bad "a hit made another entry: $e2"
# The same bytes given as a file are the same document: the same entry.
expect "the file" 0 "" -- $S run --cache-dir "$C" -p "$default" -- /bin/true
[ "$(stat -c %i "$e")" = "$ino" ] || bad "the same bytes from a file missed"

# SYSWALL_CACHE_DIR and XDG_CACHE_HOME name the default directory.
SYSWALL_CACHE_DIR=$tmp/env expect "env" 0 "" -- $S run -- /bin/true
[ "$(ls "$tmp/env" | wc -l)" -eq 1 ] || bad "SYSWALL_CACHE_DIR not used"
XDG_CACHE_HOME=$tmp/xdg expect "xdg" 0 "" -- $S run -- /bin/true
[ "$(ls "$tmp/xdg/syswall" | wc -l)" -eq 1 ] || bad "XDG_CACHE_HOME not used"
HOME=$tmp/home expect "home" 0 "" -- $S run -- /bin/true
[ "$(ls "$tmp/home/.cache/syswall" | wc -l)" -eq 1 ] ||
        bad "~/.cache/syswall not used"
[ "$(stat -c %a "$tmp/home/.cache")" = 700 ] || bad "~/.cache not 0700"

# --- a kill is named on a warm cache --------------------------------------
ptrace=(-- $PY -c 'import ctypes; ctypes.CDLL(None).syscall(101, 0, 0, 0, 0)')
msg="syswall: run: the command was killed by SIGSYS: the whitelist does not allow ptrace (system call 101 on x86_64)"
expect "kill, warm" 159 "$msg" -- $S run --cache-dir "$C" "${ptrace[@]}"
[ "$(stat -c %i "$e")" = "$ino" ] || bad "the kill run missed"
expect "kill, --no-trace, warm" 159 "the command was killed by SIGSYS" \
        -- $S run --cache-dir "$C" --no-trace "${ptrace[@]}"
# Untraced, the call comes from the kernel's audit record, read from the
# log after the kill; the kernel rate-limits those records when many
# processes are killed at once, and then the kill is reported unnamed.
# Either way, never another call.
if ! grep -qxF "$msg" err &&
        ! grep -qF "(not named: --no-trace was given, and the kernel log has no record of the kill)" err; then
        bad "--no-trace: neither the record's call nor 'no record'"
        sed 's/^/  stderr: /' err
fi
if grep -qxF "$msg" err; then
        grep -qE "^  call: ptrace in pid [0-9]+, from the kernel's audit record \(which has no arguments\)$" err ||
                bad "--no-trace: the record's call line"
fi

# --- corrupt entries are refused, compiled again and replaced ------------
note="; compiling the whitelist [EPROTO]"
head -c 100 first.entry >"$e"
expect "truncated" 0 "syswall: run: note: the cache entry $e is corrupt: truncated or padded (its size disagrees with its header)$note" \
        -- $S run --cache-dir "$C" -- /bin/true
cmp -s "$e" first.entry || bad "the truncated entry was not replaced"
head -c 40 first.entry >"$e"
expect "shorter than a header" 0 "the cache entry $e is corrupt: truncated$note" \
        -- $S run --cache-dir "$C" -- /bin/true
cmp -s "$e" first.entry || bad "the short entry was not replaced"

# One flipped bit in the program: the hash catches it.
$PY - "$e" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[200] ^= 1
open(p, "wb").write(bytes(b))
EOF
expect "flipped bit" 0 "the cache entry $e is corrupt: the program does not match its hash$note" \
        -- $S run --cache-dir "$C" -- /bin/true
cmp -s "$e" first.entry || bad "the flipped entry was not replaced"

printf 'NOTCACHE' | dd of="$e" conv=notrunc status=none
expect "bad magic" 0 "is corrupt: not a syswall cache entry (bad magic)$note" \
        -- $S run --cache-dir "$C" -- /bin/true
cmp -s "$e" first.entry || bad "the bad-magic entry was not replaced"

# Another document's entry renamed to this key.
$S run --cache-dir "$tmp/other" -p other.json -- /bin/true
cp "$tmp/other/"* "$e"
expect "entry of another key" 0 "is corrupt: it holds the entry of another key$note" \
        -- $S run --cache-dir "$C" -- /bin/true
cmp -s "$e" first.entry || bad "the foreign-key entry was not replaced"

# --- foreign or exposed entries and directories are refused ---------------
chown 65534 "$e"
expect "entry of another user" 0 "syswall: run: note: the cache entry $e belongs to uid 65534, not to this user (uid $(id -u)); compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$C" -- /bin/true
[ "$(stat -c %u "$e")" = "$(id -u)" ] || bad "the foreign entry was kept"
chmod 0620 "$e"
expect "group-writable entry" 0 "the cache entry $e is writable by group or others (mode 0620); compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$C" -- /bin/true
[ "$(stat -c %a "$e")" = 600 ] || bad "the exposed entry was kept"

ln -sf /etc/passwd "$e"
expect "entry is a symlink" 0 "cannot open the cache entry $e: it is a symbolic link; compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$C" -- /bin/true
[ -L "$e" ] && bad "the symlinked entry was kept"
cmp -s "$e" first.entry || bad "the symlink was not replaced by an entry"

mkdir -m 0770 gw
expect "group-writable dir" 0 "syswall: run: note: the cache directory $tmp/gw is writable by group or others (mode 0770); compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$tmp/gw" -- /bin/true
[ -z "$(ls -A gw)" ] || bad "an exposed directory was written to"
mkdir -m 0700 theirs && chown 65534 theirs
expect "dir of another user" 0 "the cache directory $tmp/theirs belongs to uid 65534, not to this user (uid $(id -u)); compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$tmp/theirs" -- /bin/true
[ -z "$(ls -A theirs)" ] || bad "another user's directory was written to"
ln -s "$C" link
expect "dir is a symlink" 0 "cannot open the cache directory $tmp/link: it is a symbolic link; compiling the whitelist [EPERM]" \
        -- $S run --cache-dir "$tmp/link" -- /bin/true
# Written as link/ or link/. it is the same link.
for d in "$tmp/link/" "$tmp/link/." "$tmp/link//./"; do
        expect "dir is a symlink ($d)" 0 "cannot open the cache directory $tmp/link: it is a symbolic link; compiling the whitelist [EPERM]" \
                -- $S run --cache-dir "$d" -- /bin/true
done

# --- one changed byte misses; --no-cache writes nothing -------------------
rm -rf "$C"
cp "$default" wl.json
expect "wl.json cold" 0 "" -- $S run --cache-dir "$C" -p wl.json -- /bin/true
[ "$(entries | wc -l)" -eq 1 ] || bad "cold: $(entries | wc -l) entries"
sed -i '0,/memory management/s//memory-management/' wl.json
expect "wl.json, one byte changed" 0 "" \
        -- $S run --cache-dir "$C" -p wl.json -- /bin/true
[ "$(entries | wc -l)" -eq 2 ] || bad "a changed byte hit: $(entries | wc -l) entries"
# --strict changes what is accepted: another key.
expect "--strict" 0 "" -- $S run --cache-dir "$C" --strict -p wl.json -- /bin/true
[ "$(entries | wc -l)" -eq 3 ] || bad "--strict shared an entry"

expect "--no-cache" 0 "" -- $S run --no-cache --cache-dir "$tmp/none" -- /bin/true
[ -e "$tmp/none" ] && bad "--no-cache created the cache directory"
SYSWALL_CACHE_DIR=$tmp/none2 expect "--no-cache, env" 0 "" \
        -- $S run --no-cache -- /bin/true
[ -e "$tmp/none2" ] && bad "--no-cache used SYSWALL_CACHE_DIR"

# --- warnings are shown again on a hit ------------------------------------
$PY - "$default" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["syscalls"].append({"name": "ptrace", "permission": "ALLOW",
                      "category": "process"})
json.dump(d, open("warn.json", "w"), indent=2)
EOF
w="warning: ptrace is allowed: a tracer controls other processes"
expect "warnings, cold" 0 "$w" -- $S run --cache-dir "$C" -p warn.json -- /bin/true
expect "warnings, warm" 0 "$w" -- $S run --cache-dir "$C" -p warn.json -- /bin/true

# --- port restrictions are never cached -----------------------------------
rm -rf "$C"
$S run --cache-dir "$C" -p "$SW_SOURCE_DIR/tests/data/ports.json" \
        -- /bin/true >/dev/null 2>&1
[ -z "$(entries)" ] || bad "a whitelist with port restrictions was cached"

# --- signatures are verified on every run, warm or not --------------------
rm -rf "$C"
$S keygen -o agent --id security-agent >/dev/null || exit 1
$S keygen -o other --id other >/dev/null || exit 1
cp "$default" signed.json
$S sign --key agent.key signed.json >/dev/null || exit 1
expect "signed, cold" 0 "" \
        -- $S run --cache-dir "$C" --trust agent.pub -p signed.json -- /bin/true
[ "$(entries | wc -l)" -eq 1 ] || bad "signed: $(entries | wc -l) entries"
ino=$(stat -c %i "$(entry signed)")
expect "signed, warm" 0 "" \
        -- $S run --cache-dir "$C" --trust agent.pub -p signed.json -- /bin/true
[ "$(stat -c %i "$(entry signed)")" = "$ino" ] || bad "signed warm run missed"
expect "signed, warm, untrusted key" 125 "signed.json: the whitelist cannot be used, the command was not started" \
        -- $S run --cache-dir "$C" --trust other.pub -p signed.json -- /bin/true
# The default's entry is warm (same bytes as the file before signing).
expect "unsigned default warm" 0 "" -- $S run --cache-dir "$C" -- /bin/true
expect "unsigned default, warm, --require-signature" 125 "the whitelist cannot be used" \
        -- $S run --cache-dir "$C" --trust agent.pub --require-signature \
        -- /bin/true
sed '0,/memory management/s//memory-management/' signed.json >tampered.json
expect "tampered, warm" 125 "the whitelist cannot be used" \
        -- $S run --cache-dir "$C" --trust agent.pub -p tampered.json -- /bin/true

[ $fail -eq 0 ] && echo "cli_run_cache: ok"
exit $fail
