#!/bin/bash
# cli_install.sh - `cmake --install` puts the library, header, pkg-config
# file, binary and man pages under a prefix, and a small program builds
# against the installed library with pkg-config and runs.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$SW_BUILD_DIR" --prefix "$tmp/usr" >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log"; fail "cmake --install"; }
for f in bin/syswall include/syswall.h lib/pkgconfig/syswall.pc \
        share/man/man5/syswall-whitelist.5; do
        [ -e "$tmp/usr/$f" ] || fail "$f not installed"
done
ls "$tmp"/usr/lib/libsyswall.so* >/dev/null 2>&1 || fail "libsyswall.so missing"
ls "$tmp"/usr/lib/libsyswall.a >/dev/null 2>&1 || fail "libsyswall.a missing"

cat >"$tmp/demo.c" <<'C'
#include <stdio.h>
#include <syswall.h>

int main(void)
{
        sw_code c;

        if (!sw_code_from_name("EPROTO", &c))
                return 2;
        printf("%s %d %s\n", SYSWALL_VERSION_STRING, (int)c,
               sw_code_describe(c));
        return 0;
}
C
export PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig"
flags=$(pkg-config --cflags --libs syswall) || fail "pkg-config syswall"
# A library built with sanitizers (the suite's second pass) needs a
# program built with them, so that their runtime comes first.
if nm -D "$tmp"/usr/lib/libsyswall.so 2>/dev/null | grep -q __asan_; then
        flags="-fsanitize=address,undefined $flags"
fi
gcc -Wall -Werror -o "$tmp/demo" "$tmp/demo.c" $flags || fail "build against install"
out=$(LD_LIBRARY_PATH="$tmp/usr/lib" "$tmp/demo") || fail "demo exit $?"
[ "$out" = "0.1.0 5 the document breaks this format" ] ||
        fail "demo printed '$out'"
ldd "$tmp/demo" | grep -q "$tmp/usr/lib/libsyswall.so" 2>/dev/null ||
        LD_LIBRARY_PATH="$tmp/usr/lib" ldd "$tmp/demo" | grep -q "$tmp/usr/lib/libsyswall.so" ||
        fail "demo not linked against the installed library"
echo "install: prefix layout ok, pkg-config build ok: $out"
