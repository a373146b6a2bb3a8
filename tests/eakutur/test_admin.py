"""The Django admin: the audit history is read-only for everyone, and user management
stays inside the commune admin's own commune."""

import pytest

from eakutur.accounts.models import Role, User
from eakutur.audit.admin import AuditEntryAdmin
from eakutur.audit.models import AuditAction, AuditEntry
from eakutur.audit.services import audit_record
from tests.factories import HouseholdFactory, UserFactory


@pytest.fixture
def entry(official, village):
    household = HouseholdFactory(village=village, code="HK001")
    return audit_record(
        actor=official,
        instance=household,
        action=AuditAction.UPDATE,
        changes={"phone": ["0912345678", "0987654321"]},
    )


@pytest.fixture
def foreign_entry(foreign_official, foreign_village):
    household = HouseholdFactory(village=foreign_village, code="EKM-001")
    return audit_record(
        actor=foreign_official,
        instance=household,
        action=AuditAction.UPDATE,
        note="ghi chú của xã khác",
    )


def unchanged(entry) -> bool:
    stored = AuditEntry.objects.get(pk=entry.pk)
    return (stored.changes, stored.note, stored.action) == (
        entry.changes,
        entry.note,
        entry.action,
    )


# --- audit entries are read-only ------------------------------------------------------


def test_audit_admin_grants_no_write_even_to_a_superuser(rf, superuser, entry):
    from django.contrib import admin

    model_admin = AuditEntryAdmin(AuditEntry, admin.site)
    request = rf.get("/admin/audit/auditentry/")
    request.user = superuser
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_superuser_cannot_add_change_or_delete_entries(client_for, superuser, entry):
    client = client_for(superuser)
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    response = client.post(
        f"/admin/audit/auditentry/{entry.pk}/change/",
        {"note": "sửa lịch sử", "action": "create", "changes": "{}"},
    )
    assert response.status_code == 403
    response = client.post(
        f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    response = client.post(
        "/admin/audit/auditentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert unchanged(entry)


def test_the_change_page_shows_the_entry_without_a_save_button(
    client_for, superuser, entry
):
    response = client_for(superuser).get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "0987654321" in page
    assert 'name="_save"' not in page


def test_commune_admin_sees_only_their_communes_history(
    client_for, admin_user, entry, foreign_entry
):
    client = client_for(admin_user)
    response = client.get("/admin/audit/auditentry/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "HK001" in page
    assert "EKM-001" not in page
    other = client.get(
        f"/admin/audit/auditentry/{foreign_entry.pk}/change/", follow=True
    )
    assert "ghi chú của xã khác" not in other.content.decode()


def test_officials_and_officers_do_not_see_the_audit_admin(
    client_for, official, officer, entry
):
    for user in (official, officer):
        user.is_staff = True
        user.save()
        response = client_for(user).get("/admin/audit/auditentry/")
        assert response.status_code == 403


# --- users -------------------------------------------------------------------------------


def test_admin_is_closed_to_non_staff(officer_client):
    response = officer_client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_commune_admin_manages_only_their_communes_users(
    client_for, admin_user, official, officer, foreign_official, superuser
):
    response = client_for(admin_user).get("/admin/accounts/user/")
    assert response.status_code == 200
    usernames = {u.username for u in response.context["cl"].result_list}
    assert usernames == {"quantri", "canbo", "thon1"}
    other = client_for(admin_user).get(
        f"/admin/accounts/user/{foreign_official.pk}/change/", follow=True
    )
    assert "canbo-eakmat" not in other.content.decode()


def test_commune_admin_cannot_delete_users(client_for, admin_user, officer):
    response = client_for(admin_user).post(
        f"/admin/accounts/user/{officer.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert User.objects.filter(pk=officer.pk).exists()


def test_commune_admin_cannot_mint_a_superuser(client_for, admin_user, officer):
    response = client_for(admin_user).get(f"/admin/accounts/user/{officer.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields


def test_village_choices_are_those_of_the_admins_commune(
    client_for, admin_user, officer, village, other_village, foreign_village
):
    response = client_for(admin_user).get(f"/admin/accounts/user/{officer.pk}/change/")
    form = response.context["adminform"].form
    assert set(form.fields["villages"].queryset) == {village, other_village}
    assert set(form.fields["commune"].queryset) == {admin_user.commune}


def test_official_cannot_manage_users(client_for, official):
    official.is_staff = True
    official.save()
    assert client_for(official).get("/admin/accounts/user/").status_code == 403


def test_official_cannot_edit_the_poverty_standard(client_for, official):
    from households.models import PovertyStandard

    official.is_staff = True
    official.save()
    standard = PovertyStandard.objects.get(first_year=2022)
    response = client_for(official).post(
        f"/admin/households/povertystandard/{standard.pk}/change/",
        {"rural_line": "1"},
    )
    assert response.status_code == 403
    standard.refresh_from_db()
    assert standard.rural_line == 1_500_000


def test_role_labels_are_translated(client_for, admin_user):
    from django.utils import translation

    with translation.override("vi"):
        label = str(Role.VILLAGE_OFFICER.label)
    UserFactory(role=Role.VILLAGE_OFFICER, commune=admin_user.commune)
    page = client_for(admin_user).get("/admin/accounts/user/").content.decode()
    assert label in page
