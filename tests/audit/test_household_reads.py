"""Every screen that shows a person a household's ethnicity, poverty status or full
national ID numbers writes exactly one read entry: who, when, which household, which
fields, and never the values themselves."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from eakutur.audit.models import AuditAction, AuditEntry, SensitiveField
from households import services
from tests.audit.conftest import (
    CHILD_ID,
    HEAD_ID,
    assert_keeps_no_values,
    household_type,
    reads,
    the_read,
)
from tests.factories import HouseholdFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

LISTED = [SensitiveField.ETHNICITY, SensitiveField.POVERTY_STATUS]
MASKED_HEAD, MASKED_CHILD = "•••••••••234", "•••••••••321"


def reveal(client, household):
    return client.post(f"/households/{household.pk}/national-ids/")


# --- the household page --------------------------------------------------------------


def test_household_page_masks_id_numbers_and_records_one_view(
    officer_client, officer, household
):
    response = officer_client.get(household.get_absolute_url())
    assert response.status_code == 200
    assert_shows(response, MASKED_HEAD, MASKED_CHILD, "Ê-đê", vi("Show ID numbers"))
    assert_not_shows(response, HEAD_ID, CHILD_ID)

    entry = the_read()
    assert entry.actor == officer
    assert entry.action == AuditAction.VIEW
    assert (entry.content_type, entry.object_id) == (household_type(), household.pk)
    assert entry.changes["fields"] == LISTED  # the IDs were masked: not a read of them
    assert entry.note == household.get_absolute_url()
    assert entry.at is not None
    assert_keeps_no_values(entry)


def test_each_page_view_is_one_entry(officer_client, household):
    for _ in range(3):
        officer_client.get(household.get_absolute_url())
    assert len(reads()) == 3


def test_showing_the_id_numbers_shows_them_in_full_and_records_it(
    officer_client, officer, household
):
    response = reveal(officer_client, household)
    assert response.status_code == 200
    assert_shows(response, HEAD_ID, CHILD_ID, vi("Hide ID numbers"))
    assert_not_shows(response, MASKED_HEAD, vi("Show ID numbers"))

    entry = the_read()
    assert entry.actor == officer
    assert entry.object_id == household.pk
    assert entry.changes["fields"] == [*LISTED, SensitiveField.NATIONAL_ID]
    assert entry.note == f"/households/{household.pk}/national-ids/"
    assert_keeps_no_values(entry)


def test_a_household_without_id_numbers_offers_nothing_to_show(officer_client, village):
    household = HouseholdFactory(village=village, head_national_id=None)
    response = officer_client.get(household.get_absolute_url())
    assert_not_shows(response, vi("Show ID numbers"))
    assert reveal(officer_client, household).status_code == 200
    assert reads()[-1].changes["fields"] == LISTED  # nothing to show, nothing claimed


def test_showing_id_numbers_is_a_post_with_a_csrf_token(officer, household):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    # A link, a prefetch or an <img> cannot show them (nor forge an audit entry).
    assert client.get(f"/households/{household.pk}/national-ids/").status_code == 405
    assert reveal(client, household).status_code == 403
    assert reads() == []
    page = client.get(household.get_absolute_url())
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/households/{household.pk}/national-ids/", {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert_shows(response, HEAD_ID)
    assert [e.note for e in reads()] == [
        household.get_absolute_url(),
        f"/households/{household.pk}/national-ids/",
    ]


def test_another_villages_household_is_a_404_and_no_read(officer_client, elsewhere):
    assert officer_client.get(elsewhere.get_absolute_url()).status_code == 404
    assert reveal(officer_client, elsewhere).status_code == 404
    assert officer_client.get(f"/households/{elsewhere.pk}/edit/").status_code == 404
    member = elsewhere.members.get()
    url = f"/households/{elsewhere.pk}/members/{member.pk}/edit/"
    assert officer_client.get(url).status_code == 404
    assert reads() == []


def test_reads_stay_out_of_the_change_history(official_client, official, household):
    services.household_update(actor=official, household=household, address="Buôn Ea")
    official_client.get(household.get_absolute_url())
    reveal(official_client, household)
    response = official_client.get(household.get_absolute_url())
    history = text_of(response).split(vi("Change history"))[1]
    assert "Buôn Ea" in history
    assert vi("viewed") not in history


def test_the_history_masks_a_changed_id_number(official_client, official, household):
    services.household_update(
        actor=official, household=household, head_national_id="066085009876"
    )
    response = official_client.get(household.get_absolute_url())
    assert_shows(response, f"{MASKED_HEAD} → •••••••••876")
    assert_not_shows(response, HEAD_ID, "066085009876")


# --- the edit forms show the full number: a read too ---------------------------------


def test_the_member_form_shows_the_full_id_and_records_it(
    officer_client, officer, household
):
    member = household.members.get(national_id=CHILD_ID)
    response = officer_client.get(
        f"/households/{household.pk}/members/{member.pk}/edit/"
    )
    assert response.status_code == 200
    assert f'value="{CHILD_ID}"' in response.content.decode()

    entry = the_read()
    assert entry.actor == officer
    assert (entry.object_id, entry.parent_id) == (member.pk, household.pk)
    assert entry.parent_type == household_type()
    assert entry.changes["fields"] == [
        SensitiveField.ETHNICITY,
        SensitiveField.NATIONAL_ID,
    ]
    assert_keeps_no_values(entry)


def test_the_household_form_shows_the_full_id_and_records_it(
    officer_client, officer, household
):
    response = officer_client.get(f"/households/{household.pk}/edit/")
    assert f'value="{HEAD_ID}"' in response.content.decode()
    entry = the_read()
    assert (entry.actor, entry.object_id) == (officer, household.pk)
    assert entry.changes["fields"] == [
        SensitiveField.ETHNICITY,
        SensitiveField.NATIONAL_ID,
    ]
    assert_keeps_no_values(entry)


def test_saving_a_form_is_not_counted_as_a_read(officer_client, household):
    member = household.members.get(national_id=CHILD_ID)
    officer_client.post(
        f"/households/{household.pk}/members/{member.pk}/edit/",
        {"full_name": ""},  # invalid: the form comes back with what was typed
    )
    assert reads() == []


# --- the list and the export: one entry per page, one per file -----------------------


def test_a_list_page_is_one_entry_with_its_filters_and_codes(
    officer_client, officer, household, village
):
    HouseholdFactory(village=village, code="HK002", current_status="poor")
    response = officer_client.get(
        "/households/", {"status": "poor", "q": HEAD_ID, "sort": "name"}
    )
    assert response.status_code == 200
    entry = the_read()
    assert entry.actor == officer
    assert entry.action == AuditAction.VIEW
    assert (entry.content_type, entry.object_id) == (household_type(), None)
    assert entry.changes == {
        "fields": LISTED,
        # The number searched for keeps only its last digits.
        "filters": {"q": MASKED_HEAD, "status": "poor", "sort": "name"},
        "page": 1,
        "rows": 1,
    }
    # The filter is what the official asked for; no household is named beside it, so
    # the entry does not tell whose status it is.
    stored = str(entry.changes) + entry.note + entry.object_repr
    for value in (HEAD_ID, CHILD_ID, "HK001", "Y Bhim", "Ê-đê"):
        assert value not in stored


@pytest.mark.parametrize(
    "typed", [HEAD_ID, "066 085 001 234", "066085 001234", "Y Bhim 066085001234"]
)
def test_a_searched_number_is_kept_masked_however_it_was_typed(
    officer_client, household, typed
):
    officer_client.get("/households/", {"q": typed})
    searched = the_read().changes["filters"]["q"]
    assert MASKED_HEAD in searched
    assert sum(c.isdigit() for c in searched) == 3


def test_an_empty_list_page_records_nothing(officer_client, household):
    officer_client.get("/households/", {"q": "không có ai"})
    assert reads() == []


def test_the_export_is_one_entry_with_filters_and_row_count(
    officer_client, officer, household, village, elsewhere
):
    HouseholdFactory(village=village, code="HK002")
    response = officer_client.get("/households/export.xlsx", {"village": village.pk})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)
    assert len(rows) == 1 + 2  # heading + the officer's two households

    entry = the_read()
    assert entry.actor == officer
    assert entry.action == AuditAction.EXPORT
    assert (entry.content_type, entry.object_id) == (household_type(), None)
    assert entry.changes == {
        "fields": LISTED,  # the export masks ID numbers
        "filters": {"village": village.name},
        "rows": 2,
    }
    assert entry.note == "/households/export.xlsx"
    assert_keeps_no_values(entry)


@pytest.mark.parametrize("action", [AuditAction.UPDATE, "deleted"])
def test_audit_read_records_reads_only(officer, household, action):
    from eakutur.audit.services import audit_read

    with pytest.raises(ValueError):
        audit_read(actor=officer, instance=household, fields=[], action=action)
    with pytest.raises(ValueError):
        audit_read(actor=officer, instance=household, fields=["phone"])
    assert not AuditEntry.objects.exists()
