#!/usr/bin/env bash
# Restore a dump made by deploy/backup.sh into a PostgreSQL database.
#
#   deploy/restore.sh [--force] DUMP_FILE TARGET_DATABASE_URL
#
#   deploy/restore.sh /var/backups/eakutur/eakutur-20250101-0215.dump \
#       postgres://portal:secret@db.internal:5432/eakutur_restore
#
# The target database must exist (createdb it first). Without --force it must be empty
# (no table, view or sequence outside PostgreSQL's own schemas): the script refuses,
# exit status 3, rather than mix two databases' rows or overwrite the live one by a slip
# of the URL. With --force the objects of the dump are dropped first and recreated
# (pg_restore --clean --if-exists); tables the dump does not have are left alone.
#
# Objects are owned by the user of TARGET_DATABASE_URL (--no-owner), so a dump of the
# production database restores on another server under another user. The restore runs in
# one transaction: if any statement fails, nothing is changed (the old data of a forced
# restore included) and the exit status is non-zero. The portal's web, worker and beat
# processes should be stopped while the live database is restored, then started again
# (`manage.py migrate` first if the dump is from an older release).
set -euo pipefail

usage() {
    echo "usage: $0 [--force] DUMP_FILE TARGET_DATABASE_URL" >&2
    exit 2
}

force=0
args=()
for arg in "$@"; do
    case $arg in
    --force) force=1 ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) args+=("$arg") ;;
    esac
done
((${#args[@]} == 2)) || usage
dump_file=${args[0]}
target_url=${args[1]}

if [[ ! -r $dump_file ]]; then
    echo "$0: cannot read the dump $dump_file" >&2
    exit 2
fi

# shellcheck source=deploy/pg-url.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/pg-url.sh"

use_database_url "$target_url"

# A dump that pg_restore cannot read fails here, before the target is touched.
pg_restore --list "$dump_file" >/dev/null

objects=$(psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 \
    --dbname="$db_url" --command="
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'")

restore=(pg_restore --no-owner --single-transaction --exit-on-error)
if ((force)); then
    restore+=(--clean --if-exists)
elif ((objects > 0)); then
    echo "$0: the target database is not empty ($objects tables, views or sequences);" \
        "pass --force to replace what the dump holds" >&2
    exit 3
fi

"${restore[@]}" --dbname="$db_url" "$dump_file"
# pg_restore leaves the planner without statistics until autovacuum comes round.
psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname="$db_url" --command="ANALYZE"
echo "restored $dump_file"
