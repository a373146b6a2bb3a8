"""The pages outside the household screens that show households' poverty status or
ethnicity each write exactly one read entry per view: the savings-group page, the
households behind a coverage figure, the review correction form, the review import
preview and a training session's roster (its support amounts). Pages that show only
counts per village, or what the official just typed, write none."""

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from eakutur.accounts.models import Role
from eakutur.audit.models import AuditAction, SensitiveField
from households.models import Household, ReviewImport
from loans.models import SavingsGroup
from tests.audit.conftest import assert_keeps_no_values, household_type, reads, the_read
from tests.factories import (
    HouseholdFactory,
    MemberFactory,
    PovertyReviewFactory,
    UserFactory,
)
from tests.factories.loans import SavingsGroupFactory
from tests.factories.outreach import ContactFactory
from tests.factories.trainings import CourseFactory, EnrolmentFactory, SessionFactory
from tests.households.xlsx_builders import review_file, review_row
from tests.pages import assert_shows, vi
from trainings import eligibility as support

STATUS = [SensitiveField.POVERTY_STATUS]
COVERAGE = reverse("contacts:coverage")
BEHIND = reverse("contacts:coverage_households")


def assert_one_view(entry, *, actor, instance, fields, note):
    """``instance``: the record the page is about, or a model for a list of many."""
    assert entry.actor == actor
    assert entry.action == AuditAction.VIEW
    assert entry.content_type == ContentType.objects.get_for_model(instance)
    assert entry.object_id == (None if isinstance(instance, type) else instance.pk)
    assert entry.changes["fields"] == fields
    assert entry.note == note
    assert_keeps_no_values(entry)


# --- the savings-group page ----------------------------------------------------------------


def test_a_groups_page_records_one_view_of_its_members_statuses(
    officer_client, officer, village, household
):
    group = SavingsGroupFactory(
        village=village, members=[household, HouseholdFactory(village=village)]
    )
    url = reverse("loans:group_detail", args=[group.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert_shows(response, household.code, vi("poor"))

    entry = the_read()
    assert_one_view(entry, actor=officer, instance=group, fields=STATUS, note=url)
    assert entry.changes["rows"] == 2
    assert household.code not in str(entry.changes)


def test_a_group_without_members_shows_no_status_and_records_nothing(
    officer_client, village
):
    group = SavingsGroupFactory(village=village)
    response = officer_client.get(reverse("loans:group_detail", args=[group.pk]))
    assert_shows(response, vi("No member household yet."))
    assert reads() == []


def test_another_villages_group_is_a_404_and_no_read(officer_client, other_village):
    group = SavingsGroupFactory(
        village=other_village, members=[HouseholdFactory(village=other_village)]
    )
    response = officer_client.get(reverse("loans:group_detail", args=[group.pk]))
    assert response.status_code == 404
    assert reads() == []
    assert SavingsGroup.objects.exists()


# --- coverage -------------------------------------------------------------------------------


def test_the_coverage_page_and_export_are_counts_and_no_read(officer_client, household):
    assert officer_client.get(COVERAGE).status_code == 200
    assert officer_client.get(reverse("contacts:coverage_export")).status_code == 200
    assert reads() == []


def test_the_households_not_reached_record_one_view_with_the_list_shown(
    officer_client, officer, village, household
):
    response = officer_client.get(BEHIND, {"village": village.pk, "days": 90})
    assert response.status_code == 200
    assert_shows(response, household.code, vi("poor"))

    entry = the_read()
    assert_one_view(
        entry, actor=officer, instance=Household, fields=STATUS, note=BEHIND
    )
    assert entry.changes["filters"] == {
        "days": "90",
        "show": "to_do",
        "village": str(village),
    }
    assert (entry.changes["page"], entry.changes["rows"]) == (1, 1)
    assert household.code not in str(entry.changes)


def test_the_ethnic_minority_households_reached_are_a_read_of_ethnicity(
    officer_client, officer, household
):
    ContactFactory(household=household, made_by=officer)
    response = officer_client.get(BEHIND, {"show": "minority_reached"})
    assert_shows(response, household.code)
    entry = the_read()
    assert entry.changes["fields"] == [
        SensitiveField.POVERTY_STATUS,
        SensitiveField.ETHNICITY,
    ]


def test_an_empty_list_records_nothing(officer_client, household):
    # Nobody was reached: the "reached" list is empty.
    response = officer_client.get(BEHIND, {"show": "reached"})
    assert_shows(response, vi("No household in this list."))
    assert reads() == []


def test_another_villages_households_are_a_404_and_no_read(
    officer_client, other_village
):
    HouseholdFactory(village=other_village, current_status="poor")
    response = officer_client.get(BEHIND, {"village": other_village.pk})
    assert response.status_code == 404
    assert reads() == []


# --- the review correction form -------------------------------------------------------------


def test_the_correction_form_records_one_view_of_the_stored_review(
    officer_client, officer, household
):
    review = PovertyReviewFactory(household=household, year=2025)
    url = reverse("households:review_update", args=[household.pk, review.pk])
    response = officer_client.get(url)
    assert response.status_code == 200
    assert_shows(response, "1.200.000")  # the stored income, which gives the status

    entry = the_read()
    assert_one_view(entry, actor=officer, instance=review, fields=STATUS, note=url)
    assert (entry.parent_type, entry.parent_id) == (household_type(), household.pk)


def test_the_form_for_a_new_review_shows_nothing_stored_and_records_nothing(
    officer_client, household
):
    url = reverse("households:review_create", args=[household.pk])
    assert officer_client.get(url).status_code == 200
    assert reads() == []


def test_another_villages_review_is_a_404_and_no_read(officer_client, other_village):
    review = PovertyReviewFactory(household=HouseholdFactory(village=other_village))
    url = reverse("households:review_update", args=[review.household_id, review.pk])
    assert officer_client.get(url).status_code == 404
    assert reads() == []


# --- the review import preview --------------------------------------------------------------


def test_the_import_preview_records_one_view_of_the_statuses_it_lists(
    official_client, official, village
):
    HouseholdFactory(village=village, code="HK1")
    HouseholdFactory(village=village, code="HK2")
    rows = [review_row("HK1", 2025, 1_200_000), review_row("HK2", 2025, 3_000_000)]
    official_client.post(
        reverse("households:review_import"), {"file": review_file(rows)}
    )
    assert reads() == []  # the upload itself shows nothing: it redirects
    batch = ReviewImport.objects.get()
    url = reverse("households:review_import_preview", args=[batch.pk])

    response = official_client.get(url)
    assert_shows(response, "HK1", vi("poor"))
    entry = the_read()
    assert_one_view(entry, actor=official, instance=batch, fields=STATUS, note=url)
    assert entry.changes["rows"] == 2
    assert "HK1" not in str(entry.changes)


def test_another_officials_import_is_a_404_and_no_read(official_client, village):
    HouseholdFactory(village=village, code="HK1")
    rows = [review_row("HK1", 2025, 1_200_000)]
    official_client.post(
        reverse("households:review_import"), {"file": review_file(rows)}
    )
    batch = ReviewImport.objects.get()
    url = reverse("households:review_import_preview", args=[batch.pk])
    colleague = Client()
    colleague.force_login(
        UserFactory(commune=batch.commune, role=Role.COMMUNE_OFFICIAL)
    )
    assert colleague.get(url).status_code == 404
    assert reads() == []


def test_the_household_picker_of_the_contact_form_is_no_read(officer_client, household):
    response = officer_client.get(
        reverse("contacts:contact_create"), {"q": household.code}
    )
    assert_shows(response, household.code)
    assert reads() == []


# --- a training session's roster --------------------------------------------------------------


def _session_with_support(village, household):
    """A session of ``village`` where a member of ``household`` (poor, Ê Đê) has the
    support of a poor ethnic-minority trainee, and a walk-in has none."""
    session = SessionFactory(
        course=CourseFactory(commune=village.commune), village=village
    )
    EnrolmentFactory(
        session=session,
        member=household.members.get(full_name="H'Lan Niê"),
        support_amount=support.POOR_ETHNIC_MINORITY,
    )
    EnrolmentFactory(session=session, member=None, full_name="Khách")
    return session


def test_a_roster_with_support_amounts_records_one_view(
    officer_client, officer, village, household
):
    session = _session_with_support(village, household)
    url = reverse("trainings:session_detail", args=[session.pk])
    response = officer_client.get(url)
    assert_shows(response, "4.000.000")

    entry = the_read()
    fields = [SensitiveField.POVERTY_STATUS, SensitiveField.ETHNICITY]
    assert_one_view(entry, actor=officer, instance=session, fields=fields, note=url)
    assert entry.changes["rows"] == 1  # the walk-in's row shows no amount
    assert_keeps_no_values(entry, "4000000")


def test_the_roster_export_is_one_export_entry(
    officer_client, officer, village, household
):
    session = _session_with_support(village, household)
    url = reverse("trainings:session_roster_export", args=[session.pk])
    response = officer_client.get(url)
    assert response.status_code == 200

    entry = the_read()
    assert (entry.actor, entry.action, entry.object_id) == (
        officer,
        AuditAction.EXPORT,
        session.pk,
    )
    assert entry.note == url


def test_a_roster_without_support_amounts_records_nothing(officer_client, village):
    session = SessionFactory(
        course=CourseFactory(commune=village.commune), village=village
    )
    EnrolmentFactory(session=session, member=None, full_name="Khách")
    url = reverse("trainings:session_detail", args=[session.pk])
    assert officer_client.get(url).status_code == 200
    assert reads() == []


def test_another_villages_roster_is_a_404_and_no_read(officer_client, other_village):
    household = HouseholdFactory(village=other_village)
    course = CourseFactory(
        commune=other_village.commune, target_villages=[other_village]
    )
    session = SessionFactory(course=course, village=other_village)
    EnrolmentFactory(
        session=session,
        member=MemberFactory(household=household),
        support_amount=support.POOR_ETHNIC_MINORITY,
    )
    for name in ("trainings:session_detail", "trainings:session_roster_export"):
        assert officer_client.get(reverse(name, args=[session.pk])).status_code == 404
    assert reads() == []
