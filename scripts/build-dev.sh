#!/usr/bin/env bash
# Builds what `tqserver --mode dev` needs: the daemon, its launcher's jar and
# pkg-worker. Workers themselves are compiled by TQServer when it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B package -DskipTests
echo "built: server/target/tqserver.jar; run: server/bin/tqserver --mode dev"
