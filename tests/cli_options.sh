#!/bin/bash
# cli_options.sh - every option a subcommand parses (each --name in its
# src/cli/CMD.c) is documented: in its usage lines, in `syswall CMD
# --help`, in man/syswall.1 and so in the bash completion, which reads
# --help.  An option added without its documentation fails here.
. "$(dirname "$0")/helpers/common.sh"

n=0

# The long options CMD.c parses: getopt tables and hand-written strcmps.
parsed() {
        {
                grep -o '{"[a-z][a-z0-9-]*", *[a-z]*_argument' "$1" |
                        sed 's/{"\([^"]*\)".*/--\1/'
                grep -o '"--[a-z][a-z0-9-]*' "$1" | tr -d '"'
        } | grep -vx -- '--opt' | sort -u
}

# The man page as text: groff's \- is a dash.
man_text=$(sed 's/\\-/-/g' "$SRC/man/syswall.1")
# The bash completion offers what --help lists (completion/syswall.bash).
. "$SRC/completion/syswall.bash"

for cmd in $("$S" --help | awk '/^commands:/ {on = 1; next}
                on && /^  [a-z]/ {print $1}'); do
        src=$SRC/src/cli/$cmd.c
        [ -f "$src" ] || { fail "$cmd: no $src"; continue; }
        help=$("$S" "$cmd" --help 2>&1) || fail "$cmd --help exits non-zero"
        usage=$(awk '/^usage:/ {on = 1} on && /^$/ {exit} on' <<<"$help")
        [ -n "$usage" ] || fail "$cmd --help has no usage line"
        # The command's entries under COMMANDS: from ".TP" ".B CMD ..." to
        # the next ".TP" (run has two: run and run --complain).
        section=$(awk -v c="$cmd" 'p == ".TP" { on = $0 ~ ("^\\.B " c "( |$)") }
                on && $0 != ".TP" {print} {p = $0}' <<<"$man_text")
        for opt in $(parsed "$src"); do
                n=$((n + 1))
                grep -qF -- "$opt" <<<"$help" ||
                        fail "$cmd: $opt is not in --help"
                [ "$opt" = --help ] && continue
                # The usage line may give the short form ("-o, --output").
                short=$(grep -oE -- "-[a-zA-Z], $opt\b" <<<"$help" |
                        head -1 | cut -c1-2)
                grep -qF -- "$opt" <<<"$usage" ||
                        { [ -n "$short" ] && grep -qwF -- "$short" <<<"$usage"; } ||
                        fail "$cmd: $opt is not in the usage line"
                grep -qF -- "$opt" <<<"$section" ||
                        fail "$cmd: $opt is not in syswall(1) under $cmd"
                COMP_WORDS=(syswall "$cmd" "${opt:0:4}")
                COMP_CWORD=2
                PATH=$(dirname "$S"):$PATH _syswall
                printf '%s\n' "${COMPREPLY[@]}" | grep -qx -- "$opt" ||
                        fail "$cmd: bash completion does not offer $opt"
        done
done
echo "cli_options: $n options checked, $fails failure(s)"
[ $fails -eq 0 ]
