"""Idle and absolute session timeouts for signed-in officials, none for residents."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from eakutur.residents.session import LOOKUP_SESSION_KEY
from tests.pages import assert_shows, vi

from .conftest import sign_in

EXPIRED = "Your session has expired. Please sign in again."


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 8 * 3600


def test_half_an_hour_without_a_request_signs_the_official_out(client, official):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "canbo")
        assert client.get("/households/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/households/?q=Nguyen")
        assert response.status_code == 302
        assert response.url == "/accounts/login/?next=/households/%3Fq%3DNguyen"
        page = client.get(response.url)
        assert_shows(page, vi(EXPIRED))
        assert not page.context["user"].is_authenticated


def test_activity_keeps_the_session_alive(client, official):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "canbo")
        for _ in range(6):  # three hours, a page every 29 minutes
            clock.shift(timedelta(minutes=29))
            assert client.get("/households/").status_code == 200


def test_eight_hours_after_signing_in_the_session_ends_whatever_the_activity(
    client, official
):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "canbo")
        for _ in range(16):  # 7 h 44 min of steady work
            clock.shift(timedelta(minutes=29))
            assert client.get("/households/").status_code == 200
        clock.shift(timedelta(minutes=20))  # 8 h 4 min after signing in
        response = client.get("/households/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")


def test_the_timeouts_come_from_the_settings(client, official, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "canbo")
        clock.shift(timedelta(minutes=6))
        assert client.get("/households/").status_code == 302


def test_a_forced_login_starts_its_clock_at_the_first_request(client, official):
    """Sessions made before this middleware existed, or by force_login, get a clock too."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(official)
        assert client.get("/households/").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/households/").status_code == 302


def test_an_anonymous_residents_session_is_not_touched(client, db):
    """The resident portal keeps a proven household in an anonymous session; an hour of
    silence must not flush it here (its own 15-minute rule lives in residents.session)."""
    session = client.session
    session[LOOKUP_SESSION_KEY] = {"pk": 1, "until": "2099-01-01T00:00:00+00:00"}
    session.save()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        client.get("/accounts/login/")
    assert client.session[LOOKUP_SESSION_KEY]["pk"] == 1
