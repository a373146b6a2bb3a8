"""/healthz for the load balancer, and ``manage.py healthcheck``."""

import json
import logging
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import OperationalError, connections
from django.urls import reverse
from django.utils import timezone

from eakutur.tasks import BEAT_HEARTBEAT_KEY

URL = "/healthz"
# Stands for what a real failure's message can hold: hosts, users, paths.
SECRET = "could not connect to server db-internal.eaktur:5432 as user portal"

pytestmark = pytest.mark.django_db


def beat_at(seconds_ago: float) -> None:
    stamp = timezone.now() - timedelta(seconds=seconds_ago)
    cache.set(BEAT_HEARTBEAT_KEY, stamp.isoformat(), timeout=None)


def get(client):
    response = client.get(URL)
    return response, json.loads(response.content)


@pytest.fixture
def database_down():
    with mock.patch.object(
        connections["default"], "cursor", side_effect=OperationalError(SECRET)
    ):
        yield


@pytest.fixture
def cache_down():
    error = ConnectionError(SECRET)
    with (
        mock.patch.object(LocMemCache, "set", side_effect=error),
        mock.patch.object(LocMemCache, "get", side_effect=error),
    ):
        yield


def test_url_is_outside_the_language_prefixes(client):
    assert reverse("healthz") == URL
    assert client.get("/en/healthz").status_code == 404


def test_all_fine_is_200_ok(client):
    beat_at(30)
    response, body = get(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "beat"}
    assert body["checks"]["database"]["ok"] is True
    assert isinstance(body["checks"]["database"]["ms"], float)
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["beat"]["ok"] is True
    assert 29 <= body["checks"]["beat"]["age_seconds"] <= 40


def test_stale_beat_is_degraded_but_200(client):
    beat_at(912)
    response, body = get(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["beat"]["ok"] is False
    assert 912 <= body["checks"]["beat"]["age_seconds"] <= 920
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]


def test_missing_beat_is_degraded(client):
    response, body = get(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["beat"] == {"ok": False, "age_seconds": None}


def test_unreadable_beat_is_degraded(client):
    cache.set(BEAT_HEARTBEAT_KEY, "not a time", timeout=None)
    response, body = get(client)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["checks"]["beat"]["ok"] is False


def test_stale_after_is_a_setting(client, settings):
    settings.HEALTH_BEAT_STALE_AFTER = 1000
    beat_at(912)
    assert get(client)[1]["status"] == "ok"
    settings.HEALTH_BEAT_STALE_AFTER = 60
    beat_at(90)
    assert get(client)[1]["status"] == "degraded"


def test_beat_slightly_in_the_future_is_fresh(client):
    beat_at(-5)  # the worker's clock is a little ahead of the web server's
    body = get(client)[1]
    assert body["status"] == "ok"
    assert body["checks"]["beat"]["age_seconds"] == 0


def test_database_down_is_503_without_the_error_text(client, database_down, caplog):
    beat_at(30)
    with caplog.at_level(logging.ERROR, logger="eakutur.health"):
        response, body = get(client)
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"] == "error"
    assert body["checks"]["cache"]["ok"] is True
    assert SECRET not in response.content.decode()
    assert "OperationalError" not in response.content.decode()
    # The operator finds the cause in the log.
    assert any(
        record.exc_info and isinstance(record.exc_info[1], OperationalError)
        for record in caplog.records
    )


def test_cache_down_is_503_without_the_error_text(client, cache_down, caplog):
    with caplog.at_level(logging.ERROR, logger="eakutur.health"):
        response, body = get(client)
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["cache"] == {
        "ok": False,
        "ms": body["checks"]["cache"]["ms"],
        "error": "error",
    }
    assert body["checks"]["beat"]["ok"] is False  # read from the same cache
    assert body["checks"]["database"]["ok"] is True
    assert SECRET not in response.content.decode()
    assert caplog.records


def test_cache_losing_the_value_is_503(client):
    with mock.patch.object(LocMemCache, "get", return_value=None):
        response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["cache"]["ok"] is False


@pytest.mark.parametrize("state", ["ok", "degraded", "down"])
def test_never_stored(client, request, state):
    if state == "ok":
        beat_at(10)
    if state == "down":
        request.getfixturevalue("database_down")
    response = client.get(URL)
    assert json.loads(response.content)["status"] == state
    assert response["Cache-Control"] == "no-store"


def test_no_cookie_is_set(client):
    beat_at(10)
    response = client.get(URL)
    assert response.status_code == 200
    assert not response.cookies
    assert not client.cookies


def test_anonymous_client_gets_the_report_not_the_login_page(client):
    beat_at(10)
    response = client.get(URL, follow=False)
    assert response.status_code == 200
    assert "Location" not in response


def test_signed_in_official_gets_the_same_report(official_client):
    beat_at(10)
    response = official_client.get(URL)
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"
    assert "no-store" in response["Cache-Control"]


def test_head_is_allowed(client):
    beat_at(10)
    response = client.head(URL)
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_are_405(method):
    from django.test import Client

    # enforce_csrf_checks: the method check answers, not the CSRF middleware.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(URL)
    assert response.status_code == 405
    assert not response.cookies


def test_report_holds_nothing_but_the_checks(client):
    from tests.factories import HouseholdFactory

    household = HouseholdFactory(head_name="Nguyễn Văn A")
    beat_at(10)
    body = get(client)[1]
    assert set(body) == {"status", "checks"}
    assert household.head_name not in json.dumps(body, ensure_ascii=False)


# --- manage.py healthcheck --------------------------------------------------------------


def test_command_prints_the_report_and_succeeds():
    beat_at(10)
    out = StringIO()
    call_command("healthcheck", stdout=out)
    report = json.loads(out.getvalue())
    assert report["status"] == "ok"
    assert set(report["checks"]) == {"database", "cache", "beat"}


def test_command_succeeds_when_degraded():
    out = StringIO()
    call_command("healthcheck", stdout=out)  # no heartbeat: degraded, exit status 0
    assert json.loads(out.getvalue())["status"] == "degraded"


def test_command_fails_when_down(database_down):
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("healthcheck", stdout=out)
    assert exited.value.code == 1
    assert json.loads(out.getvalue())["status"] == "down"
    assert SECRET not in out.getvalue()


def test_beat_starting_sends_a_heartbeat_at_once(client):
    """Beat's interval tasks first fire one interval after it starts; without the
    heartbeat sent at start, a restarted beat read "degraded" for a minute."""
    from celery.signals import beat_init

    from eakutur.celery import app

    cache.delete(BEAT_HEARTBEAT_KEY)
    assert get(client)[1]["status"] == "degraded"
    app.conf.task_always_eager = True
    try:
        beat_init.send(sender=None)
    finally:
        app.conf.task_always_eager = False
    body = get(client)[1]
    assert body["status"] == "ok"
    assert body["checks"]["beat"]["age_seconds"] < 5
