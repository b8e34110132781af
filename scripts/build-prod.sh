#!/usr/bin/env bash
# Builds TQServer for production: the daemon's jar with its libraries and
# pkg-worker, with the unit tests run first, and the pinned Bun runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

# Java workers run without Bun, so a machine without npm still gets a build.
scripts/install-bun.sh || echo "warning: Bun not installed; type: bun workers will not start" >&2
mvn -B package
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode prod --quiet"
