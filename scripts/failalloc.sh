#!/bin/bash
# failalloc.sh [BUILD_DIR] - allocation failures injected into syswall's
# commands: runs tests/cli_failalloc.sh (part of ctest) against BUILD_DIR
# (default build).  See docs/hardening.md.
set -u
cd "$(dirname "$0")/.." || exit 1
dir=${1:-build}
SYSWALL=${SYSWALL:-$PWD/$dir/syswall} SW_SOURCE_DIR=$PWD \
        SW_BUILD_DIR=$PWD/$dir SW_SHARED=${SW_SHARED:-$PWD/../shared} \
        exec bash tests/cli_failalloc.sh
