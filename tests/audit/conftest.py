"""A household with sensitive data in both villages, and the audit rows a test reads."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType

from eakutur.audit.models import READ_ACTIONS, AuditEntry
from households.models import Household
from tests.factories import HouseholdFactory, MemberFactory, ede

HEAD_ID = "066085001234"
CHILD_ID = "066305004321"


@pytest.fixture
def household(village):
    """In ``village`` (the officer's): an Ê Đê household on the poor list, whose head and
    one member have national ID numbers."""
    household = HouseholdFactory(
        village=village,
        code="HK001",
        head_name="Y Bhim Niê",
        head_national_id=HEAD_ID,
        ethnic_group=ede(),
        current_status="poor",
        current_review_year=2025,
    )
    MemberFactory(
        household=household,
        full_name="H'Lan Niê",
        national_id=CHILD_ID,
        ethnic_group=ede(),
    )
    return household


@pytest.fixture
def elsewhere(other_village):
    """A household of a village the officer is not assigned to."""
    return HouseholdFactory(
        village=other_village, code="BT001", head_national_id="066090007777"
    )


def reads() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action__in=READ_ACTIONS).order_by("id"))


def the_read() -> AuditEntry:
    """The one read entry written; fails if there are none or several."""
    entries = reads()
    assert len(entries) == 1, f"{len(entries)} read entries, expected exactly one"
    return entries[0]


def assert_keeps_no_values(entry: AuditEntry, *values: str) -> None:
    """A read entry says what was shown, never the shown values themselves."""
    stored = " ".join(
        [entry.object_repr, entry.note, json.dumps(entry.changes, ensure_ascii=False)]
    )
    for value in (HEAD_ID, CHILD_ID, "Ê-đê", "Ede", "poor", *values):
        assert value not in stored, f"{value!r} is kept in the audit entry"


def household_type() -> ContentType:
    return ContentType.objects.get_for_model(Household)
