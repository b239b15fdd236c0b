#!/bin/bash
# cli_lint_access.sh - access() on x86_64 is the access call itself: glibc
# tries faccessat2 only from faccessat(), so allowing access alone is no
# reason to warn about faccessat2 (ls and sort, learned, allow just
# access), while allowing faccessat without faccessat2 is.
set -uo pipefail

. "$(dirname "$0")/helpers/common.sh"

doc() {
        cat <<JSON
{"schema_version": "1.0", "whitelist_id": "t.access",
 "created_at": "2026-01-01T00:00:00Z", "created_by": "Security Agent",
 "syscalls": [
  {"name": "execve", "permission": "ALLOW"},
  {"name": "exit_group", "permission": "ALLOW"},
  {"name": "rseq", "permission": "ALLOW"},
  {"name": "set_robust_list", "permission": "ALLOW"},
  {"name": "$1", "permission": "ALLOW"}]}
JSON
}

[ "$(uname -m)" = x86_64 ] || {
        echo "cli_lint_access: skipped: access exists only on x86_64 here"
        exit 0
}

doc access >"$tmp/a.json"
"$S" check --strict "$tmp/a.json" >"$tmp/out" 2>&1
rc=$?
[ "$rc" = 0 ] || fail "access alone: exit $rc, want 0"
! grep -q faccessat2 "$tmp/out" || {
        fail "access alone: faccessat2 named in:"
        cat "$tmp/out"
}

doc faccessat >"$tmp/f.json"
"$S" check --strict "$tmp/f.json" >"$tmp/out" 2>&1
rc=$?
[ "$rc" = 5 ] || fail "faccessat alone: exit $rc, want 5"
grep -qF "f.json:8:3: error: faccessat is allowed but faccessat2 is not listed: glibc 2.33+ implements faccessat() with faccessat2" \
        "$tmp/out" || {
        fail "faccessat alone: no fallback-missing error in:"
        cat "$tmp/out"
}

[ "$fails" = 0 ] || exit 1
echo "cli_lint_access: all passed"
