"""Real-browser fixtures: Debian's Chromium driven by Playwright's sync API.

The browser talks to pytest-django's ``live_server``, which runs in another thread with a
real database connection, so every test here is transactional (``transaction=True``, with
``serialized_rollback`` restoring the reference data): the hook below marks each test of
this folder so, with ``e2e``, and skips them when Chromium is missing. Playwright's sync
API runs an event loop in the test thread, and Django refuses synchronous database calls
from inside one: the variable below lifts that guard for the test process only.
"""

import os
import re
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DESKTOP = {"width": 1280, "height": 900}
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m "not e2e"` deselects by these markers
def pytest_collection_modifyitems(config, items):
    """The markers every browser test carries, given once here, not in each module."""
    for item in items:
        if item.path.parent != HERE:
            continue
        item.add_marker(pytest.mark.e2e)
        item.add_marker(
            pytest.mark.django_db(transaction=True, serialized_rollback=True)
        )
        if not CHROMIUM.exists():
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{CHROMIUM} is not installed (apt-get install chromium)"
                )
            )


PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can see a failed test."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request) -> bool:
    return any(
        getattr(request.node, f"report_{when}", None) is not None
        and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )


def _screenshot_on_failure(request, page) -> None:
    if not _failed(request):
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    suffix = "" if request.fixturename == "page" else f"-{request.fixturename}"
    path = ARTIFACTS / f"{name}{suffix}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as exc:  # a crashed page must not hide the test's own failure
        print(f"Could not save a screenshot to {path}: {exc}")
    else:
        print(f"Screenshot of the failed test: {path}")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright runs, its event loop counts as running in this thread, and
    # Django then hands out a second set of database connections, kept for "async"
    # code. Those lack the test database's serialized contents, so serialized_rollback
    # would silently restore nothing. Keep the test run's own connections visible.
    own = {alias: connections[alias] for alias in connections}
    with sync_playwright() as p:
        for alias, connection in own.items():
            connections[alias] = connection
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _new_page(browser, request, **context_options):
    context = browser.new_context(locale="vi-VN", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    _screenshot_on_failure(request, page)
    context.close()


@pytest.fixture
def page(browser, request):
    """A desktop browser tab (1280x900), Vietnamese browser language."""
    yield from _new_page(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser, request):
    """A phone-sized tab (390x844) with touch."""
    yield from _new_page(
        browser,
        request,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
