#!/usr/bin/env bash
# Builds what `tqserver --mode dev` needs: the daemon, its launcher's jar,
# pkg-worker and the pinned Bun runtime. Workers themselves are built by
# TQServer when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

# Java workers run without Bun, so a machine without npm still gets a build.
scripts/install-bun.sh || echo "warning: Bun not installed; type: bun workers will not start" >&2
mvn -B package -DskipTests
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode dev"
