#!/usr/bin/env bash
# The load test's two runs, against the stack `make load` started (python -m
# tests.prodstack ... -- tests/load/run.sh), which gives PRODSTACK_URL and PRODSTACK_FACTS:
#
#   1. the floor alone: FLOOR_USERS clients back to back for FLOOR_TIME (FloorCapacity);
#   2. the mix: LOAD_USERS people (officials, residents, the admin, one floor prober)
#      arriving LOAD_SPAWN_RATE a second, for LOAD_TIME.
#
# Both are bounded in time (locust stops by itself; --stop-timeout lets a request in
# flight finish). The CSV files and the HTML report go to LOAD_RESULTS; the tables of
# docs/performance.md are printed at the end (tests/load/report.py).
set -euo pipefail

locust=${LOCUST:-.venv-load/bin/locust}
out=${LOAD_RESULTS:-test-artifacts/load}
mkdir -p "$out"
common=(-f tests/load/locustfile.py --headless --only-summary --stop-timeout 10)

echo "== 1. The floor alone: ${FLOOR_USERS:=8} clients back to back for ${FLOOR_TIME:=20s}"
"$locust" "${common[@]}" -u "$FLOOR_USERS" -r "$FLOOR_USERS" -t "$FLOOR_TIME" \
    --csv "$out/floor" FloorCapacity

echo "== 2. The mix: ${LOAD_USERS:=40} people, ${LOAD_SPAWN_RATE:=10} a second, for ${LOAD_TIME:=60s}"
# locust exits 1 when a request failed: the report still gets written.
status=0
"$locust" "${common[@]}" -u "$LOAD_USERS" -r "$LOAD_SPAWN_RATE" -t "$LOAD_TIME" \
    --csv "$out/mix" --html "$out/mix.html" Official Resident Admin Floor || status=$?

"${PYTHON:-.venv/bin/python}" tests/load/report.py "$out"
exit "$status"
