#!/usr/bin/env bash
# Deploys built worker artifacts and their config to a TQServer target and
# swaps the workers in, rolling back when a new worker fails its health check.
#
# Usage: scripts/deploy.sh [--source DIR] TARGET [WORKER...]
#
# TARGET is a key under `targets` in DIR/config/deployment.yaml. Without
# WORKER names every worker under DIR/workers is deployed, with
# config/server.yaml. For each worker, bin/ (the artifact, such as
# bin/{name}.jar from scripts/build-prod.sh) and config/ are copied; src/ never
# is. DIR is the repository root unless --source sets another folder.
#
# Steps: copy to a staging folder on the target (.deploy/<id>/staging), keep
# the files it replaces (.deploy/<id>/previous), rename the staged files into
# place (atomic on one file system), then POST /workers/{name}/swap to the
# control endpoint on 127.0.0.1:control_port, which returns once the new
# instance passed its health check or failed. On failure the previous files
# are renamed back and POST /reload restores the previous settings; the old
# instances never stopped serving.
#
# Exit status:
#   0  every worker was swapped and is healthy
#   2  usage error: unknown target, invalid deployment.yaml, missing artifact;
#      nothing was changed on the target
#   3  copying to the target's staging folder failed; nothing was switched
#   4  a new worker failed to start or pass its health check; the previous
#      files are back in place and the old instances still serve
#   5  as 4, but restoring the previous files or settings failed too;
#      inspect the target (the output names the folder)
#   6  the control endpoint could not be reached; the previous files are back
set -euo pipefail

script_dir=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
source_dir=$repo_root

usage() {
    echo "usage: scripts/deploy.sh [--source DIR] TARGET [WORKER...]" >&2
    exit 2
}

if [[ "${1:-}" == "--source" ]]; then
    [[ $# -ge 2 ]] || usage
    source_dir=$(cd "$2" && pwd)
    shift 2
fi
[[ $# -ge 1 ]] || usage
target_name=$1
shift

jar="$repo_root/server/target/tqserver.jar"
if [[ ! -f "$jar" ]]; then
    echo "deploy: $jar not found; build it with scripts/build-prod.sh" >&2
    exit 2
fi
java_bin=java
if [[ -n "${JAVA_HOME:-}" ]]; then
    java_bin="$JAVA_HOME/bin/java"
fi
assignments=$("$java_bin" -cp "$jar" io.tqserver.deploy.DeploymentTargetTool \
    "$source_dir/config/deployment.yaml" "$target_name") || exit 2
target_host='' target_path='' control_port='' swap_timeout=''
eval "$assignments"

# Runs a shell command on the target: over ssh, or here for a local folder.
on_target() {
    if [[ -n "$target_host" ]]; then
        ssh -o BatchMode=yes "$target_host" "$1"
    else
        bash -c "$1"
    fi
}

# Copies a local folder's content into a folder on the target.
copy_to_target() {
    local from=$1 to=$2
    if [[ -n "$target_host" ]]; then
        rsync -a --mkpath "$from/" "$target_host:$to/"
    else
        mkdir -p "$to" && cp -a "$from/." "$to/"
    fi
}

# Selects the workers and checks that each has an artifact and a config.
workers=("$@")
with_server_config=false
if [[ ${#workers[@]} -eq 0 ]]; then
    with_server_config=true
    for folder in "$source_dir"/workers/*/; do
        [[ -f "$folder/config/worker.yaml" ]] && workers+=("$(basename "$folder")")
    done
fi
for worker in "${workers[@]}"; do
    if [[ ! -f "$source_dir/workers/$worker/config/worker.yaml" ]]; then
        echo "deploy: worker not found: $source_dir/workers/$worker" >&2
        exit 2
    fi
    if [[ ! -d "$source_dir/workers/$worker/bin" ]] \
            || [[ -z "$(ls -A "$source_dir/workers/$worker/bin")" ]]; then
        echo "deploy: no artifact in $source_dir/workers/$worker/bin;" \
            "build it with scripts/build-prod.sh" >&2
        exit 2
    fi
done

# Lays out the staging tree locally: only artifacts and config.
deploy_id="$(date -u +%Y%m%dT%H%M%SZ)-$$"
local_stage=$(mktemp -d)
trap 'rm -rf "$local_stage"' EXIT
files=()
for worker in "${workers[@]}"; do
    for part in bin config; do
        mkdir -p "$local_stage/workers/$worker/$part"
        cp -a "$source_dir/workers/$worker/$part/." "$local_stage/workers/$worker/$part/"
    done
done
if $with_server_config && [[ -f "$source_dir/config/server.yaml" ]]; then
    mkdir -p "$local_stage/config"
    cp -a "$source_dir/config/server.yaml" "$local_stage/config/"
fi
while IFS= read -r file; do
    files+=("$file")
done < <(cd "$local_stage" && find . -type f ! -name '*.partial' | sed 's|^\./||' | sort)

deploy_dir="$target_path/.deploy/$deploy_id"
echo "deploy: copying ${#files[@]} files to $target_name:$deploy_dir/staging"
if ! copy_to_target "$local_stage" "$deploy_dir/staging"; then
    echo "deploy: copy to $target_name failed; nothing was switched" >&2
    exit 3
fi

# Keeps each file about to be replaced, then renames the staged files into
# place. A file that did not exist before is listed in previous/.new-files.
file_list=$(printf '%q ' "${files[@]}")
switch_script="set -e; cd $(printf '%q' "$target_path"); d=.deploy/$deploy_id
for f in $file_list; do
    mkdir -p \"\$(dirname \"\$d/previous/\$f\")\" \"\$(dirname \"\$f\")\"
    if [ -e \"\$f\" ]; then cp -a \"\$f\" \"\$d/previous/\$f\"; else echo \"\$f\" >> \$d/previous/.new-files; fi
done
for f in $file_list; do mv -f \"\$d/staging/\$f\" \"\$f\"; done"
restore_script="set -e; cd $(printf '%q' "$target_path"); d=.deploy/$deploy_id
for f in $file_list; do
    if [ -e \"\$d/previous/\$f\" ]; then
        cp -a \"\$d/previous/\$f\" \"\$f.rollback\" && mv -f \"\$f.rollback\" \"\$f\"
    else rm -f \"\$f\"; fi
done"

if ! on_target "$switch_script"; then
    echo "deploy: switching files on $target_name failed; restoring" >&2
    on_target "$restore_script" || exit 5
    exit 3
fi

# Sends METHOD PATH to the control endpoint on the target and prints the
# response body followed by the three-digit HTTP status (000 when unreachable).
control() {
    local method=$1 path=$2
    on_target "curl -sS -o /dev/stderr -w '%{http_code}' -X $method \
        --max-time $swap_timeout http://127.0.0.1:$control_port$path" 2>&1 || true
}

rollback() {
    local status=$1
    echo "deploy: rolling back $target_name" >&2
    if ! on_target "$restore_script"; then
        echo "deploy: restoring the previous files failed; see $deploy_dir" >&2
        exit 5
    fi
    local answer worker
    # Workers swapped before the failure run the new artifact: swap them back.
    for worker in "${swapped[@]}"; do
        answer=$(control POST "/workers/$worker/swap")
        if [[ "${answer: -3}" != "200" ]]; then
            echo "deploy: swapping $worker back failed: ${answer%???}" >&2
            exit 5
        fi
    done
    answer=$(control POST /reload)
    if [[ "${answer: -3}" != "200" ]]; then
        echo "deploy: files restored, but reloading the previous settings failed: $answer" >&2
        exit 5
    fi
    echo "deploy: rolled back; the previous version still serves" >&2
    exit "$status"
}

swapped=()
for worker in "${workers[@]}"; do
    echo "deploy: swapping worker $worker"
    answer=$(control POST "/workers/$worker/swap")
    code=${answer: -3}
    body=${answer%???}
    case "$code" in
        200)
            echo "deploy: worker $worker swapped and healthy"
            swapped+=("$worker") ;;
        000)
            echo "deploy: control endpoint 127.0.0.1:$control_port unreachable: $body" >&2
            rollback 6 ;;
        *)
            echo "deploy: worker $worker failed (HTTP $code): $body" >&2
            rollback 4 ;;
    esac
done
if $with_server_config; then
    answer=$(control POST /reload)
    if [[ "${answer: -3}" != "200" ]]; then
        echo "deploy: server.yaml rejected: ${answer%???}" >&2
        rollback 4
    fi
fi
on_target "rm -rf $(printf '%q' "$deploy_dir/staging")"
echo "deploy: $target_name done; previous files kept in $deploy_dir/previous"
