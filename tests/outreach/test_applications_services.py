"""Assisted application services: recording within the user's villages, who may be named
as the helper, dates, the unique reference number, the status walk, and nothing
half-saved on a refusal.

"Today" is pinned to 15/06/2025 in Asia/Ho_Chi_Minh; messages are compared in
Vietnamese (the default language).
"""

from datetime import date, datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from eakutur.audit.models import AuditAction, AuditEntry
from outreach.models import ApplicationStatus, AssistedApplication, PublicService
from outreach.services import (
    APPLICATION_TRANSITIONS,
    application_record,
    application_update,
    application_update_status,
)
from tests.factories import HouseholdFactory
from tests.factories.outreach import (
    AssistedApplicationFactory,
    DigitalTeamFactory,
    TeamMemberFactory,
)
from tests.pages import vi

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture(autouse=True)
def _today():
    moment = datetime(2025, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def household(village):
    return HouseholdFactory(village=village, code="T01-001", head_name="Y Bhin Niê")


@pytest.fixture
def helper(village):
    return TeamMemberFactory(
        team=DigitalTeamFactory(village=village), full_name="Hoàng Thị Mai"
    )


def vi_label(status: str) -> str:
    """A status as a Vietnamese user reads it."""
    with translation.override("vi"):
        return str(S(status).label)


def errors_of(exc) -> dict[str, list[str]]:
    return exc.value.message_dict


def record(actor, household, **overrides):
    kwargs = {
        "service": PublicService.HEALTH_INSURANCE,
        "filed_on": date(2025, 6, 10),
    }
    kwargs.update(overrides)
    return application_record(actor=actor, household=household, **kwargs)


# --- Recording --------------------------------------------------------------------------


def test_an_officer_records_an_application_their_team_helped_with(
    officer, household, helper
):
    application = record(
        officer,
        household,
        reference_number=" g22.99-250610-0001 ",
        helped_by=helper,
        follow_up_on=date(2025, 6, 20),
        note="Đã chụp CCCD",
    )
    assert application.status == S.FILED
    assert application.reference_number == "G22.99-250610-0001"
    assert application.recorded_by == officer
    assert application.helped_by == helper
    entry = AuditEntry.objects.get(object_id=application.pk)
    assert (entry.action, entry.parent_id) == (AuditAction.CREATE, household.pk)
    assert entry.changes["helped_by"] == [None, "Hoàng Thị Mai"]


def test_a_household_of_another_village_is_refused(officer, other_village):
    stranger = HouseholdFactory(village=other_village)
    with pytest.raises(PermissionDenied):
        record(officer, stranger)
    assert not AssistedApplication.objects.exists()


def test_an_archived_household_is_refused(official, village):
    archived = HouseholdFactory(
        village=village, is_active=False, archived_reason="Chuyển đi"
    )
    with pytest.raises(ValidationError) as exc:
        record(official, archived)
    assert exc.value.messages == [
        vi("This household is archived; restore it before changing its records.")
    ]
    assert not AssistedApplication.objects.exists()


def test_the_helper_must_be_a_current_member_of_the_households_village_team(
    official, household, other_village, helper
):
    outsider = TeamMemberFactory(team=DigitalTeamFactory(village=other_village))
    former = TeamMemberFactory(team=helper.team, left_on=date(2025, 5, 1))
    expected = [
        vi(
            "Choose a current member of the digital team of %(village)s.",
            village="Thôn 1",
        )
    ]
    for wrong in (outsider, former):
        with pytest.raises(ValidationError) as exc:
            record(official, household, helped_by=wrong)
        assert errors_of(exc)["helped_by"] == expected
    assert not AssistedApplication.objects.exists()
    # Nobody from the team is allowed too (the commune office helped).
    assert record(official, household).helped_by is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"filed_on": date(2025, 6, 16)}, "filed_on", "This date is in the future."),
        (
            {"filed_on": date(2019, 12, 31)},
            "filed_on",
            "The filing date is too far in the past.",
        ),
        (
            {"service": PublicService.OTHER, "service_detail": "  "},
            "service_detail",
            "Say which service it is.",
        ),
        (
            {"filed_on": date(2025, 6, 10), "follow_up_on": date(2025, 6, 14)},
            "follow_up_on",
            "The follow-up date cannot be in the past.",
        ),
    ],
)
def test_refusals_name_the_field_and_save_nothing(
    official, household, overrides, field, message
):
    with pytest.raises(ValidationError) as exc:
        record(official, household, **overrides)
    assert errors_of(exc)[field] == [vi(message)]
    assert not AssistedApplication.objects.exists()
    assert not AuditEntry.objects.exists()


def test_other_service_keeps_its_name_and_a_listed_one_drops_the_detail(
    official, household
):
    other = record(
        official, household, service=PublicService.OTHER, service_detail=" Cấp đổi "
    )
    assert other.service_detail == "Cấp đổi"
    listed = record(official, household, service_detail="bỏ qua")
    assert listed.service_detail == ""


def test_a_reference_number_is_recorded_once(official, household, village):
    record(official, household, reference_number="G22.99-250610-0001")
    neighbour = HouseholdFactory(village=village)
    with pytest.raises(ValidationError) as exc:
        record(official, neighbour, reference_number="g22.99-250610-0001")
    assert errors_of(exc)["reference_number"] == [
        vi("An application with this reference number is already recorded.")
    ]
    assert AssistedApplication.objects.count() == 1
    # Without a reference number any number of applications may be recorded.
    record(official, neighbour)
    record(official, neighbour)
    assert AssistedApplication.objects.count() == 3


def test_the_same_reference_saved_meanwhile_reads_as_the_constraint(
    official, household, monkeypatch
):
    """Another official saved the same code between the check and the save."""
    from outreach.services import applications as application_services

    AssistedApplicationFactory(household=household, reference_number="ABC-1")
    monkeypatch.setattr(application_services, "_check", lambda *a, **k: None)
    with pytest.raises(ValidationError) as exc:
        record(official, household, reference_number="abc-1")
    assert errors_of(exc) == {
        "reference_number": [
            vi("An application with this reference number is already recorded.")
        ]
    }
    assert AssistedApplication.objects.count() == 1
    assert not AuditEntry.objects.exists()


# --- The status walk ------------------------------------------------------------------


ALLOWED = {(a, b) for a, targets in APPLICATION_TRANSITIONS.items() for b in targets}


def test_the_walk_is_the_one_the_commune_uses():
    assert {
        (S.FILED, S.PROCESSING),
        (S.FILED, S.NEEDS_MORE),
        (S.FILED, S.DONE),
        (S.FILED, S.REJECTED),
        (S.PROCESSING, S.NEEDS_MORE),
        (S.NEEDS_MORE, S.PROCESSING),
        (S.NEEDS_MORE, S.REJECTED),
        (S.PROCESSING, S.DONE),
        (S.PROCESSING, S.REJECTED),
    } == ALLOWED


@pytest.mark.parametrize(
    ("start", "target"),
    [(a, b) for a, b in product(S.values, S.values) if a != b],
)
def test_every_step_of_the_walk(official, household, start, target):
    application = AssistedApplicationFactory(
        household=household, status=start, follow_up_on=date(2025, 6, 20)
    )
    if (start, target) in ALLOWED:
        application_update_status(
            actor=official, application=application, status=target
        )
        application.refresh_from_db()
        assert application.status == target
        entry = AuditEntry.objects.get(object_id=application.pk)
        assert entry.changes["status"] == [vi_label(start), vi_label(target)]
        return
    with pytest.raises(ValidationError) as exc:
        application_update_status(
            actor=official, application=application, status=target
        )
    if start in (S.DONE, S.REJECTED):
        assert exc.value.messages == [
            vi(
                "This application is final (%(status)s); its status cannot change.",
                status=vi_label(start),
            )
        ]
    else:
        message = errors_of(exc)["status"][0]
        assert vi_label(target) in message
        assert vi_label(start) in message
    application.refresh_from_db()
    assert application.status == start
    assert not AuditEntry.objects.exists()


def test_a_final_status_clears_the_follow_up_and_keeps_the_note(official, household):
    application = AssistedApplicationFactory(
        household=household, status=S.PROCESSING, follow_up_on=date(2025, 6, 20)
    )
    application_update_status(
        actor=official,
        application=application,
        status=S.DONE,
        follow_up_on=date(2025, 6, 25),
        note="Đã nhận thẻ BHYT",
    )
    application.refresh_from_db()
    assert (application.status, application.follow_up_on) == (S.DONE, None)
    entry = AuditEntry.objects.get(object_id=application.pk)
    assert entry.note == "Đã nhận thẻ BHYT"
    assert entry.changes["follow_up_on"] == ["2025-06-20", None]


def test_only_the_follow_up_date_may_change(official, household):
    application = AssistedApplicationFactory(household=household, status=S.PROCESSING)
    application_update_status(
        actor=official,
        application=application,
        status=S.PROCESSING,
        follow_up_on=date(2025, 6, 30),
    )
    application.refresh_from_db()
    assert application.follow_up_on == date(2025, 6, 30)
    with pytest.raises(ValidationError) as exc:
        application_update_status(
            actor=official,
            application=application,
            status=S.PROCESSING,
            follow_up_on=date(2025, 6, 30),
        )
    assert exc.value.messages == [
        vi("Nothing was changed: choose a new status or another follow-up date.")
    ]
    with pytest.raises(ValidationError) as exc:
        application_update_status(
            actor=official,
            application=application,
            status=S.NEEDS_MORE,
            follow_up_on=date(2025, 6, 1),
        )
    assert "follow_up_on" in errors_of(exc)
    application.refresh_from_db()
    assert application.status == S.PROCESSING
    assert AuditEntry.objects.count() == 1


def test_status_of_another_village_is_refused(officer, other_village):
    application = AssistedApplicationFactory(
        household=HouseholdFactory(village=other_village)
    )
    with pytest.raises(PermissionDenied):
        application_update_status(
            actor=officer, application=application, status=S.PROCESSING
        )
    application.refresh_from_db()
    assert application.status == S.FILED


# --- Corrections ------------------------------------------------------------------------


def test_a_correction_is_recorded_and_checked(official, household, village):
    AssistedApplicationFactory(household=household, reference_number="TAKEN-1")
    application = AssistedApplicationFactory(household=household, reference_number="")
    application_update(
        actor=official, application=application, reference_number="new 2"
    )
    application.refresh_from_db()
    assert application.reference_number == "NEW2"
    with pytest.raises(ValidationError) as exc:
        application_update(
            actor=official, application=application, reference_number="taken-1"
        )
    assert "reference_number" in errors_of(exc)
    application.refresh_from_db()
    assert application.reference_number == "NEW2"
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 1


def test_a_helper_who_left_since_stays_on_the_application(official, household):
    application = AssistedApplicationFactory(household=household)
    helper = application.helped_by
    helper.left_on = date(2025, 6, 12)
    helper.save()
    application_update(
        actor=official,
        application=application,
        helped_by=helper,
        note="Bổ sung ghi chú",
    )
    application.refresh_from_db()
    assert (application.helped_by, application.note) == (helper, "Bổ sung ghi chú")
    # Naming someone who has left on an application is still refused.
    other = AssistedApplicationFactory(household=household, helped_by=None)
    with pytest.raises(ValidationError) as exc:
        application_update(actor=official, application=other, helped_by=helper)
    assert "helped_by" in errors_of(exc)
