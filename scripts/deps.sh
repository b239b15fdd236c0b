#!/bin/bash
# deps.sh - install every Debian 12 package syswall needs to build and test.
# Idempotent; run as root.  Skips apt when everything is already there.
set -euo pipefail

PKGS=(build-essential cmake pkg-config libseccomp-dev seccomp libjansson-dev
      libcmocka-dev libsodium-dev python3 python3-jsonschema strace
      clang-format clang-tidy cppcheck valgrind clang libclang-rt-14-dev git
      librust-tokio-dev librust-cc-dev
      crun runc busybox-static bubblewrap jq)

# examples/tokio-agent builds with any cargo; Debian's (rustc 1.63) will do
# where neither PATH nor rustup's ~/.cargo/bin has one.
if ! command -v cargo >/dev/null && [ ! -x "$HOME/.cargo/bin/cargo" ]; then
        PKGS+=(cargo)
fi

# learn tests trace node (Debian package; any nodejs package will do)
PKGS+=(nodejs)

missing=()
for p in "${PKGS[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
