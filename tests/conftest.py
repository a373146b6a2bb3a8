"""Shared fixtures: a commune with two villages and a user of each role."""

import pytest

from eakutur.accounts.models import Role
from tests.factories import CommuneFactory, UserFactory, VillageFactory

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets an empty in-process cache, never the developer's var/cache."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    cache.clear()


def _is_transactional(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Leave the database as the migrations left it after a transactional test.

    A transactional test empties every table when it ends, the reference data the
    migrations load too (ethnic groups, poverty standards, loan programs);
    ``serialized_rollback`` only reloads it when the next such test starts. A test that
    runs after it on the same xdist worker would find empty tables ("No poverty standard
    covers (2024, 2025)"). A hook, not a fixture: it runs after every fixture's
    teardown, pytest-django's flush included.
    """
    result = yield
    # Nothing to reload after the last test (the session's teardown ran within this one:
    # the test database is gone) or after a test skipped before its fixtures ran (it
    # emptied nothing, and there may be no test database at all).
    if _is_transactional(item) and nextitem is not None and item.funcargs:
        _reload_reference_data(item.config)
    return result


def _reload_reference_data(config) -> None:
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    from households.models import EthnicGroup

    with config.stash[blocking_manager_key].unblock():
        if EthnicGroup.objects.exists():
            return  # nothing was emptied (the test was skipped, or kept its data)
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request to an /en/ page leaves English
    active in the thread (LocaleMiddleware activates, nothing deactivates), and the next
    test's reverse() would then build /en/ URLs."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every user fixture hashes a password; the production hasher makes that ~0.3 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def commune(db):
    # The test client's host name: with ``other_commune`` in the database too, the
    # resident pages still serve Ea Ktur (see eakutur/residents/places.py).
    return CommuneFactory(code="EAKTUR", name="Xã Ea Ktur", hostname="testserver")


@pytest.fixture
def village(commune):
    return VillageFactory(commune=commune, code="T01", name="Thôn 1")


@pytest.fixture
def other_village(commune):
    return VillageFactory(
        commune=commune,
        code="B01",
        name="Buôn Tiêu",
        kind="buon",
        is_ethnic_minority=True,
    )


@pytest.fixture
def admin_user(commune):
    return UserFactory(
        username="quantri", role=Role.COMMUNE_ADMIN, commune=commune, is_staff=True
    )


@pytest.fixture
def official(commune):
    return UserFactory(username="canbo", role=Role.COMMUNE_OFFICIAL, commune=commune)


@pytest.fixture
def officer(commune, village):
    return UserFactory(
        username="thon1", role=Role.VILLAGE_OFFICER, commune=commune, villages=[village]
    )


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


# --- Added for the registry suite: a second commune, a superuser, clients per user -------


@pytest.fixture
def other_commune(db):
    """A neighbouring commune: nobody of Ea Ktur may see its records."""
    return CommuneFactory(code="EAKMAT", name="Xã Ea Kmát")


@pytest.fixture
def foreign_village(other_commune):
    """A village of the other commune, with the same code and name as ``village``."""
    return VillageFactory(commune=other_commune, code="T01", name="Thôn 1")


@pytest.fixture
def foreign_official(other_commune):
    return UserFactory(
        username="canbo-eakmat", role=Role.COMMUNE_OFFICIAL, commune=other_commune
    )


@pytest.fixture
def superuser(db):
    return UserFactory(
        username="root",
        role=Role.COMMUNE_ADMIN,
        commune=None,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture
def client_for(db):
    """A fresh test client signed in as ``user`` (several users in one test)."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
