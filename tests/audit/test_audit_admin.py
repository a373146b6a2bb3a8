"""Where the commune admin reads the audit: the admin's read-only audit list, filtered to
one household from its page; nobody else sees it, and no user it names can be deleted."""

import pytest
from django.db.models import ProtectedError

from eakutur.accounts.models import User
from eakutur.audit.models import AuditEntry
from households import services
from tests.audit.conftest import CHILD_ID, HEAD_ID
from tests.factories import HouseholdFactory
from tests.pages import assert_not_shows, assert_shows, text_of, vi

AUDIT = "/admin/audit/auditentry/"


@pytest.fixture
def looked_at(client_for, officer, official, household, village):
    """The officer opens the household page and a member's form and browses the list;
    the official opens another household."""
    client = client_for(officer)
    client.get(household.get_absolute_url())
    member = household.members.get(national_id=CHILD_ID)
    client.get(f"/households/{household.pk}/members/{member.pk}/edit/")
    client.get("/households/")
    other = HouseholdFactory(village=village, code="HK777")
    client_for(official).get(other.get_absolute_url())
    return household


def listed(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_household_filter_answers_who_looked_at_this_household(
    client_for, admin_user, officer, looked_at
):
    member = looked_at.members.get(national_id=CHILD_ID)
    response = client_for(admin_user).get(AUDIT, {"household": looked_at.pk})
    # Newest first: the member's form, then the household page; not the list page nor
    # the other household.
    assert [(e.actor, e.note) for e in listed(response)] == [
        (officer, f"/households/{looked_at.pk}/members/{member.pk}/edit/"),
        (officer, looked_at.get_absolute_url()),
    ]
    page = text_of(response)
    assert vi("ethnicity") in page and vi("national ID numbers") in page
    assert HEAD_ID not in page and CHILD_ID not in page


def test_the_kind_filter_separates_reads_from_changes(
    client_for, admin_user, official, looked_at
):
    services.household_update(actor=official, household=looked_at, address="Buôn Ea")
    client = client_for(admin_user)
    reads = listed(client.get(AUDIT, {"kind": "reads"}))
    changes = listed(client.get(AUDIT, {"kind": "changes"}))
    assert len(reads) == 4 and all(e.is_read for e in reads)
    assert [e.action for e in changes] == ["update"]


def test_a_read_entry_page_says_what_was_shown_without_the_values(
    client_for, admin_user, looked_at
):
    entry = AuditEntry.objects.filter(object_id=None).get()  # the list page
    response = client_for(admin_user).get(f"{AUDIT}{entry.pk}/change/")
    assert_shows(response, vi("ethnicity"), vi("poverty status"), vi("rows"))
    assert_not_shows(response, HEAD_ID, CHILD_ID)


def test_a_change_entry_page_masks_id_numbers(
    client_for, admin_user, official, household
):
    services.household_update(
        actor=official, household=household, head_national_id="066085009876"
    )
    entry = AuditEntry.objects.get(action="update", object_id=household.pk)
    response = client_for(admin_user).get(f"{AUDIT}{entry.pk}/change/")
    assert_shows(response, "•••••••••234 → •••••••••876")
    assert_not_shows(response, HEAD_ID, "066085009876")


def test_only_the_commune_admin_gets_the_link_and_the_list(
    client_for, admin_user, official, officer, household
):
    link = f"{AUDIT}?household={household.pk}"
    admin_page = client_for(admin_user).get(household.get_absolute_url())
    assert link in admin_page.content.decode()
    for user in (official, officer):
        page = client_for(user).get(household.get_absolute_url())
        assert link not in page.content.decode()
        assert client_for(user).get(AUDIT).status_code == 302  # to the admin login
        user.is_staff = True
        user.save()
        assert client_for(user).get(AUDIT).status_code == 403


def test_another_communes_household_filters_nothing_in(
    client_for, admin_user, looked_at, foreign_village
):
    foreign = HouseholdFactory(village=foreign_village)
    assert listed(client_for(admin_user).get(AUDIT, {"household": foreign.pk})) == []
    assert listed(client_for(admin_user).get(AUDIT, {"household": "x"})) == []


def test_a_user_named_by_the_audit_cannot_be_deleted(
    client_for, superuser, officer, looked_at
):
    response = client_for(superuser).post(
        f"/admin/accounts/user/{officer.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403  # "Not allowed", not a server error
    assert_shows(response, vi("Not allowed"))
    changelist = client_for(superuser).post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [officer.pk]},
    )
    assert changelist.status_code in (200, 302)
    assert User.objects.filter(pk=officer.pk).exists()
    # Below the admin, the foreign key refuses too: deactivate the account instead.
    with pytest.raises(ProtectedError):
        officer.delete()
    assert AuditEntry.objects.filter(actor=officer).count() == 3


def test_an_entry_is_named_by_the_communes_clock(officer, household):
    from django.utils import timezone

    from eakutur.audit.services import audit_read

    entry = audit_read(actor=officer, instance=household, fields=["ethnicity"])
    local = timezone.localtime(entry.at)
    assert local.utcoffset().total_seconds() == 7 * 3600  # Asia/Ho_Chi_Minh
    assert str(entry).startswith(f"{local:%d/%m/%Y %H:%M} ")
