# bash completion for syswall.
# Subcommands and their options are read from syswall's own --help output,
# so completion follows the installed version without a list to keep.

_syswall_commands()
{
        syswall --help 2>/dev/null | awk '/^commands:/ {on = 1; next}
                on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}'
}

_syswall()
{
        local cur prev cmd words
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        if [ "$COMP_CWORD" -eq 1 ]; then
                mapfile -t COMPREPLY < <(compgen -W "$(_syswall_commands) --help --version" -- "$cur")
                return
        fi
        cmd=${COMP_WORDS[1]}
        case $prev in
        --arch)
                mapfile -t COMPREPLY < <(compgen -W "native x86_64 aarch64 x86 riscv64" -- "$cur")
                return ;;
        --format)
                mapfile -t COMPREPLY < <(compgen -W "bpf pfc oci k8s k8s-json c" -- "$cur")
                return ;;
        --from)
                mapfile -t COMPREPLY < <(compgen -W "oci firecracker" -- "$cur")
                return ;;
        --cache-dir)
                mapfile -t COMPREPLY < <(compgen -d -- "$cur")
                return ;;
        --runtime)
                mapfile -t COMPREPLY < <(compgen -W "runc crun bwrap" -- "$cur")
                return ;;
        --category)
                mapfile -t COMPREPLY < <(compgen -W "memory file_io process network time signals misc tokio_runtime" -- "$cur")
                return ;;
        esac
        if [[ $cur == -* ]]; then
                words=$(syswall "$cmd" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u)
                mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
                return
        fi
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -o filenames -F _syswall syswall
