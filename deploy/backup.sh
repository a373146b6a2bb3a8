#!/usr/bin/env bash
# Back up the portal's PostgreSQL database: one pg_dump a run, the last few kept.
#
#   DATABASE_URL=postgres://portal:secret@db.internal:5432/eakutur \
#   BACKUP_DIR=/var/backups/eakutur BACKUP_KEEP=14 deploy/backup.sh
#
# Run it from the crontab of the portal's user (see README, "Backups"), e.g. nightly at 02:15:
#
#   15 2 * * *  set -a; . /etc/eakutur/env; set +a; /srv/eakutur/deploy/backup.sh
#
# DATABASE_URL  the database, as the portal reads it (postgres:// or postgresql://).
# BACKUP_DIR    where the dumps go (created if missing); default /var/backups/eakutur.
# BACKUP_KEEP   how many dumps to keep, the newest; default 14 (two weeks of nightly runs).
#
# Each run writes BACKUP_DIR/eakutur-YYYYmmdd-HHMM.dump in pg_dump's custom format (-Fc:
# compressed, restored table by table with pg_restore; see deploy/restore.sh), prints its
# path, then deletes the oldest dumps beyond BACKUP_KEEP. The dump is written under a
# temporary name and checked with `pg_restore --list` before it takes its final name, so
# a failed or truncated dump is never counted as a backup and never rotates a good one
# out. Any failure exits non-zero (cron mails the output). Run it on a machine with the
# same or a newer major version of pg_dump than the server.
#
# The dumps hold every household's personal data: they are created readable by their
# owner only; copy them off the machine (another site) with the same care.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user:password@host:port/name)}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/eakutur}
BACKUP_KEEP=${BACKUP_KEEP:-14}
if ! [[ $BACKUP_KEEP =~ ^[1-9][0-9]*$ ]]; then
    echo "backup.sh: BACKUP_KEEP must be a whole number of at least 1, not '$BACKUP_KEEP'" >&2
    exit 2
fi

# shellcheck source=deploy/pg-url.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/pg-url.sh"

use_database_url "$DATABASE_URL"

umask 077
mkdir -p -- "$BACKUP_DIR"
dump="$BACKUP_DIR/eakutur-$(date +%Y%m%d-%H%M).dump"
partial="$dump.partial"
trap 'rm -f -- "$partial"' EXIT

pg_dump --format=custom --dbname="$db_url" --file="$partial"
pg_restore --list "$partial" >/dev/null
mv -f -- "$partial" "$dump"
echo "$dump"

# Rotation: the names sort by date, oldest first; the glob matches our dumps only.
shopt -s nullglob
dumps=("$BACKUP_DIR"/eakutur-[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9].dump)
excess=$((${#dumps[@]} - BACKUP_KEEP))
if ((excess > 0)); then
    for old in "${dumps[@]:0:excess}"; do
        rm -f -- "$old"
        echo "removed $old (BACKUP_KEEP=$BACKUP_KEEP)"
    done
fi
