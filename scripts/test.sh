#!/usr/bin/env bash
# The project's test command: install the system libraries, then build and run every test in
# release mode (the tests train small networks; debug builds are 10–50× slower at numerics).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test -c release -Xswiftc -enable-testing --disable-swift-testing "$@"
