"""The production smoke: one ``ProdStack`` (gunicorn, a Celery worker, one beat, the
fake Zalo; PostgreSQL and Redis; production settings; the demo commune) for the whole
session, and real Chromium against it.

It runs when ``SMOKE_DATABASE_URL`` and ``SMOKE_REDIS_URL`` name a PostgreSQL database
and a Redis database of the caller's own (the database is dropped and created again,
the Redis database emptied) and ``SMOKE_PORT`` a free loopback port: ``make smoke``.
Otherwise (``make test``) the journeys are skipped with that reason (they fail instead
when ``SMOKE_REQUIRED`` is set, as in CI).

The browser reaches gunicorn as nginx would pass it on: every request carries
``X-Forwarded-Proto: https`` (``tests.prodstack.FORWARDED_HEADERS``). The test process
itself never opens the database: what the journeys need to know about the demo data is
in the stack's facts (``tests.prodstack.datasets``).
"""

import os
from pathlib import Path

import pytest

# The real-browser fixtures of tests/e2e: Chromium's path and flags, the viewports, the
# screenshot of a failed test (and the hook that tells it the test failed).
from tests.e2e.conftest import (  # noqa: F401 (pytest_runtest_makereport is a hook)
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    _new_page,
    pytest_runtest_makereport,
)
from tests.prodstack import FORWARDED_HEADERS, ProdStack, StackSettings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "smoke"
NEEDED = ("SMOKE_DATABASE_URL", "SMOKE_REDIS_URL", "SMOKE_PORT")


def _cannot_run(reason: str) -> None:
    """Skip, or fail where the smoke must run (CI sets SMOKE_REQUIRED)."""
    if os.environ.get("SMOKE_REQUIRED"):
        pytest.fail(f"the production smoke cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def stack():
    missing = [name for name in NEEDED if not os.environ.get(name)]
    if missing:
        _cannot_run(
            f"the production smoke needs {', '.join(missing)} (a PostgreSQL database, "
            "a Redis database and a port of its own): run `make smoke`"
        )
    if not CHROMIUM.exists():
        _cannot_run(f"{CHROMIUM} is not installed (apt-get install chromium)")
    settings = StackSettings(
        database_url=os.environ["SMOKE_DATABASE_URL"],
        redis_url=os.environ["SMOKE_REDIS_URL"],
        port=int(os.environ["SMOKE_PORT"]),
        folder=ARTIFACTS / "stack",
        households=int(os.environ["SMOKE_HOUSEHOLDS"])
        if os.environ.get("SMOKE_HOUSEHOLDS")
        else None,  # the demo commune at its real size
    )
    with ProdStack(settings) as running:
        yield running


@pytest.fixture(scope="session")
def facts(stack) -> dict:
    return stack.facts()


@pytest.fixture(scope="session")
def browser(stack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _through_the_proxy(stack) -> dict:
    return {"base_url": stack.url, "extra_http_headers": FORWARDED_HEADERS}


@pytest.fixture
def page(browser, stack, request):
    """A desktop tab (1280x900) whose requests arrive as nginx passes them on."""
    yield from _new_page(
        browser, request, viewport=DESKTOP, **_through_the_proxy(stack)
    )


@pytest.fixture
def phone_page(browser, stack, request):
    """A phone-sized tab (390x844) with touch, through the proxy as ``page``."""
    yield from _new_page(
        browser,
        request,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        **_through_the_proxy(stack),
    )


@pytest.fixture
def browser_errors(page):
    """What the page reported as broken: uncaught script errors and console errors
    (a script or style the Content-Security-Policy refused lands there)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    return errors
