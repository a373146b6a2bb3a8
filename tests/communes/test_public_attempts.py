"""Each public lookup or request is logged with the commune whose host name it came in
on, so a commune admin sees their own commune's attempts (also those that named no
household or village) and no other's; the rate limits still count an address (and a
code) across every commune, so switching host names gives no fresh attempts."""

import pytest
from django.apps import apps
from django.urls import reverse

from eakutur.residents.models import AttemptAction, AttemptOutcome, PublicAttempt
from tests.pages import text_of

from .conftest import HOST_A, HOST_B, SHARED_CODE

pytestmark = pytest.mark.django_db

LOOKUP = reverse("residents:lookup")
REQUEST = reverse("residents:request")
ATTEMPTS = reverse("admin:residents_publicattempt_changelist")
A_ADDRESS, B_ADDRESS = "10.1.1.1", "10.2.2.2"


def look_up(client, code: str, digits: str, address: str):
    return client.post(LOOKUP, {"code": code, "digits": digits}, REMOTE_ADDR=address)


def ask(client, village, address: str):
    return client.post(
        REQUEST,
        {
            "topic": "loans",
            "village": village.pk,
            "name": "Nguyễn Văn An",
            "phone": "0912345678",
            "consent": "on",
        },
        REMOTE_ADDR=address,
    )


# --- which commune an attempt belongs to -------------------------------------------------


def test_each_attempt_keeps_the_commune_of_its_host(on_host, two_communes):
    ktur, kmat = two_communes
    look_up(on_host(HOST_A), SHARED_CODE, "0001", A_ADDRESS)  # found
    look_up(on_host(HOST_A), "EK-9999", "0001", A_ADDRESS)  # names no household
    look_up(on_host(HOST_B), "EK-9999", "0002", B_ADDRESS)
    assert ask(on_host(HOST_B), kmat.village, B_ADDRESS).status_code == 302

    logged = {
        (a.action, a.outcome, a.address, a.commune_id)
        for a in PublicAttempt.objects.all()
    }
    assert logged == {
        (AttemptAction.LOOKUP, AttemptOutcome.FOUND, A_ADDRESS, ktur.commune.pk),
        (AttemptAction.LOOKUP, AttemptOutcome.NO_MATCH, A_ADDRESS, ktur.commune.pk),
        (AttemptAction.LOOKUP, AttemptOutcome.NO_MATCH, B_ADDRESS, kmat.commune.pk),
        (AttemptAction.REQUEST, AttemptOutcome.SENT, B_ADDRESS, kmat.commune.pk),
    }


def test_a_refused_attempt_keeps_its_commune_too(on_host, two_communes, settings):
    _ktur, kmat = two_communes
    settings.RESIDENTS_REQUESTS_PER_ADDRESS = 0
    assert ask(on_host(HOST_B), kmat.village, B_ADDRESS).status_code == 429
    attempt = PublicAttempt.objects.get()
    assert (attempt.outcome, attempt.commune) == (
        AttemptOutcome.THROTTLED,
        kmat.commune,
    )


# --- the admin list ----------------------------------------------------------------------


def test_a_commune_admin_sees_only_their_communes_attempts(
    on_host, signed_in, two_communes
):
    ktur, kmat = two_communes
    # Neither names a household or a village: only the host tells whose they are.
    look_up(on_host(HOST_A), "EK-9999", "0001", A_ADDRESS)
    look_up(on_host(HOST_B), "EK-9999", "0002", B_ADDRESS)

    for side, own, other in (
        (ktur, A_ADDRESS, B_ADDRESS),
        (kmat, B_ADDRESS, A_ADDRESS),
    ):
        response = signed_in(side.admin).get(ATTEMPTS)
        assert response.status_code == 200
        page = text_of(response)
        assert own in page
        assert other not in page


def test_a_superuser_sees_every_communes_attempts_and_which_commune(
    on_host, signed_in, two_communes, django_user_model
):
    ktur, kmat = two_communes
    look_up(on_host(HOST_A), "EK-9999", "0001", A_ADDRESS)
    look_up(on_host(HOST_B), "EK-9999", "0002", B_ADDRESS)
    operator = django_user_model.objects.create_superuser("vanhanh", password=None)

    page = text_of(signed_in(operator).get(ATTEMPTS))
    assert A_ADDRESS in page and B_ADDRESS in page
    assert ktur.commune.name in page and kmat.commune.name in page


# --- the rate limits across host names ---------------------------------------------------


def test_switching_host_names_gives_an_address_no_fresh_lookups(
    on_host, two_communes, settings
):
    settings.RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = 2
    look_up(on_host(HOST_A), "EK-9999", "0001", A_ADDRESS)
    look_up(on_host(HOST_A), "EK-9998", "0001", A_ADDRESS)

    # The right code and digits of Ea Kmát's household, from the same address.
    response = look_up(on_host(HOST_B), SHARED_CODE, "0002", A_ADDRESS)
    assert response.status_code == 429
    last = PublicAttempt.objects.order_by("-pk").first()
    assert last.outcome == AttemptOutcome.THROTTLED
    # Another address on that host still gets in.
    assert look_up(on_host(HOST_B), SHARED_CODE, "0002", B_ADDRESS).status_code == 302


def test_switching_host_names_gives_an_address_no_fresh_requests(
    on_host, two_communes, settings
):
    ktur, kmat = two_communes
    settings.RESIDENTS_REQUESTS_PER_ADDRESS = 1
    assert ask(on_host(HOST_A), ktur.village, A_ADDRESS).status_code == 302
    assert ask(on_host(HOST_B), kmat.village, A_ADDRESS).status_code == 429


# --- rows logged before the commune was kept (migration 0003) -----------------------------


def _fill_in():
    from importlib import import_module

    migration = import_module(
        "eakutur.residents.migrations.0003_public_attempt_commune"
    )
    migration.fill_in(apps, None)


def _old_attempt(**names) -> PublicAttempt:
    return PublicAttempt.objects.create(
        action=AttemptAction.LOOKUP,
        outcome=AttemptOutcome.NO_MATCH,
        address=A_ADDRESS,
        **names,
    )


def test_old_attempts_get_the_commune_they_name(two_communes):
    ktur, kmat = two_communes
    by_household = _old_attempt(household=kmat.household)
    by_village = _old_attempt(village=ktur.village)
    unplaceable = _old_attempt()  # several communes: could be anyone's

    _fill_in()

    by_household.refresh_from_db()
    by_village.refresh_from_db()
    unplaceable.refresh_from_db()
    assert by_household.commune == kmat.commune
    assert by_village.commune == ktur.commune
    assert unplaceable.commune is None


def test_on_a_lone_commune_every_old_attempt_is_its(ea_ktur):
    old = _old_attempt()
    _fill_in()
    old.refresh_from_db()
    assert old.commune == ea_ktur.commune
