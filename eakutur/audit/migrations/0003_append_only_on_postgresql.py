"""The database itself refuses to change or delete an audit entry (PostgreSQL only).

A row-level BEFORE UPDATE OR DELETE trigger raises, whoever asks: the ORM, raw SQL, a
psql session with the application's credentials. It fires per row, so a statement that
touches no entry (an empty cascade check) still runs.

Deliberately not here:
- a BEFORE TRUNCATE trigger: Django flushes a PostgreSQL test database with TRUNCATE
  after every transactional test (pytest-django's ``transactional_db``, the browser
  tests), which would then fail. TRUNCATE needs its own privilege; deploy/README.md shows
  how a deployment grants the application's role only INSERT and SELECT on the table.
- SQLite: Django flushes SQLite with DELETE, so a trigger there would break every
  transactional test; and SQLite rebuilds a table (dropping its triggers) whenever a
  migration alters it. SQLite is for development and tests, production runs PostgreSQL
  (docs/decisions.md, "Audit of sensitive reads").

A later data migration that must rewrite entries drops the trigger, does its work and
installs it again, in one migration, on purpose and reviewed.
"""

from django.db import migrations

FUNCTION = "audit_auditentry_append_only"

INSTALL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'The audit history can only be added to.';
END;
$$;
CREATE TRIGGER {FUNCTION}
    BEFORE UPDATE OR DELETE ON {{table}}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""

REMOVE = f"""
DROP TRIGGER IF EXISTS {FUNCTION} ON {{table}};
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(
            apps.get_model("audit", "AuditEntry")._meta.db_table
        )
        # No params: the % in RAISE is plpgsql's, not a placeholder.
        schema_editor.execute(sql.format(table=table), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_read_actions"),
    ]

    operations = [
        migrations.RunPython(_run(INSTALL), _run(REMOVE), elidable=False),
    ]
