#!/bin/bash
# cli_man.sh - every man page renders without a single groff warning, and
# the three pages the project promises exist.
set -u
cd "$SW_SOURCE_DIR" || exit 1
fail=0
for page in syswall.1 syswall-whitelist.5 libsyswall.3; do
        [ -f "man/$page" ] || { echo "FAIL: man/$page missing"; fail=1; }
done
for f in man/*.[0-9]; do
        warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$f" 2>&1 >/dev/null)
        if [ -n "$warn" ]; then
                echo "FAIL: $f: $warn"
                fail=1
        fi
        lines=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" 2>/dev/null | wc -l)
        [ "$lines" -gt 20 ] || { echo "FAIL: $f renders $lines lines"; fail=1; }
done
[ $fail -eq 0 ] && echo "man: $(ls man/*.[0-9] | wc -l) pages, no warnings"
exit $fail
