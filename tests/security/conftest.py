"""The attacker's world is built once per module (it is large) inside a transaction that
is rolled back when the module ends; each test runs in a savepoint inside it."""

import pytest
from django.db import transaction

from tests.outreach.conftest import (  # noqa: F401 (the fake providers, for test_xss)
    _no_proxy_for_fakes,
    fake_sms,
    fake_zalo,
    sms_settings,
    zalo_settings,
)

from .world import World, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db) -> World:
    """The world, in a test that may write (rolled back after the test)."""
    return world
