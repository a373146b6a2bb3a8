"""The second factor: enrolment, the code step of the sign-in, recovery codes, replay,
turning it off, and the setting that makes it compulsory for administrators."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from eakutur.accounts import crypto, totp
from eakutur.accounts.models import LoginLockout, RecoveryCode, SecondFactor
from tests.conftest import PASSWORD
from tests.pages import assert_not_shows, assert_shows, text_of, vi

from .conftest import OFFICE, sign_in

WRONG_CODE = "The code is not right, or was already used."


def enrol(client) -> tuple[str, list[str]]:
    """Turn the second factor on as the signed-in user would: read the key off the page,
    type the app's code. Returns the secret and the recovery codes shown."""
    page = client.get("/accounts/security/two-factor/on/")
    assert page.status_code == 200
    secret = "".join(page.context["secret_groups"])
    response = client.post(
        "/accounts/security/two-factor/on/",
        {"code": totp.code_at(secret, time.time())},
    )
    assert response.url == "/accounts/security/two-factor/recovery-codes/"
    codes = client.get(response.url).context["codes"]
    return secret, codes


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def enrolled(admin_client):
    """quantri with the second factor on; the client signed out again."""
    secret, codes = enrol(admin_client)
    admin_client.post("/accounts/logout/")
    return secret, codes


def step_later(clock) -> None:
    clock.shift(timedelta(seconds=totp.STEP_SECONDS))


# --- enrolment -----------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_never_again(admin_client):
    page = admin_client.get("/accounts/security/two-factor/on/")
    secret = "".join(page.context["secret_groups"])
    assert '<svg viewBox="0 0' in text_of(page)
    assert page.context["secret_groups"][0] in text_of(page)
    assert SecondFactor.objects.count() == 0  # nothing written by a GET
    # A reload keeps the same key (a QR code already scanned stays good).
    again = admin_client.get("/accounts/security/two-factor/on/")
    assert "".join(again.context["secret_groups"]) == secret

    admin_client.post(
        "/accounts/security/two-factor/on/", {"code": totp.code_at(secret, time.time())}
    )
    factor = SecondFactor.objects.get()
    assert secret not in factor.encrypted_secret
    assert crypto.decrypt(factor.encrypted_secret) == secret
    after = admin_client.get("/accounts/security/two-factor/on/", follow=True)
    assert after.redirect_chain[-1][0] == "/accounts/security/"
    assert secret[:4] not in text_of(after)


def test_a_wrong_code_does_not_turn_it_on(admin_client):
    admin_client.get("/accounts/security/two-factor/on/")
    response = admin_client.post(
        "/accounts/security/two-factor/on/", {"code": "000000"}
    )
    assert response.status_code == 200
    assert_shows(
        response,
        vi("That code is not the one the app shows now. Check the phone's clock."),
    )
    assert not SecondFactor.objects.exists()


def test_eight_recovery_codes_are_shown_once_and_stored_hashed(admin_client):
    _secret, codes = enrol(admin_client)
    assert len(codes) == len(set(codes)) == 8
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & {c.replace("-", "") for c in codes}
    again = admin_client.get("/accounts/security/two-factor/recovery-codes/")
    assert again.status_code == 302 and again.url == "/accounts/security/"


def test_only_administrators_may_turn_it_on(official_client):
    assert official_client.get("/accounts/security/two-factor/on/").status_code == 403
    page = official_client.get("/accounts/security/")
    assert_shows(page, vi("The second factor is for commune administrators."))


# --- signing in ---------------------------------------------------------------------------


def test_a_right_password_alone_does_not_sign_in(client, enrolled):
    response = sign_in(client, "quantri")
    assert response.url == "/accounts/login/code/"
    assert client.get("/households/").status_code == 302
    assert not client.get("/accounts/login/code/").context["user"].is_authenticated


def test_the_code_signs_in_and_goes_where_the_official_was_going(client, enrolled):
    secret, _codes = enrolled
    client.post(
        "/accounts/login/",
        {"username": "quantri", "password": PASSWORD, "next": "/loans/"},
    )
    with time_machine.travel(timezone.now(), tick=False) as clock:
        step_later(clock)  # the enrolment's code was this step's: a new one
        response = client.post(
            "/accounts/login/code/", {"code": totp.code_at(secret, time.time())}
        )
    assert response.status_code == 302 and response.url == "/loans/"
    assert client.get("/households/").status_code == 200


def test_a_code_cannot_be_used_twice(client, enrolled):
    secret, _codes = enrolled
    with time_machine.travel(timezone.now(), tick=False) as clock:
        step_later(clock)  # a step after the one the enrolment used
        code = totp.code_at(secret, time.time())
        sign_in(client, "quantri")
        assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
        client.post("/accounts/logout/")
        sign_in(client, "quantri")
        replay = client.post("/accounts/login/code/", {"code": code})
        assert replay.status_code == 200
        assert_shows(replay, vi(WRONG_CODE))
        step_later(clock)
        fresh = totp.code_at(secret, time.time())
        assert client.post("/accounts/login/code/", {"code": fresh}).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client_at, enrolled):
    office = client_at(OFFICE)
    sign_in(office, "quantri")
    for _ in range(4):
        assert_shows(
            office.post("/accounts/login/code/", {"code": "000000"}), vi(WRONG_CODE)
        )
    fifth = office.post("/accounts/login/code/", {"code": "000000"})
    assert LoginLockout.objects.filter(username="quantri", address=OFFICE).exists()
    assert_shows(
        fifth,
        vi(
            "Too many failed sign-ins for this account from this network. Wait "
            "%(minutes)s minutes and try again, or ask the commune administrator to "
            "unlock it.",
            minutes=15,
        ),
    )
    # The half-way sign-in is over, and the right password is now refused too.
    assert office.get("/accounts/login/code/").status_code == 302
    assert sign_in(office, "quantri").status_code == 200


def test_the_code_step_expires_after_five_minutes(client, enrolled):
    secret, _codes = enrolled
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "quantri")
        clock.shift(timedelta(minutes=6))
        response = client.post(
            "/accounts/login/code/", {"code": totp.code_at(secret, time.time())}
        )
        assert response.status_code == 302 and response.url == "/accounts/login/"


def test_a_recovery_code_signs_in_once(client, enrolled):
    _secret, codes = enrolled
    sign_in(client, "quantri")
    response = client.post(
        "/accounts/login/code/", {"code": codes[0].upper()}, follow=True
    )
    assert response.context["user"].is_authenticated
    assert_shows(
        response,
        vi(
            "You signed in with a recovery code; %(left)s are left. If your phone is "
            "lost, turn the second factor off and on again to set up a new one.",
            left=7,
        ),
    )
    client.post("/accounts/logout/")
    sign_in(client, "quantri")
    again = client.post("/accounts/login/code/", {"code": codes[0]})
    assert_shows(again, vi(WRONG_CODE))


def test_the_admin_signs_in_with_the_code_too(client, enrolled):
    secret, _codes = enrolled
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    client.post(
        "/accounts/login/",
        {"username": "quantri", "password": PASSWORD, "next": "/admin/"},
    )
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(timezone.now(), tick=False) as clock:
        step_later(clock)
        response = client.post(
            "/accounts/login/code/", {"code": totp.code_at(secret, time.time())}
        )
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_secrets_stay_readable_after_the_secret_key_is_rotated(
    client, enrolled, settings
):
    secret, _codes = enrolled
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        sign_in(client, "quantri")
        response = client.post(
            "/accounts/login/code/", {"code": totp.code_at(secret, time.time())}
        )
    assert response.status_code == 302
    settings.SECRET_KEY_FALLBACKS = []  # re-encrypted under the new key when used
    assert crypto.decrypt(SecondFactor.objects.get().encrypted_secret) == secret


# --- turning it off ---------------------------------------------------------------------------


def test_turning_it_off_needs_the_password_and_a_current_code(admin_client):
    secret, _codes = enrol(admin_client)
    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        code = totp.code_at(secret, time.time())
        wrong_password = admin_client.post(
            "/accounts/security/two-factor/off/",
            {"password": "khong-dung", "code": code},
        )
        assert_shows(wrong_password, vi("The password is not right."))
        wrong_code = admin_client.post(
            "/accounts/security/two-factor/off/",
            {"password": PASSWORD, "code": "111111"},
        )
        assert_shows(wrong_code, vi(WRONG_CODE))
        assert SecondFactor.objects.exists()
        response = admin_client.post(
            "/accounts/security/two-factor/off/", {"password": PASSWORD, "code": code}
        )
    assert response.status_code == 302
    assert not SecondFactor.objects.exists() and not RecoveryCode.objects.exists()


# --- compulsory for administrators -----------------------------------------------------------


def test_when_required_an_administrator_must_enrol_first(admin_client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    response = admin_client.get("/households/")
    assert response.status_code == 302
    assert response.url == "/accounts/security/two-factor/on/"
    assert admin_client.get("/admin/").url == "/accounts/security/two-factor/on/"
    enrol(admin_client)
    assert admin_client.get("/households/").status_code == 200


def test_when_required_other_officials_are_not_asked(official_client, settings):
    settings.ADMIN_2FA_REQUIRED = True
    response = official_client.get("/households/")
    assert response.status_code == 200
    assert_not_shows(response, vi("Turn on the second factor"))


def test_a_superuser_can_reset_a_lost_second_factor(client_for, superuser, enrolled):
    factor = SecondFactor.objects.get()
    admin = client_for(superuser)
    page = admin.get(f"/admin/accounts/secondfactor/{factor.pk}/change/")
    assert page.status_code == 200
    assert factor.encrypted_secret not in page.content.decode()
    admin.post(f"/admin/accounts/secondfactor/{factor.pk}/delete/", {"post": "yes"})
    assert not SecondFactor.objects.exists()


def test_a_commune_admin_cannot_remove_second_factors(client_for, admin_user):
    admin = client_for(admin_user)
    assert admin.get("/admin/accounts/secondfactor/").status_code == 403
