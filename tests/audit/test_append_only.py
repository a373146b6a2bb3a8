"""The audit cannot be edited from the application: on PostgreSQL the database itself
refuses to UPDATE or DELETE an entry, through the ORM and through raw SQL (migration
audit 0003). Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_audit pytest -p no:xdist tests/audit``.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from eakutur.audit.models import AuditAction, AuditEntry
from eakutur.audit.services import audit_read

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger is PostgreSQL's (SQLite has none: it would break "
    "Django's flush, see docs/decisions.md)",
)

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry(officer, household):
    return audit_read(
        actor=officer, instance=household, fields=["ethnicity"], note="/households/1/"
    )


def refused(change) -> str:
    """Run ``change`` in a savepoint; return the database's refusal."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():
        change()
    return str(refusal.value)


def unchanged(entry) -> None:
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.note, stored.actor_id) == (
        AuditAction.VIEW,
        "/households/1/",
        entry.actor_id,
    )


def test_the_orm_cannot_update_an_entry(entry):
    def save():
        entry.note = "sửa lại"
        entry.save()

    assert "append-only" in refused(save)
    assert "append-only" in refused(
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(action="update")
    )
    unchanged(entry)


def test_the_orm_cannot_delete_an_entry(entry):
    assert "append-only" in refused(entry.delete)
    assert "append-only" in refused(AuditEntry.objects.all().delete)
    unchanged(entry)


def test_raw_sql_cannot_update_or_delete_an_entry(entry):
    def execute(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])

        return run

    update = f"UPDATE {TABLE} SET note = '' WHERE id = %s"  # noqa: S608 (our own table)
    delete = f"DELETE FROM {TABLE} WHERE id = %s"  # noqa: S608
    assert "append-only" in refused(execute(update))
    assert "append-only" in refused(execute(delete))
    unchanged(entry)


def test_entries_can_still_be_added(entry, officer, household):
    audit_read(actor=officer, instance=household, fields=["poverty_status"])
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_is_still_flushed(officer, household):
    """Django empties the database after this test with TRUNCATE, which the trigger
    leaves alone (no BEFORE TRUNCATE trigger): were it refused, this test's teardown
    would fail."""
    audit_read(actor=officer, instance=household, fields=["ethnicity"])
    assert AuditEntry.objects.count() == 1
