"""Every URL that takes an object id, filled with an object the user may not see, is a
404 for GET and POST alike: a village officer asking for the neighbouring village's
objects, a commune official asking for another commune's. Not a 403 (that would confirm
the object exists), never a 200 or a 500, and nothing changes.

The table of URLs is ``URL_KWARGS`` (urlconf.py); the first test fails when the URL
conf has a URL with object kwargs the table does not know, so a new URL cannot slip by.
"""

import pytest
from django.test import Client

from .snapshot import changed, snapshot
from .urlconf import NOT_OBJECT_URLS, URL_KWARGS, object_routes, url_for

# Pages a village officer may not open for any object (commune set-up): a 403 for their
# own village's object too, so the 403 for another village's says nothing about it.
COMMUNE_WIDE_ONLY = {
    "households:village_update",
    "loans:disbursement_import_preview",
    "outreach:notice_schedule",
    "outreach:notice_resend",
}


def test_every_object_url_is_in_the_table():
    found = {r.name for r in object_routes()}
    assert found - set(URL_KWARGS) == set(), (
        "URLs that take an object id but are not in tests/security/urlconf.py "
        "URL_KWARGS: add a row (or a reason in NOT_OBJECT_URLS)"
    )
    assert set(URL_KWARGS) - found == set(), "rows for URLs that no longer exist"
    assert not set(NOT_OBJECT_URLS) & set(URL_KWARGS)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _attack(user, place, name, method, *, own_place=None):
    client = client_of(user)
    url = url_for(name, place)
    before = snapshot()
    response = getattr(client, method)(url)
    assert not changed(before, snapshot()), f"{method.upper()} {url} changed rows"
    if (
        response.status_code == 403
        and name in COMMUNE_WIDE_ONLY
        and own_place is not None
    ):
        own = getattr(client, method)(url_for(name, own_place))
        assert own.status_code == 403, f"{name}: 403 only for the foreign object"
        return
    if response.status_code == 405:
        return  # a method the view never takes: the same answer whatever the id
    assert response.status_code == 404, (
        f"{method.upper()} {url} ({name}) answered {response.status_code}, not 404"
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(URL_KWARGS))
def test_village_officer_gets_404_for_another_village(w, name, method):
    _attack(w.officer, w.b, name, method, own_place=w.a)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(URL_KWARGS))
def test_commune_official_gets_404_for_another_commune(w, name, method):
    _attack(w.official, w.c, name, method)
