"""The sign-in lockout: keyed on username and address, a ceiling per address, no user
enumeration, no help from a forged X-Forwarded-For, the admin's sign-in included."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from eakutur.accounts.lockout import prune_login_records
from eakutur.accounts.models import LoginFailure, LoginLockout
from eakutur.clientip import NO_ADDRESS
from tests.pages import assert_not_shows, assert_shows, text_of, vi

from .conftest import ELSEWHERE, OFFICE, fail_times, sign_in

LOCKED = (
    "Too many failed sign-ins for this account from this network. Wait %(minutes)s "
    "minutes and try again, or ask the commune administrator to unlock it."
)
WRONG = "Your username and password didn't match. Please try again."


def locked_text():
    return vi(LOCKED, minutes=15)


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == "/staff/"


@pytest.fixture(autouse=True)
def _defaults(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW = 15 * 60
    settings.LOGIN_LOCKOUT_SECONDS = 15 * 60
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    settings.LOGIN_ADDRESS_WINDOW = 3600


def test_four_failures_leave_the_pair_open(client_at, official):
    office = client_at(OFFICE)
    fail_times(office, "canbo", 4)
    assert signed_in(sign_in(office, "canbo"))


def test_the_fifth_failure_locks_the_pair_with_a_vietnamese_message(
    client_at, official
):
    office = client_at(OFFICE)
    fail_times(office, "canbo", 4)
    response = sign_in(office, "canbo", "sai-mat-khau-roi")
    assert_shows(response, locked_text())
    assert LoginLockout.objects.filter(username="canbo", address=OFFICE).count() == 1


def test_the_right_password_is_refused_while_locked_without_being_checked(
    client_at, official, monkeypatch
):
    office = client_at(OFFICE)
    fail_times(office, "canbo", 5)

    def authenticate_must_not_run(*args, **kwargs):
        raise AssertionError("the password was checked during a lockout")

    monkeypatch.setattr(
        "django.contrib.auth.forms.authenticate", authenticate_must_not_run
    )
    response = sign_in(office, "canbo")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert_shows(response, locked_text())


def test_the_same_official_from_another_address_still_signs_in(client_at, official):
    fail_times(client_at(OFFICE), "canbo", 5)
    assert signed_in(sign_in(client_at(ELSEWHERE), "canbo"))


def test_other_officials_behind_the_same_office_address_are_unaffected(
    client_at, official, officer
):
    office = client_at(OFFICE)
    fail_times(office, "canbo", 5)
    assert signed_in(sign_in(client_at(OFFICE), "thon1"))


def test_the_lockout_ends_after_the_cool_down(client_at, official):
    office = client_at(OFFICE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_times(office, "canbo", 5)
        clock.shift(timedelta(minutes=14))
        assert not signed_in(sign_in(office, "canbo"))
        clock.shift(timedelta(minutes=2))
        assert signed_in(sign_in(office, "canbo"))


def test_failures_outside_the_window_do_not_add_up(client_at, official):
    office = client_at(OFFICE)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail_times(office, "canbo", 4)
        clock.shift(timedelta(minutes=16))
        fail_times(office, "canbo", 4)
        assert signed_in(sign_in(office, "canbo"))


def test_a_success_clears_the_pairs_failures(client_at, official):
    office = client_at(OFFICE)
    fail_times(office, "canbo", 4)
    assert signed_in(sign_in(office, "canbo"))
    office.post("/accounts/logout/")
    fail_times(office, "canbo", 4)
    assert signed_in(sign_in(office, "canbo"))


def test_a_failed_sign_in_with_other_capitals_counts_for_the_same_username(
    client_at, official
):
    office = client_at(OFFICE)
    for typed in ("CANBO", "Canbo ", "canbo", "cAnBo", "canbo"):
        sign_in(office, typed, "sai-mat-khau-roi")
    assert_shows(sign_in(office, "canbo"), locked_text())


def test_an_unknown_username_is_answered_exactly_like_a_known_one(client_at, official):
    """Same status and same page, failure after failure up to the lockout and after:
    nothing tells whether "canbo" exists and "khongco" does not."""
    known, unknown = client_at(OFFICE), client_at(OFFICE)
    for _attempt in range(7):
        a = sign_in(known, "canbo", "sai-mat-khau-roi")
        b = sign_in(unknown, "khongco", "sai-mat-khau-roi")
        assert a.status_code == b.status_code == 200
        assert _page_without_tokens(a, "canbo") == _page_without_tokens(b, "khongco")
    assert LoginLockout.objects.filter(username="khongco").exists()
    assert LoginLockout.objects.filter(username="canbo").exists()


def _page_without_tokens(response, username: str) -> str:
    """The page as a user reads it, without the CSRF token and the name they typed."""
    import re

    page = text_of(response).replace(username, "USERNAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_forged_x_forwarded_for_does_not_change_the_key(client_at, official):
    """Django sees REMOTE_ADDR only; a header the client wrote changes nothing."""
    attacker = client_at(OFFICE)
    for n in range(5):
        sign_in(
            attacker, "canbo", "sai-mat-khau-roi", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    response = sign_in(attacker, "canbo", HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert not signed_in(response)
    assert_shows(response, locked_text())
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {OFFICE}


def test_an_address_trying_many_usernames_is_stopped(client_at, official, settings):
    """Password spraying: one failure on each of many usernames from one address."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    sprayer = client_at(ELSEWHERE)
    for n in range(6):
        sign_in(sprayer, f"ten{n}", "Mua-xuan-2026")
    response = sign_in(sprayer, "canbo")  # even a right password
    assert not signed_in(response)
    assert_shows(response, locked_text())
    # The office is another address: it works as usual.
    assert signed_in(sign_in(client_at(OFFICE), "canbo"))


def test_each_lockout_is_logged_without_the_password(client_at, official, caplog):
    with caplog.at_level(logging.WARNING, logger="eakutur.security"):
        fail_times(client_at(OFFICE), "canbo", 5)
    records = [r for r in caplog.records if r.name == "eakutur.security"]
    assert len(records) == 1
    assert "canbo" in records[0].getMessage()
    assert OFFICE in records[0].getMessage()
    assert "sai-mat-khau-roi" not in caplog.text


def test_the_django_admin_sign_in_goes_through_the_portals(client_at, admin_user):
    office = client_at(OFFICE)
    response = office.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/accounts/user/"
    # The admin's own form is gone: a POST to it does not sign anyone in.
    response = office.post(
        "/admin/login/", {"username": "quantri", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert office.get("/admin/").status_code == 302
    fail_times(office, "quantri", 5)
    response = sign_in(office, "quantri")
    assert_shows(response, locked_text())


def test_a_signed_in_official_without_admin_rights_gets_403_not_a_loop(
    officer_client,
):
    assert officer_client.get("/admin/login/").status_code == 403


def test_the_wrong_password_message_is_vietnamese(client_at, official):
    response = sign_in(client_at(OFFICE), "canbo", "sai-mat-khau-roi")
    assert_shows(response, vi(WRONG))
    assert_not_shows(response, locked_text())


def test_prune_keeps_recent_records_and_drops_old_ones(client_at, official, settings):
    settings.LOGIN_RECORD_RETENTION_DAYS = 90
    fail_times(client_at(OFFICE), "canbo", 5)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert prune_login_records() == {"failures_deleted": 5, "lockouts_deleted": 0}
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert prune_login_records()["lockouts_deleted"] == 1


# --- the commune administrator's list -------------------------------------------------------


def test_the_commune_admin_sees_their_communes_lockouts_and_can_lift_one(
    client_at, client_for, admin_user, official, foreign_official
):
    office = client_at(OFFICE)
    for username in ("canbo", "canbo-eakmat", "khongco"):
        fail_times(office, username, 5)
    admin = client_for(admin_user)
    page = admin.get("/admin/accounts/loginlockout/")
    assert page.status_code == 200
    assert [lock.username for lock in page.context["cl"].result_list] == ["canbo"]
    lockout = LoginLockout.objects.get(username="canbo")
    response = admin.post(
        "/admin/accounts/loginlockout/",
        {"action": "lift", "_selected_action": [lockout.pk]},
    )
    assert response.status_code == 302
    assert signed_in(sign_in(client_at(OFFICE), "canbo"))
    # Read-only otherwise.
    assert (
        admin.get(f"/admin/accounts/loginlockout/{lockout.pk}/delete/").status_code
        == 403
    )


def test_officials_do_not_see_the_lockouts(client_for, official):
    official.is_staff = True
    official.save()
    assert client_for(official).get("/admin/accounts/loginlockout/").status_code == 403


@pytest.mark.parametrize("remote_addr", ["", "unix:/run/gunicorn.sock", "not-an-ip"])
def test_a_request_without_a_usable_address_is_counted_not_crashed(
    client_at, official, remote_addr
):
    response = sign_in(client_at(remote_addr), "canbo", "sai-mat-khau-roi")
    assert response.status_code == 200
    assert LoginFailure.objects.get().address == NO_ADDRESS
