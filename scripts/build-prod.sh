#!/usr/bin/env bash
# Builds TQServer for production: the daemon's jar with its libraries and
# pkg-worker, with the unit tests run first, and the pinned Bun runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-bun.sh
mvn -B package
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode prod --quiet"
