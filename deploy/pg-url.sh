# Shared by deploy/backup.sh and deploy/restore.sh (sourced, not run).
#
# use_database_url URL: sets db_url to URL as libpq takes it, without its password,
# which goes to PGPASSWORD instead: a password on the command line of pg_dump, pg_restore or psql is visible to
# every user of the machine (ps). Accepts the schemes the portal's settings accept.
use_database_url() {
    local url=$1 scheme rest authority userinfo password
    scheme=${url%%://*}
    case $scheme in
    postgres | postgresql | pgsql | postgis) ;;
    *)
        echo "$0: not a PostgreSQL URL (scheme '$scheme')" >&2
        exit 2
        ;;
    esac
    rest=${url#*://}
    authority=${rest%%[/?]*}
    rest=${rest#"$authority"}
    if [[ $authority == *@* ]]; then
        userinfo=${authority%@*}
        authority="${userinfo%%:*}@${authority##*@}"
        if [[ $userinfo == *:* ]]; then
            password=${userinfo#*:}
            password=${password//\\/\\\\} # backslashes stay literal,
            PGPASSWORD=$(printf '%b' "${password//%/\\x}") # %XX is decoded
            export PGPASSWORD
        fi
    fi
    db_url="postgresql://$authority$rest"
}
