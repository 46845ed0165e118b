#!/usr/bin/env bash
# The project's test command: set up, then run every test in release mode (the tests train networks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release
swift test -c release --disable-swift-testing
