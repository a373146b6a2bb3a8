"""State changes need a POST with the CSRF token: every URL of the portal, with valid ids
of the user's own objects, answers a token-less POST with 403 and changes nothing, and a
GET changes nothing either (reads may leave an audit row, nothing else)."""

import pytest
from django.test import Client

from .snapshot import changed, snapshot
from .urlconf import (
    ADMIN_NAMESPACE,
    URL_KWARGS,
    routes_without_kwargs,
    url_for,
)
from .world import World

# The audit of reads (who opened which household's personal data) is written by GETs on
# purpose; public attempts are the lookup's rate-limit counters.
READ_SIDE_EFFECTS = ("audit.auditentry",)

PLAIN_URLS = sorted(
    r.name for r in routes_without_kwargs() if not r.name.startswith(ADMIN_NAMESPACE)
)
EVERY_URL = PLAIN_URLS + sorted(URL_KWARGS)


def url_of(name: str, w: World) -> str:
    from django.urls import reverse

    return url_for(name, w.a) if name in URL_KWARGS else reverse(name)


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", EVERY_URL)
def test_post_without_csrf_token_is_refused(w, name):
    client = signed_in(w.official, enforce_csrf_checks=True)
    url = url_of(name, w)
    before = snapshot()
    response = client.post(url, {"title": "x", "note": "x", "reason": "x"})
    # 405: the view takes no POST at all (the health check, which is csrf-exempt).
    assert response.status_code in (403, 405), f"POST {url} without a token: {response}"
    assert not changed(before, snapshot())


@pytest.mark.parametrize("name", ["login", "residents:lookup", "residents:request"])
def test_public_forms_need_the_token_too(w, name):
    from django.urls import reverse

    before = snapshot()
    response = Client(enforce_csrf_checks=True).post(
        reverse(name), {"username": "canbo", "password": "x", "code": "HK-A"}
    )
    assert response.status_code == 403
    assert not changed(before, snapshot())


@pytest.mark.parametrize("user", ["officer", "official"])
@pytest.mark.parametrize("name", EVERY_URL)
def test_get_changes_nothing(w, name, user):
    client = signed_in(getattr(w, user))
    url = url_of(name, w)
    before = snapshot(ignore=READ_SIDE_EFFECTS)
    response = client.get(url)
    assert response.status_code < 500, f"GET {url}: {response.status_code}"
    assert not changed(before, snapshot(ignore=READ_SIDE_EFFECTS)), f"GET {url}"
