#!/usr/bin/env bash
# Start the portal on a developer's machine: the web server, a Celery worker and Celery
# beat, all in the foreground. One Ctrl-C stops all three. `make run` prepares everything
# (virtualenv, migrations, messages, static files, demo data) and then calls this script.
#
#   PORT=8000 HOST=127.0.0.1 scripts/run_dev.sh
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
URL="http://${HOST}:${PORT}/"
export PYTHONUNBUFFERED=1

banner() {
    echo
    echo "  Ea Ktur commune portal: ${URL}"
    # The demo logins come from the demo data module; print nothing if it is not there.
    "$PY" - <<'EOF' 2>/dev/null || true
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakutur.settings")
import django

django.setup()
from households.demo import DEMO_LOGINS

print("  Demo logins (username / password / role):")
for username, password, role in DEMO_LOGINS:
    print(f"    {username:<16} {password:<20} {role}")
EOF
    echo "  Press Ctrl-C to stop the web server, the Celery worker and beat."
    echo
}

# Each service runs in its own process group (job control), so stopping a service also
# stops its children (runserver's autoreloader, the worker's pool processes).
set -m
pids=()

start() {  # start NAME COMMAND...: run COMMAND with its output prefixed by NAME
    local name=$1
    shift
    # The prefixing sed ignores Ctrl-C so that the services' last words still show.
    "$@" </dev/null > >(trap '' INT TERM; exec sed -u "s/^/${name} | /") 2>&1 &
    pids+=("$!")
}

stopping=0
ready_pid=""
stop_all() {
    [[ $stopping == 1 ]] && return
    stopping=1
    trap '' INT TERM
    [[ -n $ready_pid ]] && { kill -- "-$ready_pid" || kill "$ready_pid"; } 2>/dev/null
    echo
    echo "Stopping the web server, the worker and beat..."
    # What a Ctrl-C in a terminal does: SIGINT to each service's whole process group
    # (Celery's pool processes ignore it and let the worker shut them down warmly).
    signal_all INT
    wait_all 100 || { signal_all TERM; wait_all 30; } || signal_all KILL
    wait 2>/dev/null
}

signal_all() {  # signal_all SIGNAL: send SIGNAL to every service's process group
    local pid
    for pid in "${pids[@]}"; do
        kill "-$1" -- "-$pid" 2>/dev/null || kill "-$1" "$pid" 2>/dev/null || true
    done
}

wait_all() {  # wait_all TENTHS: wait until every process group is gone; 1 on timeout
    local pid
    for _ in $(seq 1 "$1"); do
        local alive=0
        for pid in "${pids[@]}"; do
            kill -0 -- "-$pid" 2>/dev/null && alive=1
        done
        [[ $alive == 0 ]] && return 0
        sleep 0.1
    done
    return 1
}
trap 'stop_all; exit 0' INT  # Ctrl-C is how one stops it: not an error
trap 'stop_all; exit 143' TERM

banner

start "web   " "$PY" manage.py runserver "${HOST}:${PORT}"
start "worker" "$PY" -m celery -A eakutur worker --loglevel=INFO --concurrency=2 \
    --hostname="worker@%h"
start "beat  " "$PY" -m celery -A eakutur beat --loglevel=INFO

# Say so once the web server answers, in case the banner scrolled away.
(
    for _ in $(seq 1 120); do
        if "$PY" -c "import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=2)" \
            "${URL}accounts/login/" >/dev/null 2>&1; then
            echo ">>> Ready: ${URL} (demo logins above; Ctrl-C stops everything)"
            exit 0
        fi
        sleep 1
    done
) &
ready_pid=$!

# When any one of the three stops on its own, stop the others and report it.
wait -n "${pids[@]}"
status=$?
echo "A service stopped (exit status ${status}); stopping the others."
stop_all
exit "$status"
