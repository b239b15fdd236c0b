#!/bin/bash
# package.sh - build a Debian package of syswall from the tree:
#   bash scripts/package.sh      -> build-pkg/syswall_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
command -v dpkg-shlibdeps >/dev/null || apt-get install -y -qq dpkg-dev
bash scripts/build.sh build-pkg -DCMAKE_INSTALL_PREFIX=/usr \
        -DCMAKE_BUILD_TYPE=Release >/dev/null
(cd build-pkg && cpack -G DEB)
ls build-pkg/*.deb
