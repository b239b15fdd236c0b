# common.sh - what the cli_*.sh tests share.  Source it first:
#   . "$(dirname "$0")/helpers/common.sh"
# It sets S (the syswall binary, from SYSWALL), SRC (the source tree),
# NO_COLOR, tmp (a directory removed at exit; a test that needs its own
# trap sets it after this) and fails (the failure count), and defines
# fail MSG, which prints one failure and counts it.
set -u
S=${SYSWALL:?SYSWALL must name the syswall binary}
SRC=${SW_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export NO_COLOR=1
fails=0
tmp=$(mktemp -d /tmp/sw-cli-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

fail() {
        echo "FAIL: $*"
        fails=$((fails + 1))
}
