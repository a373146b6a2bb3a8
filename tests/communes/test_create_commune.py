"""``manage.py create_commune``: a second commune with its villages from a CSV file and
its first administrator, served at once on its host name; bad input changes nothing."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from eakutur.accounts.models import Role, User
from households.models import Commune, Village, VillageKind
from tests.pages import assert_shows

from .conftest import HOST_B

pytestmark = pytest.mark.django_db

VILLAGES = (
    "code,name,kind,ethnic_minority\n"
    "t01,Thôn  1,thôn,không\n"
    "B02,Buôn Kmát,Buôn,có\n"
    "T03,Thôn 3,thon,\n"
)


@pytest.fixture
def villages_csv(tmp_path):
    path = tmp_path / "villages.csv"
    path.write_text(VILLAGES, encoding="utf-8")
    return path


def create(*args: str) -> None:
    base = ["--code", "eakmat", "--name", "Xã Ea Kmát", "--province", "Đắk Lắk"]
    call_command("create_commune", *base, *args)


def test_a_commune_is_created_with_its_villages_and_first_admin(
    villages_csv, on_host, ea_ktur
):
    create(
        "--hostname",
        "EAKMAT.example.vn",
        "--villages-csv",
        str(villages_csv),
        "--admin",
        "quantri-eakmat",
    )

    commune = Commune.objects.get(code="EAKMAT")
    assert (commune.name, commune.hostname) == ("Xã Ea Kmát", HOST_B)
    rows = list(
        Village.objects.filter(commune=commune).values_list(
            "code", "name", "kind", "is_ethnic_minority", "sort_order"
        )
    )
    assert rows == [
        ("T01", "Thôn 1", VillageKind.THON, False, 1),
        ("B02", "Buôn Kmát", VillageKind.BUON, True, 2),
        ("T03", "Thôn 3", VillageKind.THON, False, 3),
    ]
    admin = User.objects.get(username="quantri-eakmat")
    assert (admin.commune, admin.role, admin.is_staff) == (
        commune,
        Role.COMMUNE_ADMIN,
        True,
    )
    assert not admin.is_superuser and not admin.has_usable_password()
    # Its portal is up on its host; Ea Ktur's stays on its own.
    assert_shows(on_host(HOST_B).get(reverse("residents:choose_village")), "Buôn Kmát")
    assert_shows(
        on_host(ea_ktur.commune.hostname).get(reverse("residents:choose_village")),
        ea_ktur.village.name,
    )


@pytest.mark.parametrize(
    ("extra", "csv_text", "message"),
    [
        ([], VILLAGES + "T01,Thôn trùng,thôn,không\n", "4 (T01)"),
        ([], "code,name\nT01,Thôn 1\n", "missing column(s) ethnic_minority, kind"),
        ([], "code,name,kind,ethnic_minority\nT01,Thôn 1,xóm,không\n", "Line 2"),
        ([], "code,name,kind,ethnic_minority\nT01,Thôn 1,thôn,có lẽ\n", "Line 2"),
        (["--hostname", "eaktur.example.vn"], VILLAGES, ""),  # Ea Ktur's host
        (["--hostname", "https://x.vn/"], VILLAGES, ""),
        (["--admin", "quantri-eaktur"], VILLAGES, ""),  # a username taken
    ],
)
def test_bad_input_creates_nothing(tmp_path, ea_ktur, extra, csv_text, message):
    path = tmp_path / "villages.csv"
    path.write_text(csv_text, encoding="utf-8")
    communes, villages, users = (
        Commune.objects.count(),
        Village.objects.count(),
        User.objects.count(),
    )

    with pytest.raises(CommandError, match=re.escape(message) if message else None):
        create("--villages-csv", str(path), *extra)

    assert Commune.objects.count() == communes
    assert Village.objects.count() == villages
    assert User.objects.count() == users


def test_a_commune_code_is_created_once(ea_ktur):
    with pytest.raises(CommandError):
        call_command(
            "create_commune", "--code", "EAKTUR", "--name", "X", "--province", "Y"
        )
    assert Commune.objects.count() == 1
