"""The HTTP security headers (eakutur.middleware.SecurityHeadersMiddleware, Django's
SecurityMiddleware and the settings under "Security"): every kind of page carries them,
pages with personal data are never cached, and HTTPS makes every cookie secure.
Real browsers check that the pages live within the policy: tests/e2e/test_csp.py."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.urls import path, reverse

from tests.eakutur.test_settings import BASE_DIR, PRODUCTION, clean_env
from tests.residents.test_check import walk

pytestmark = pytest.mark.django_db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def assert_security_headers(response) -> None:
    assert response["Content-Security-Policy"] == CSP
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response
    denied = response["Permissions-Policy"].split(", ")
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in denied
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_staff_page(officer_client):
    response = officer_client.get(reverse("households:household_list"))

    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_resident_page(client, village):
    response = client.get(reverse("residents:program_list"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_login_page(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert_security_headers(response)


def test_admin_pages(client_for, admin_user):
    client = client_for(admin_user)
    for url in (
        reverse("admin:index"),
        reverse("admin:households_village_changelist"),
        reverse("admin:households_village_add"),
    ):
        response = client.get(url)

        assert response.status_code == 200, url
        assert_security_headers(response)
        assert "no-store" in response["Cache-Control"], url


def test_not_found_page(client, officer_client):
    for who in (client, officer_client):
        response = who.get("/khong-co-trang-nay/")

        assert response.status_code == 404
        assert_security_headers(response)


def test_health_endpoint(client):
    response = client.get(reverse("healthz"))

    assert_security_headers(response)
    assert response["Cache-Control"] == "no-store"


def _crash(request):
    raise RuntimeError("boom")


def _own_policy(request):
    response = HttpResponse("framed")
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


urlpatterns = [path("crash/", _crash), path("own-policy/", _own_policy)]


@pytest.mark.urls(__name__)
def test_server_error_page_lives_within_the_policy(client):
    client.raise_request_exception = False
    response = client.get("/crash/")

    assert response.status_code == 500
    assert_security_headers(response)
    page = response.content.decode()
    assert "style=" not in page
    assert '<link rel="stylesheet" href="/static/css/error.css">' in page
    assert (BASE_DIR / "static" / "css" / "error.css").is_file()


@pytest.mark.urls(__name__)
def test_a_view_may_set_its_own_policy(client):
    response = client.get("/own-policy/")

    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"


def test_debug_error_pages_keep_their_inline_styles(client, settings):
    """Django's technical 404 (DEBUG only) is inline CSS: no policy breaks it."""
    settings.DEBUG = True
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "Content-Security-Policy" not in response


def test_policy_can_be_a_string(client, settings):
    settings.CONTENT_SECURITY_POLICY = "default-src 'self' https://tiles.example"
    response = client.get(reverse("login"))

    assert response["Content-Security-Policy"] == (
        "default-src 'self' https://tiles.example"
    )


# --- Pages and files with personal data are never cached ------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("households:household_export", []),
        ("loans:loan_export", []),
        ("contacts:contact_export", []),
        ("dashboard:home", []),
        ("dashboard:report", []),
        ("dashboard:report_xlsx", []),
    ],
)
def test_exports_and_dashboard_are_never_cached(official_client, village, name, args):
    response = official_client.get(reverse(name, args=args))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert_security_headers(response)


def test_eligibility_answers_are_never_cached(client, village):
    """The questions and the result show a household's status, income and ethnicity."""
    result = walk(client, village=village)

    assert result.status_code == 200
    assert "no-store" in result["Cache-Control"]
    step = client.get(reverse("residents:check_step", args=["status"]))
    assert "no-store" in step["Cache-Control"]


def test_dashboard_table_exports_are_never_cached(official_client, village):
    page = official_client.get(reverse("dashboard:home")).content.decode()
    exports = re.findall(r'href="(/dashboard/export/[\w-]+\.xlsx)', page)
    assert exports

    for url in exports:
        response = official_client.get(url)

        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


# --- Templates: nothing the policy would refuse ---------------------------------------

TEMPLATES = BASE_DIR / "templates"
REFUSED = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("what", REFUSED)
def test_no_template_holds_what_the_policy_refuses(what):
    found = [
        f"{template.relative_to(BASE_DIR)}:{number}"
        for template in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(template.read_text().splitlines(), start=1)
        if REFUSED[what].search(line)
    ]

    assert not found, f"{what} in {found}"


# --- HTTPS: HSTS and secure cookies ----------------------------------------------------

# Settings are read once per process: a fresh one with production variables answers
# a login page and a change of language, and prints what the browser would get.
HTTPS_PROBE = """
import json
import django
from django.conf import settings

django.setup()
from django.test import Client

client = Client(HTTP_HOST="portal.example")
page = client.get("/accounts/login/", secure=True)
language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
plain = client.get("/accounts/login/")
cookies = {**page.cookies, **language.cookies}
print(json.dumps({
    "hsts": page.get("Strict-Transport-Security"),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "cookies": {
        name: {flag: morsel[flag] for flag in ("secure", "httponly", "samesite")}
        for name, morsel in cookies.items()
    },
    "session": {
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": settings.SESSION_COOKIE_HTTPONLY,
        "samesite": settings.SESSION_COOKIE_SAMESITE,
    },
}))
"""


def https_probe(var_dir: Path, **overrides: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", HTTPS_PROBE],
        cwd=BASE_DIR,
        env=clean_env(var_dir, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def var_dir(tmp_path):
    if (BASE_DIR / ".env").exists():
        pytest.skip(".env in the project folder overrides the defaults under test")
    return tmp_path / "var"


def test_https_sends_hsts_and_secure_cookies(var_dir):
    s = https_probe(var_dir, **PRODUCTION)

    assert s["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert s["plain_status"] == 301
    assert s["plain_location"].startswith("https://portal.example/")
    assert set(s["cookies"]) == {"csrftoken", "django_language"}
    for name, flags in s["cookies"].items():
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, name
    assert s["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_plain_http_cookies_are_not_marked_secure(var_dir):
    """The test above can fail: without HTTPS=true a cookie is not secure."""
    s = https_probe(var_dir, **{**PRODUCTION, "HTTPS": "false"})

    assert s["hsts"] is None
    assert s["cookies"]["django_language"]["secure"] == ""
    assert s["cookies"]["django_language"]["httponly"] is True
    assert s["session"]["secure"] is False
