#!/usr/bin/env bash
# manage.py on a server installed by deploy/README.md: run as the eakutur user, in the
# project folder, with the services' environment (/etc/eakutur/env, read the way the
# settings read a .env file; a variable already set in the environment wins).
#
#   sudo /srv/eakutur/deploy/manage.sh migrate
#   sudo /srv/eakutur/deploy/manage.sh createsuperuser
#
# EAKUTUR_ENV_FILE and EAKUTUR_USER change the file and the user.
set -euo pipefail

cd "$(dirname "$0")/.."
env_file=${EAKUTUR_ENV_FILE:-/etc/eakutur/env}
run_as=${EAKUTUR_USER:-eakutur}

if [[ $(id -un) != "$run_as" ]]; then
    if [[ $(id -u) != 0 ]]; then
        echo "$0: run it as root (sudo) or as $run_as" >&2
        exit 2
    fi
    exec runuser -u "$run_as" -- "$0" "$@"
fi
if [[ ! -r $env_file ]]; then
    echo "$0: cannot read $env_file (see deploy/README.md, first install)" >&2
    exit 2
fi
exec .venv/bin/python -c '
import runpy
import sys

import environ

environ.Env.read_env(sys.argv[1], overwrite=False)
sys.argv = ["manage.py", *sys.argv[2:]]
runpy.run_path("manage.py", run_name="__main__")
' "$env_file" "$@"
