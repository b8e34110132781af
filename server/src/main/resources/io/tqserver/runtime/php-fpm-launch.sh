#!/usr/bin/env bash
# Starts php-fpm for TQServer and makes sure that no part of it outlives TQServer.
#
# Usage: setsid php-fpm-launch.sh PHP_FPM [ARGUMENT...]
#
# Run under setsid, this shell leads a new process group, then becomes php-fpm's master
# process through exec, so TQServer's SIGTERM and SIGKILL reach the master directly. Before
# that, it starts a watchdog in the same group. php-fpm does not watch its parent, and its
# children keep running when the master is killed with SIGKILL, so the watchdog:
#   - sends SIGTERM to the group when its standard input reaches end of file, which happens
#     when TQServer exits in any way, since TQServer holds the other end of the pipe;
#   - sends SIGKILL to the group once the master has exited, which removes orphaned children.
set -u

master=$$
# How often the watchdog checks the master, in seconds; also the longest time a child
# outlives a master killed with SIGKILL.
check_interval=0.2
# Checks after SIGTERM before SIGKILL, when TQServer has gone (25 x 0.2 s = 5 s).
term_checks=25

master_alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$master/stat" || return 1
    # A zombie has exited and only waits to be reaped.
    [[ "${stat##*) }" != Z* ]]
}

# Field 5 of /proc/PID/stat is the process group; without setsid only the master is signalled.
read -r stat <"/proc/$master/stat"
read -r -a fields <<<"${stat##*) }"
leads_group=0
[[ "${fields[2]}" == "$master" ]] && leads_group=1

kill_group() {
    if (( leads_group )); then
        kill "-$1" -- "-$master" 2>/dev/null
    elif master_alive; then
        kill "-$1" "$master" 2>/dev/null
    fi
}

exec 3<&0
(
    trap '' TERM INT QUIT HUP
    exec 0</dev/null
    while master_alive; do
        read -r -t "$check_interval" -u 3 _
        status=$?
        if (( status > 0 && status <= 128 )); then
            # End of file: TQServer is gone.
            kill_group TERM
            for (( i = 0; i < term_checks; i++ )); do
                master_alive || break
                sleep "$check_interval"
            done
            break
        fi
    done
    kill_group KILL
) &
exec 3<&-
exec "$@" </dev/null
