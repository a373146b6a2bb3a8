"""deploy/backup.sh and deploy/restore.sh on a real PostgreSQL: a dump of the test
database restored into a scratch database holds the same rows.

Runs only where DATABASE_URL is a PostgreSQL URL and the client programs are installed
(CI's PostgreSQL pass); skipped on the embedded defaults (SQLite).
"""

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import environ
import pytest
from django.db import connection

from households.models import Household, Member, Village
from loans.models import LoanProgram
from tests.factories import HouseholdFactory, VillageFactory

BASE_DIR = Path(__file__).resolve().parents[2]
BACKUP = BASE_DIR / "deploy" / "backup.sh"
RESTORE = BASE_DIR / "deploy" / "restore.sh"
TOOLS = ("pg_dump", "pg_restore", "psql")


def _on_postgresql() -> bool:
    url = os.environ.get("DATABASE_URL", "")
    return bool(url) and "postgresql" in environ.Env.db_url_config(url)["ENGINE"]


pytestmark = [
    pytest.mark.skipif(not _on_postgresql(), reason="needs DATABASE_URL on PostgreSQL"),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in TOOLS),
        reason="needs pg_dump, pg_restore and psql",
    ),
]


def _url(settings: dict, name: str) -> str:
    """A postgres:// URL to database ``name`` with the test connection's credentials."""
    user = quote(settings.get("USER") or "", safe="")
    password = settings.get("PASSWORD") or ""
    auth = (
        f"{user}:{quote(password, safe='')}@"
        if password
        else f"{user}@"
        if user
        else ""
    )
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{name}"


def _connect(settings: dict, name: str):
    import psycopg2

    conn = psycopg2.connect(
        dbname=name,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def _counts(conn, models) -> dict[str, int]:
    with conn.cursor() as cursor:
        counts = {}
        for model in models:
            cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')  # noqa: S608
            counts[model._meta.label] = cursor.fetchone()[0]
    return counts


def _run(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(arg) for arg in args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# transaction=True: the rows are committed, so pg_dump (another process) sees them.
# serialized_rollback: the reference data (loan programs...) comes back afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restores_into_a_scratch_database_with_the_same_rows(tmp_path):
    village = VillageFactory()
    HouseholdFactory.create_batch(3, village=village)
    HouseholdFactory.create_batch(2)  # in villages of their own
    models = (Household, Member, Village, LoanProgram)
    source = {model._meta.label: model.objects.count() for model in models}
    assert source["households.Household"] == 5
    assert source["households.Member"] >= 5  # the heads
    assert source["loans.LoanProgram"] > 0  # from the data migration

    settings = connection.settings_dict
    name = settings["NAME"]
    scratch = f"{name}_restore"
    backup_dir = tmp_path / "backups"
    backup_dir.mkdir()
    # Older dumps of earlier nights: with BACKUP_KEEP=2 only the newest of them stays
    # beside tonight's; a file that is not one of our dumps is never touched.
    for stamp in ("20240101-0215", "20240102-0215", "20240103-0215"):
        (backup_dir / f"eakutur-{stamp}.dump").write_bytes(b"old")
    (backup_dir / "notes.txt").write_text("keep me")

    done = _run(
        BACKUP,
        env={
            "DATABASE_URL": _url(settings, name),
            "BACKUP_DIR": str(backup_dir),
            "BACKUP_KEEP": "2",
        },
    )
    assert done.returncode == 0, done.stderr
    dump = Path(done.stdout.splitlines()[0])
    assert dump.parent == backup_dir
    assert dump.name.startswith("eakutur-") and dump.suffix == ".dump"
    assert (dump.stat().st_mode & 0o077) == 0  # personal data: owner only
    assert sorted(p.name for p in backup_dir.iterdir()) == sorted(
        ["eakutur-20240103-0215.dump", dump.name, "notes.txt"]
    )

    admin = _connect(settings, "postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        scratch_url = _url(settings, scratch)

        done = _run(RESTORE, dump, scratch_url, env={})
        assert done.returncode == 0, done.stderr
        restored = _connect(settings, scratch)
        try:
            assert _counts(restored, models) == source

            # Now the scratch database is not empty: refused without --force...
            with restored.cursor() as cursor:
                # CASCADE: the members (and anything else of the households) go too.
                cursor.execute(f'TRUNCATE "{Household._meta.db_table}" CASCADE')
            done = _run(RESTORE, dump, scratch_url, env={})
            assert done.returncode == 3
            assert "not empty" in done.stderr
            assert _counts(restored, (Household, Member)) == {
                "households.Household": 0,
                "households.Member": 0,
            }

            # ...and replaced with it.
            done = _run(RESTORE, "--force", dump, scratch_url, env={})
            assert done.returncode == 0, done.stderr
            assert _counts(restored, models) == source
        finally:
            restored.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.close()


def test_backup_fails_on_an_unreachable_database(tmp_path):
    done = _run(
        BACKUP,
        env={
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "BACKUP_DIR": str(tmp_path),
        },
    )
    assert done.returncode != 0
    assert list(tmp_path.iterdir()) == []  # no partial dump left behind


def test_backup_refuses_a_database_url_that_is_not_postgresql(tmp_path):
    done = _run(
        BACKUP,
        env={"DATABASE_URL": "sqlite:////tmp/x.sqlite3", "BACKUP_DIR": str(tmp_path)},
    )
    assert done.returncode == 2
    assert "not a PostgreSQL URL" in done.stderr
