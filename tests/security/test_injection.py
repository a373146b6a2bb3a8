"""SQL injection and scope widening through the query string of every list page: the
search box, every filter and sort the page offers (read from its own GET forms and
links), plus the usual suspects. Whatever is sent, the answer is a page (with a message),
a 400 or a 404, never a 500, and never a row of another village or commune."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from .pages import forms, hrefs
from .test_state_changes import EVERY_URL, PLAIN_URLS, url_of
from .world import World

HOSTILE_VALUES = [
    "'",
    '"',
    "' OR 1=1 --",
    "1 OR 1=1",
    "1; DROP TABLE households_household; --",
    "99999999999999999999999999",
    "-1",
    "abc",
    "%",
    "_",
    "\\",
    "\x00",
    "nonexistent_sort_key",
    "-pk",
    "household__village__commune__name",
]
USUAL_SUSPECTS = ("q", "sort", "order", "village", "status", "year", "page", "period")


def foreign_markers(w: World) -> re.Pattern:
    """Text only a row of village B or commune Y would put on the officer's page."""
    names = [
        f"{p.household.code}|Nguyễn Văn {t}|Trần Thị {t}|Tổ {t}|Lớp {t}|Thông báo {t}"
        for t, p in (("B", w.b), ("C", w.c))
    ]
    return re.compile(rf"(?<!\w)({'|'.join(names)})(?!\w)")


def query_params(client, url) -> set[str]:
    """The parameters the page itself offers: its GET forms' fields, its links' queries."""
    page = client.get(url)
    if page.status_code != 200 or "html" not in page["Content-Type"]:
        return set()
    html = page.content.decode()
    names = {name for form in forms(html, "get") for name in form.fields}
    for href in hrefs(html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.path in ("", url):
            names |= {k for k, _v in parse_qsl(parts.query)}
    return names | set(USUAL_SUSPECTS)


STAFF_LISTS = [n for n in PLAIN_URLS if not n.startswith("residents:")]


@pytest.mark.parametrize("name", PLAIN_URLS)
def test_hostile_query_strings_never_break_or_widen_a_list(w, name):
    client = Client()
    client.force_login(w.officer)
    url = reverse(name)
    markers = foreign_markers(w)
    params = sorted(query_params(client, url))
    attempts = [dict.fromkeys(params, value) for value in HOSTILE_VALUES]
    attempts += [{param: HOSTILE_VALUES[2]} for param in params]
    # Another village's and another commune's ids in every filter.
    attempts += [
        dict.fromkeys(params, str(pk)) for pk in (w.b.village.pk, w.c.village.pk)
    ]
    for query in attempts:
        response = client.get(url, query)
        assert response.status_code in (200, 302, 400, 403, 404, 405), (
            f"{url} {query}: {response.status_code}"
        )
        if response.status_code == 200 and "html" in response["Content-Type"]:
            found = markers.search(response.content.decode())
            assert found is None, f"{url} {query} shows {found.group()}"


def test_unknown_dashboard_table_is_a_404(w):
    client = Client()
    client.force_login(w.official)
    for slug in ("nope", "households-status-by-village-x", "1"):
        url = reverse("dashboard:table_xlsx", kwargs={"slug": slug})
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("pk", ["0", "-1", "99999999999999999999", "1e3", "abc", "%27"])
def test_non_numeric_and_huge_ids_are_404(w, pk):
    client = Client()
    client.force_login(w.official)
    for path in ("/households/{}/", "/loans/{}/", "/trainings/sessions/{}/"):
        response = client.get(path.format(pk))
        assert response.status_code == 404, (path.format(pk), response.status_code)


FORM_FUZZ = ["99999999999999999999", "-99999999999999999999", "' OR 1=1 --", "\x00", ""]
NOT_APP_FORMS = ("/i18n/", "/accounts/logout/")


@pytest.mark.parametrize("name", EVERY_URL)
def test_hostile_values_in_every_form_never_break_it(w, name):
    """Every POST form the page offers, every field set to the same hostile value: the
    form answers with its errors (or does its work), never a 500."""
    client = Client()
    client.force_login(w.official)
    url = url_of(name, w)
    page = client.get(url)
    if page.status_code != 200 or "html" not in page["Content-Type"]:
        return
    for form in forms(page.content.decode(), "post"):
        action = form.action or url
        if action.startswith(NOT_APP_FORMS):
            continue
        for value in FORM_FUZZ:
            data = {k: v for k, v in form.fields.items() if k == "csrfmiddlewaretoken"}
            data |= {k: value for k in form.fields if k != "csrfmiddlewaretoken"}
            response = client.post(action, data)
            assert response.status_code < 500, (action, value, response.status_code)
