#!/bin/bash
# cli_completion.sh - the bash completion offers subcommands read from the
# built syswall, architectures after --arch, and files otherwise.
set -u
bindir=$(mktemp -d)
trap 'rm -rf "$bindir"' EXIT
ln -s "$SYSWALL" "$bindir/syswall"
PATH="$bindir:$PATH"
. "$SW_SOURCE_DIR/completion/syswall.bash"
fail=0

complete_words() { # WORD...: sets COMPREPLY for the last word
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMPREPLY=()
        _syswall
}
expect() { # WHAT EXPECTED
        if [ "${COMPREPLY[*]}" != "$2" ]; then
                echo "FAIL: $1: got '${COMPREPLY[*]}', expected '$2'"
                fail=1
        fi
}

complete_words syswall ex
expect "subcommand" "explain export"
complete_words syswall run --arch aa
expect "--arch" "aarch64"
complete_words syswall check --category tok
expect "--category" "tokio_runtime"
complete_words syswall run --no-c
expect "run option" "--no-cache"
mkdir "$bindir/cachedir"
cd "$bindir" && complete_words syswall run --cache-dir ca
expect "--cache-dir" "cachedir"
complete_words syswall check sys
expect "file" "syswall"
[ $fail -eq 0 ] && echo "completion: 6 cases ok"
exit $fail
