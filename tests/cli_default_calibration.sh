#!/bin/bash
# cli_default_calibration.sh - the programs the default whitelist is
# calibrated on (coreutils, python3, tests/progs/threaded.c) make no system
# call it does not list, measured again with strace on this machine.
set -u
cd "$SW_SOURCE_DIR" || exit 1
if ! command -v strace >/dev/null; then
        echo "strace is not installed (scripts/deps.sh installs it)"
        [ -n "${CI:-}" ] && exit 1
        exit 0
fi
bash scripts/calibrate-default.sh data/default-whitelist.json
