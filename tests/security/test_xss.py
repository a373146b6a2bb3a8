"""Stored XSS and template injection: every free-text field of every place holds
``<script>``, an attribute breaker and template syntax. Every page shows them escaped;
the notice as it goes out to Zalo, SMS and e-mail carries them literally (plain text,
nothing evaluated)."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from outreach import tasks
from outreach.models import GroupChannel
from outreach.services.dispatch import notice_dispatch_due
from tests.factories.outreach import NoticeFactory, VillageGroupFactory
from tests.outreach.fake_sms import SEND_PATH
from tests.outreach.fake_zalo import GROUP_MESSAGE_PATH

from .test_state_changes import PLAIN_URLS, url_of
from .urlconf import URL_KWARGS
from .world import HOSTILE, SCRIPT, build_world

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW = (SCRIPT, "<img src=x onerror", "onerror=alert(1)>")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The attacker's world, with HOSTILE in every name, note, title and body."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(hostile=True)
        transaction.set_rollback(True)


def assert_escaped(response, url):
    assert response.status_code < 500, f"{url}: {response.status_code}"
    if "html" not in response.get("Content-Type", ""):
        return
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page, f"{url} shows {raw!r} unescaped"
    assert '<ul class="debug"' not in page and "{% debug" not in page.replace(
        "{% debug %}", ""
    )


@pytest.mark.parametrize("name", PLAIN_URLS + sorted(URL_KWARGS))
def test_staff_pages_escape_stored_text(w, name):
    client = Client()
    client.force_login(w.official)
    url = url_of(name, w)
    assert_escaped(client.get(url), url)


PAGES_THAT_SHOW_THE_TEXT = [
    "households:household_detail",
    "loans:group_detail",
    "trainings:course_detail",
    "contacts:contact_detail",
    "contacts:team_detail",
    "outreach:notice_detail",
]


@pytest.mark.parametrize("name", PAGES_THAT_SHOW_THE_TEXT)
def test_the_hostile_text_is_shown_escaped_not_dropped(w, name):
    """So the test above could fail: these pages do show the stored text."""
    client = Client()
    client.force_login(w.official)
    page = client.get(url_of(name, w)).content.decode()
    assert ESCAPED_SCRIPT in page


def test_resident_pages_escape_stored_text(w):
    client = Client()
    public = [r for r in PLAIN_URLS if r.startswith("residents:")]
    public.append(reverse("residents:notice_detail", kwargs={"pk": w.a.notice.pk}))
    for name in public:
        url = name if name.startswith("/") else reverse(name)
        assert_escaped(client.get(url), url)


# --- The notice as the channels send it ---------------------------------------------------


def test_notice_text_goes_out_literally_on_every_channel(
    w, fake_zalo, zalo_settings, sms_settings, fake_sms, settings
):
    village, commune = w.a.village, w.a.commune
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    fake_zalo.groups = {"group-hostile"}
    groups = [
        VillageGroupFactory(village=village, channel=channel, external_id=target)
        for channel, target in [
            (GroupChannel.ZALO, "group-hostile"),
            (GroupChannel.SMS, "0912345678"),
            (GroupChannel.EMAIL, "thon1@example.org"),
        ]
    ]
    notice = NoticeFactory(commune=commune, title=f"Họp {HOSTILE}", body=HOSTILE)
    notice_dispatch_due()
    for delivery in notice.deliveries.filter(group__in=groups):
        assert tasks.send_delivery(delivery.pk) == "sent"

    zalo_text = fake_zalo.calls(GROUP_MESSAGE_PATH)[0].json()["message"]["text"]
    sms_text = fake_sms.calls(SEND_PATH)[0].json()["text"]
    [email] = mail.outbox
    for payload in (zalo_text, sms_text, email.body):
        assert payload.count(HOSTILE) == 2  # title and body, exactly as typed
        assert "49" not in payload  # {{ 7*7 }} was not evaluated
    # Plain text only: no HTML part in which the markup could come alive.
    assert email.content_subtype == "plain"
    assert not getattr(email, "alternatives", None)
    assert "\n" not in email.subject and "\r" not in email.subject
