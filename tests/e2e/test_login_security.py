"""The commune administrator turns on the second factor in real Chromium, reading the key
off the page, and signs in again with a code computed here as the phone's app would;
then, on a phone, an official who mistyped five times meets the lockout.

With ``E2E_SCREENSHOTS=1`` each page is saved under test-artifacts/e2e/ to look at."""

import os
import re
import time

import pytest
from playwright.sync_api import expect

from eakutur.accounts import totp
from eakutur.accounts.models import Role
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_registry_journey import PHONE_WIDTH, vi
from tests.factories import CommuneFactory, UserFactory


def snapshot(page, name: str) -> None:
    if os.environ.get("E2E_SCREENSHOTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"login-{name}.png"), full_page=True)


def fill_password(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label(vi("Username")).fill(username)
    page.get_by_label(vi("Password"), exact=True).fill(password)
    page.get_by_role("button", name=vi("Log in")).click()


@pytest.fixture
def commune():
    return CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")


def test_admin_turns_on_the_second_factor_and_signs_in_with_a_code(
    page, live_server, commune
):
    UserFactory(
        username="quantri",
        full_name="Nguyễn Văn Quản",
        role=Role.COMMUNE_ADMIN,
        commune=commune,
        is_staff=True,
    )
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    snapshot(page, "desktop-login")
    fill_password(page, base, "quantri")
    expect(page).to_have_url(f"{base}/staff/")

    # My account / Security → turn on.
    page.get_by_role("link", name=vi("My account")).click()
    expect(
        page.get_by_role("heading", name=vi("Second factor (code from a phone app)"))
    )
    page.get_by_role("link", name=vi("Turn on"), exact=True).click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    secret = re.sub(r"\s", "", page.locator(".secret-key").inner_text())
    assert len(secret) == 32
    snapshot(page, "desktop-enrol")
    page.get_by_label(vi("Code from the app")).fill(totp.code_at(secret, time.time()))
    page.get_by_role("button", name=vi("Turn on"), exact=True).click()

    # The recovery codes, once.
    expect(page.get_by_role("heading", name=vi("Recovery codes"))).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 8
    snapshot(page, "desktop-recovery-codes")
    page.get_by_role("link", name=vi("I have written them down")).click()
    expect(page.get_by_text(vi("Turned on"), exact=True)).to_be_visible()

    # Sign out, and in again: the password is not enough any more.
    page.get_by_role("button", name=vi("Log out")).click()
    fill_password(page, base, "quantri")
    expect(page).to_have_url(f"{base}/accounts/login/code/")
    snapshot(page, "desktop-code")
    page.goto(f"{base}/households/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))

    fill_password(page, base, "quantri")
    page.get_by_label(vi("Verification code")).fill("123456")
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page.locator(".invalid-feedback")).to_have_text(
        vi("The code is not right, or was already used.")
    )
    # The app's next code (the current one was spent on the enrolment): a step ahead
    # is within the drift allowed.
    code = totp.code_at(secret, time.time() + totp.STEP_SECONDS)
    page.get_by_label(vi("Verification code")).fill(code)
    page.get_by_role("button", name=vi("Confirm")).click()
    expect(page).to_have_url(f"{base}/staff/")
    expect(
        page.get_by_role("heading", name=vi("Hello, %(name)s", name="Nguyễn Văn Quản"))
    ).to_be_visible()


def test_on_a_phone_the_lockout_says_what_to_do(phone_page, live_server, commune):
    UserFactory(username="canbo", role=Role.COMMUNE_OFFICIAL, commune=commune)
    page, base = phone_page, live_server.url
    fill_password(page, base, "canbo", "sai-mat-khau")
    expect(page.get_by_role("alert")).to_have_text(
        vi("Your username and password didn't match. Please try again.")
    )
    snapshot(page, "phone-wrong-password")
    for _ in range(4):
        fill_password(page, base, "canbo", "sai-mat-khau")
    locked = vi(
        "Too many failed sign-ins for this account from this network. Wait "
        "%(minutes)s minutes and try again, or ask the commune administrator to "
        "unlock it.",
        minutes=15,
    )
    expect(page.get_by_role("alert")).to_have_text(locked)
    # The right password now gets the same answer.
    fill_password(page, base, "canbo")
    expect(page.get_by_role("alert")).to_have_text(locked)
    snapshot(page, "phone-locked")
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE_WIDTH
