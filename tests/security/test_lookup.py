"""Enumerating households through the public lookup ("Tra cứu hộ của tôi"): an unknown
code and a wrong PIN give the very same page, the limits hold, and neither a forged
X-Forwarded-For header nor one sent through gunicorn's proxy hook resets them."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from eakutur.residents.models import AttemptOutcome, PublicAttempt
from households.models import Commune

GUNICORN_CONF = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
RIGHT_DIGITS = "5678"  # place A's head: phone 0912345678
ATTACKER = "203.0.113.9"
PROXY = "127.0.0.1"


@pytest.fixture
def served(w):
    """The test host serves commune X (commune Y is another host)."""
    Commune.objects.filter(pk=w.a.commune.pk).update(hostname="testserver")
    Commune.objects.filter(pk=w.c.commune.pk).update(hostname="eakmat.example")
    return w


def look_up(client, code, digits, **extra):
    return client.post(
        reverse("residents:lookup"), {"code": code, "digits": digits}, **extra
    )


def page_text(response) -> str:
    """The page without what differs between any two responses (CSRF token, nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_unknown_code_and_wrong_digits_give_the_same_page(served):
    unknown = look_up(Client(REMOTE_ADDR="198.51.100.1"), "HK-NOBODY", "1111")
    wrong = look_up(Client(REMOTE_ADDR="198.51.100.2"), "HK-A", "1111")
    assert unknown.status_code == wrong.status_code == 200
    assert page_text(unknown) == page_text(wrong)
    # Another commune's household is unknown here, like any code.
    foreign = look_up(Client(REMOTE_ADDR="198.51.100.3"), "HK-C", "1111")
    assert page_text(foreign) == page_text(unknown)


def test_the_right_digits_are_refused_once_the_address_is_throttled(served, settings):
    settings.RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(3):
        look_up(client, f"HK-GUESS{n}", "0000")
    response = look_up(client, "HK-A", RIGHT_DIGITS)
    assert response.status_code in (200, 429)
    assert reverse("residents:my_household") not in response.get("Location", "")
    assert PublicAttempt.objects.filter(
        address=ATTACKER, outcome=AttemptOutcome.THROTTLED
    ).exists()


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(served, settings):
    settings.RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(6):
        look_up(client, f"HK-G{n}", "0000", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = look_up(client, "HK-A", RIGHT_DIGITS, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert "Location" not in response
    assert set(PublicAttempt.objects.values_list("address", flat=True)) == {ATTACKER}


def _proxy_hook():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", GUNICORN_CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.client_address_from_proxy


def address_after_gunicorn(peer: str, forwarded: str) -> str:
    """REMOTE_ADDR as gunicorn's worker hands it to Django (deploy/gunicorn.conf.py)."""
    seen = {}

    def app(environ, start_response):
        seen.update(environ)

    hook = _proxy_hook()
    hook(app)({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}, None)
    return seen["REMOTE_ADDR"]


def test_through_gunicorn_only_the_proxy_may_name_the_client(served, settings):
    # An attacker connecting straight to gunicorn cannot pick an address.
    assert address_after_gunicorn(ATTACKER, "10.0.0.1") == ATTACKER
    # Nor by smuggling a list through the proxy (nginx appends; a list is refused).
    assert address_after_gunicorn(PROXY, "10.0.0.1, 203.0.113.9") == PROXY
    # The proxy's single address is the client's.
    assert address_after_gunicorn(PROXY, ATTACKER) == ATTACKER
    # So a sweep from one attacker through the proxy stays one address, one limit.
    settings.RESIDENTS_LOOKUP_FAILURES_PER_ADDRESS = 3
    for n in range(4):
        client = Client(REMOTE_ADDR=address_after_gunicorn(ATTACKER, f"10.0.0.{n}"))
        look_up(client, f"HK-S{n}", "0000")
    client = Client(REMOTE_ADDR=address_after_gunicorn(ATTACKER, "10.0.0.99"))
    assert "Location" not in look_up(client, "HK-A", RIGHT_DIGITS)
