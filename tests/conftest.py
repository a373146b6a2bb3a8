"""Shared fixtures: a commune with two villages and a user of each role."""

import pytest

from eakutur.accounts.models import Role
from tests.factories import CommuneFactory, UserFactory, VillageFactory

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def commune(db):
    return CommuneFactory(code="EAKTUR", name="Xã Ea Ktur")


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
