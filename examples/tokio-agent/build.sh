#!/bin/bash
# build.sh SYSWALL_BUILD_DIR OUT_DIR - build tokio-agent offline into
# OUT_DIR/tokio-agent, linked against OUT_DIR's libsyswall.a.
#
# Uses the first cargo found: $CARGO, cargo on PATH, ~/.cargo/bin/cargo
# (rustup), /usr/bin/cargo (Debian's, rustc 1.63).  Crates come from
# Debian's librust-*-dev packages in /usr/share/cargo/registry only.
# OUT_DIR keeps cargo's home, the target directory and a copy of the
# sources between runs, so a rebuild only relinks.
#
# Exit status: 0 built; 77 cargo or the crates are not installed (the
# reason on stderr); anything else, the build failed.
set -euo pipefail

if [ $# -ne 2 ]; then
        echo "usage: $0 SYSWALL_BUILD_DIR OUT_DIR" >&2
        exit 2
fi
src=$(cd "$(dirname "$0")" && pwd)
lib=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

find_cargo() {
        local c
        for c in "${CARGO:-}" "$(command -v cargo || true)" \
                 "${HOME:-}/.cargo/bin/cargo" /usr/bin/cargo; do
                if [ -n "$c" ] && [ -x "$c" ]; then
                        echo "$c"
                        return 0
                fi
        done
        return 1
}

if ! cargo=$(find_cargo); then
        echo "no cargo (install Debian's cargo or rustup)" >&2
        exit 77
fi
if ! ls -d /usr/share/cargo/registry/tokio-1.* >/dev/null 2>&1; then
        echo "no tokio crate in /usr/share/cargo/registry" \
             "(apt-get install librust-tokio-dev)" >&2
        exit 77
fi
if [ ! -f "$lib/libsyswall.a" ]; then
        echo "no libsyswall.a in $lib: build syswall first" >&2
        exit 1
fi

# A library built with -DSW_SANITIZE=ON needs the sanitizer runtimes.
sanitize=0
if grep -q '^SW_SANITIZE:BOOL=ON' "$lib/CMakeCache.txt" 2>/dev/null; then
        sanitize=1
fi

# Copy the sources, keeping their times so that cargo sees no change.  A
# lock file made by another cargo may use a format this one cannot read.
mkdir -p "$out/agent"
rm -rf "$out/agent/src"
cp -p "$src/Cargo.toml" "$src/build.rs" "$out/agent/"
cp -pr "$src/src" "$src/.cargo" "$out/agent/"
# The rustc next to this cargo, not the first one on PATH.
rustc=$(dirname "$cargo")/rustc
[ -x "$rustc" ] || rustc=rustc
version="$("$cargo" --version) $("$rustc" --version)"
if [ "$(cat "$out/cargo-version" 2>/dev/null)" != "$version" ]; then
        rm -f "$out/agent/Cargo.lock"
        echo "$version" >"$out/cargo-version"
fi

# cargo reads .cargo/config.toml from the working directory.
cd "$out/agent"
CARGO_HOME="$out/cargo-home" CARGO_TARGET_DIR="$out/target" \
        RUSTC="$rustc" SYSWALL_LIB_DIR="$lib" SYSWALL_SANITIZE=$sanitize \
        "$cargo" build --release --quiet
cp "$out/target/release/tokio-agent" "$out/tokio-agent.new"
mv "$out/tokio-agent.new" "$out/tokio-agent"
