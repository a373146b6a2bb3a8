"""Personal data stays out of URLs and logs: no ID number, phone or name in any link,
form action or redirect the portal generates, and none in the log when a request fails,
a form is refused or the portal breaks (whose 500 page shows no traceback either)."""

import logging
import re
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from .pages import read
from .test_state_changes import EVERY_URL, url_of
from .world import NATIONAL_ID, PHONE

HEAD_NAME = "Nguyễn Văn A"
DIALLED = ("tel:", "sms:", "zalo:", "mailto:")


def pii_in(text: str) -> list[str]:
    text = unquote(text)
    return [
        p
        for p in (NATIONAL_ID, PHONE, HEAD_NAME, HEAD_NAME.replace(" ", "+"))
        if p in text
    ]


@pytest.mark.parametrize("user", ["officer", "official"])
def test_no_generated_url_carries_personal_data(w, user):
    client = Client()
    client.force_login(getattr(w, user))
    checked = 0
    for name in EVERY_URL:
        response = client.get(url_of(name, w))
        location = response.get("Location", "")
        assert not pii_in(location), (name, location)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        page = read(response.content.decode())
        for url in page.hrefs + [f.action for f in page.forms]:
            if url.startswith(DIALLED):
                continue  # the phone dials it; no server ever sees the link
            assert not pii_in(url), (name, url)
            checked += 1
    assert checked > 500


def test_a_household_search_result_links_without_the_search(w):
    """The search box takes phone and ID digits; the results link to the household,
    not to a URL that repeats what was typed."""
    client = Client()
    client.force_login(w.official)
    page = client.get(
        reverse("households:household_list"), {"q": PHONE}
    ).content.decode()
    assert f"/households/{w.a.household.pk}/" in page
    assert not [h for h in read(page).hrefs if pii_in(h) and "q=" not in h]


def test_the_lookup_redirect_carries_nothing_personal(w):
    from households.models import Commune

    Commune.objects.filter(pk=w.a.commune.pk).update(hostname="testserver")
    Commune.objects.filter(pk=w.c.commune.pk).update(hostname="eakmat.example")
    response = Client().post(
        reverse("residents:lookup"), {"code": w.a.household.code, "digits": PHONE[-4:]}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:my_household")


BAD_FORMS = {
    "households:household_create": {
        "head_name": HEAD_NAME,
        "head_national_id": NATIONAL_ID + "9",
        "phone": PHONE + "99",
        "village": "999999",
    },
    "households:member_create": {"full_name": HEAD_NAME, "national_id": NATIONAL_ID},
    "contacts:contact_create": {"requester_phone": PHONE, "household": "x"},
}


def test_refused_forms_log_no_personal_data(w, caplog):
    client = Client()
    client.force_login(w.officer)
    with caplog.at_level(logging.DEBUG):
        for name, data in BAD_FORMS.items():
            assert client.post(url_of(name, w), data).status_code < 500
        client.post(reverse("residents:lookup"), {"code": "HK-A", "digits": "1234"})
        client.post(reverse("residents:lookup"), {"code": NATIONAL_ID, "digits": PHONE})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not pii_in(logged), logged


@pytest.fixture
def boom_client(settings):
    settings.ROOT_URLCONF = "tests.security.boom_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_500_shows_no_traceback_and_logs_no_personal_data(w, boom_client, caplog):
    with caplog.at_level(logging.INFO):
        response = boom_client.post(
            f"/boom/?phone={PHONE}", {"national_id": NATIONAL_ID, "phone": PHONE}
        )
    assert response.status_code == 500
    page = response.content.decode()
    assert "Traceback" not in page and "RuntimeError" not in page
    assert not pii_in(page)
    assert re.search(r"Đã có lỗi xảy ra", page)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors, "the failure was not logged"
    for record in caplog.records:
        assert not pii_in(record.getMessage()), record.getMessage()
        assert not pii_in(logging.Formatter().format(record)), "PII in the traceback"
