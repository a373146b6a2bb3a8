"""Escalation: a village officer tries the doors above their role (user management, the
admin, commune-wide notices, the loan program catalogue, other villages' dashboard, the
read audit), and a commune admin tries another commune's records and the catalogue all
communes share. Every door stays shut and nothing changes."""

from dataclasses import fields

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from eakutur.accounts.models import Role, User
from loans.models import LoanProgram
from outreach.models import Audience, Notice

from .snapshot import changed, snapshot
from .test_injection import foreign_markers
from .urlconf import ADMIN_NAMESPACE, walk
from .world import Place

# The admin's logout signs anyone out (their own session, nothing else).
ADMIN_PAGES = sorted(
    r.name
    for r in walk()
    if r.name.startswith(ADMIN_NAMESPACE) and not r.kwargs and r.name != "admin:logout"
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def objects_of(place: Place) -> list:
    """Every model instance of a place, and its official (a user)."""
    return [getattr(place, f.name) for f in fields(place)]


def admin_change_url(obj) -> str | None:
    meta = obj._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        )
    except NoReverseMatch:
        return None  # not in the admin


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_village_officer_never_gets_into_the_admin(w, name):
    client = signed_in(w.officer)
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(reverse(name))
        assert response.status_code in (302, 403, 404, 405), (name, method, response)
        if response.status_code == 302:
            assert "/admin/login/" in response["Location"]
    assert not changed(before, snapshot())


def test_a_village_officer_cannot_open_any_admin_record(w):
    client = signed_in(w.officer)
    for obj in [*objects_of(w.a), w.officer, w.official]:
        url = admin_change_url(obj)
        if url:
            response = client.post(
                url, {"role": Role.COMMUNE_ADMIN, "is_superuser": "on"}
            )
            assert (
                response.status_code == 302 and "/admin/login/" in response["Location"]
            )
    w.officer.refresh_from_db()
    assert (w.officer.role, w.officer.is_staff, w.officer.is_superuser) == (
        Role.VILLAGE_OFFICER,
        False,
        False,
    )


def test_a_commune_admin_sees_no_record_of_another_commune_in_the_admin(w):
    client = signed_in(w.admin)
    before = snapshot()
    opened = 0
    for obj in objects_of(w.c):
        url = admin_change_url(obj)
        if url is None:
            continue
        opened += 1
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, **({"data": {}} if method == "post" else {})
            )
            assert response.status_code in (302, 403, 404), (url, method, response)
            if response.status_code == 302:
                assert response["Location"] == reverse("admin:index"), url
    assert opened >= 5
    assert not changed(before, snapshot())


def test_a_commune_admin_cannot_mint_a_superuser_or_a_foreign_user(w):
    client = signed_in(w.admin)
    response = client.post(
        reverse("admin:accounts_user_change", args=[w.officer.pk]),
        {
            "username": w.officer.username,
            "role": Role.COMMUNE_ADMIN,
            "commune": w.c.commune.pk,
            "is_superuser": "on",
            "is_active": "on",
            "date_joined_0": "01/01/2025",
            "date_joined_1": "08:00",
        },
    )
    assert response.status_code in (200, 302)
    w.officer.refresh_from_db()
    assert not w.officer.is_superuser
    assert w.officer.commune_id == w.a.commune.pk
    assert not User.objects.filter(is_superuser=True).exists()


def test_the_shared_loan_catalogue_is_not_a_commune_admins_to_edit(w):
    """Two communes share the program catalogue: one commune's admin may not change the
    terms the other's officials lend under (docs/decisions.md)."""
    program = LoanProgram.objects.order_by("pk").first()
    client = signed_in(w.admin)
    url = reverse("admin:loans_loanprogram_change", args=[program.pk])
    page = client.get(url)
    assert page.status_code == 200  # may read it
    assert b'name="annual_rate"' not in page.content  # but not as a form to change
    before = snapshot()
    client.post(url, {"code": program.code, "annual_rate": "0.01", "max_amount": "1"})
    assert not changed(before, snapshot())
    assert client.post(reverse("admin:loans_loanprogram_add"), {}).status_code == 403


def test_the_loan_catalogue_has_no_edit_page_for_officers(w):
    client = signed_in(w.officer)
    page = client.get(reverse("loans:program_list"))
    assert page.status_code == 200
    assert b"/admin/loans/loanprogram/" not in page.content


@pytest.mark.parametrize(
    "audience, villages",
    [
        (Audience.ALL_VILLAGES, []),
        (Audience.ETHNIC_MINORITY_VILLAGES, []),
        (Audience.CHOSEN_VILLAGES, ["b"]),
        (Audience.CHOSEN_VILLAGES, ["a", "b"]),
    ],
)
def test_a_village_officer_cannot_address_other_villages(w, audience, villages):
    client = signed_in(w.officer)
    data = {
        "title": "Họp toàn xã",
        "body": "Mời bà con đến họp.",
        "audience": audience,
        "villages": [getattr(w, v).village.pk for v in villages],
        "send_on": "01/01/2030",
        "send_time": "08:00",
        "action": "submit",
    }
    client.post(reverse("outreach:notice_create"), data)
    mine = Notice.objects.filter(author=w.officer)
    assert not mine.exclude(audience=Audience.CHOSEN_VILLAGES).exists()
    for notice in mine:
        assert set(notice.villages.values_list("pk", flat=True)) <= {w.a.village.pk}


def test_a_village_officer_cannot_schedule_or_resend_a_notice(w):
    client = signed_in(w.officer)
    before = snapshot()
    for name in ("outreach:notice_schedule", "outreach:notice_resend"):
        response = client.post(reverse(name, kwargs={"pk": w.a.notice.pk}))
        assert response.status_code in (403, 404), (name, response.status_code)
    assert not changed(before, snapshot())


@pytest.mark.parametrize("page", ["dashboard:home", "dashboard:report"])
def test_the_dashboard_never_shows_an_officer_other_villages(w, page):
    client = signed_in(w.officer)
    markers = foreign_markers(w)
    for village in (w.b.village.pk, w.c.village.pk, ""):
        response = client.get(reverse(page), {"village": village})
        assert response.status_code in (200, 400, 404)
        text = response.content.decode()
        assert markers.search(text) is None
        assert w.b.village.name not in text and "Ea Kmát" not in text


def test_the_read_audit_is_beyond_an_officer_and_read_only_for_an_admin(w):
    assert (
        signed_in(w.officer)
        .get(reverse("admin:audit_auditentry_changelist"))
        .status_code
        == 302
    )
    client = signed_in(w.admin)
    assert client.post(reverse("admin:audit_auditentry_add"), {}).status_code == 403
