#!/usr/bin/env bash
# Builds what `tqserver --mode dev` needs: the daemon, its launcher's jar,
# pkg-worker and the pinned Bun runtime. Workers themselves are built by
# TQServer when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-bun.sh
mvn -B package -DskipTests
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode dev"
