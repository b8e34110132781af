#!/usr/bin/env bash
# Builds TQServer for production: the daemon's jar with its libraries and
# pkg-worker (unit tests run first), the pinned Bun runtime, then
# workers/{name}/bin/{name}.jar for every Java worker, or only for the
# workers named as arguments. Production mode runs these jars and never
# compiles.
#
# Usage: scripts/build-prod.sh [WORKER...]
set -euo pipefail
cd "$(dirname "$0")/.."

# Java workers run without Bun, so a machine without npm still gets a build.
scripts/install-bun.sh || echo "warning: Bun not installed; type: bun workers will not start" >&2
mvn -B package

java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi
"$java_bin" -cp server/target/tqserver.jar io.tqserver.build.WorkerJarBuilder workers "$@"
echo "built: server/target/tqserver.jar and workers/*/bin/*.jar;" \
    "run: server/bin/tqserver --mode prod --quiet"
