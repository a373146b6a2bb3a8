"""The Django admin on a deployment of several communes: a commune administrator
manages their own commune's users and nothing else (no other commune's users, no
superuser, no new commune, not the host name residents reach the portal on), and the
reference data every commune shares is the superusers' (deployment operators')."""

import pytest

from eakutur.accounts.models import Role, User
from eakutur.residents.models import ProgramGuide
from households.models import Commune, EthnicGroup
from tests.factories import UserFactory
from tests.pages import text_of

from .conftest import HOST_A, MARK_B

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"
PASSWORD = "Suoi-trong-buon-xa-7391"  # long, and no word a password rule refuses


def add_user(client, *, commune: Commune, username: str = "moi"):
    return client.post(
        f"{USERS}add/",
        {
            "username": username,
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nguyễn Văn Mới",
            "role": Role.COMMUNE_OFFICIAL,
            "commune": commune.pk,
        },
    )


@pytest.fixture
def operator(ea_ktur):
    """A superuser who happens to be attached to Ea Ktur."""
    return UserFactory(
        username="vanhanh",
        role=Role.COMMUNE_ADMIN,
        commune=ea_ktur.commune,
        is_staff=True,
        is_superuser=True,
    )


# --- users -------------------------------------------------------------------------------


def test_a_commune_admin_sees_neither_superusers_nor_other_communes_users(
    signed_in, two_communes, operator
):
    ktur, kmat = two_communes
    client = signed_in(ktur.admin)
    listing = client.get(USERS)
    usernames = {u.username for u in listing.context["cl"].result_list}

    assert usernames == {ktur.official.username, ktur.admin.username}
    assert MARK_B not in text_of(listing)  # not even as a filter choice
    for user in (operator, kmat.official):
        change = client.get(f"{USERS}{user.pk}/change/", follow=True)
        assert user.username not in text_of(change)


def test_a_commune_admin_cannot_set_a_superusers_password(
    signed_in, two_communes, operator
):
    ktur, _kmat = two_communes
    signed_in(ktur.admin).post(
        f"{USERS}{operator.pk}/password/",
        {"password1": "Chiem-quyen-2025!", "password2": "Chiem-quyen-2025!"},
    )
    operator.refresh_from_db()
    assert not operator.check_password("Chiem-quyen-2025!")


def test_a_commune_admin_cannot_create_a_user_in_another_commune(
    signed_in, two_communes
):
    ktur, kmat = two_communes
    response = add_user(signed_in(ktur.admin), commune=kmat.commune)

    assert response.status_code == 200  # the form again, with the error
    assert list(response.context["adminform"].form.errors) == ["commune"]
    assert not User.objects.filter(username="moi").exists()


def test_a_commune_admin_creates_users_in_their_own_commune(signed_in, two_communes):
    ktur, _kmat = two_communes
    response = add_user(signed_in(ktur.admin), commune=ktur.commune)

    assert response.status_code == 302
    created = User.objects.get(username="moi")
    assert created.commune == ktur.commune and not created.is_superuser


def test_a_commune_admin_cannot_make_a_superuser(signed_in, two_communes):
    ktur, _kmat = two_communes
    official = ktur.official
    signed_in(ktur.admin).post(
        f"{USERS}{official.pk}/change/",
        {
            "username": official.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "role": Role.COMMUNE_OFFICIAL,
            "commune": ktur.commune.pk,
            "date_joined_0": "01/01/2025",
            "date_joined_1": "08:00:00",
        },
    )
    official.refresh_from_db()
    assert not official.is_superuser


# --- communes ----------------------------------------------------------------------------


def test_only_a_superuser_adds_a_commune(signed_in, two_communes, operator):
    ktur, _kmat = two_communes
    assert signed_in(ktur.admin).get("/admin/households/commune/add/").status_code == (
        403
    )
    assert signed_in(operator).get("/admin/households/commune/add/").status_code == 200


def test_a_commune_admin_cannot_change_the_host_name(signed_in, two_communes):
    ktur, _kmat = two_communes
    commune = ktur.commune
    signed_in(ktur.admin).post(
        f"/admin/households/commune/{commune.pk}/change/",
        {
            "code": commune.code,
            "name": commune.name,
            "province": commune.province,
            "hostname": "chiem.example.vn",
        },
    )
    commune.refresh_from_db()
    assert commune.hostname == HOST_A


def test_a_superuser_sets_the_host_name_in_lower_case(
    signed_in, two_communes, operator
):
    _ktur, kmat = two_communes
    commune = kmat.commune
    response = signed_in(operator).post(
        f"/admin/households/commune/{commune.pk}/change/",
        {
            "code": commune.code,
            "name": commune.name,
            "province": commune.province,
            "hostname": "EAKMAT.Tinh.Gov.VN",
        },
    )
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.hostname == "eakmat.tinh.gov.vn"


# --- shared reference data ---------------------------------------------------------------


def test_program_guides_are_the_operators_once_communes_share_them(
    signed_in, two_communes, operator
):
    ktur, _kmat = two_communes
    guide = ProgramGuide.objects.order_by("pk").first()
    url = f"/admin/residents/programguide/{guide.pk}/change/"

    page = signed_in(ktur.admin).get(url)
    assert page.status_code == 200  # still readable
    assert 'name="_save"' not in page.content.decode()
    assert 'name="_save"' in signed_in(operator).get(url).content.decode()


def test_a_lone_communes_admin_still_edits_the_program_guides(signed_in, ea_ktur):
    guide = ProgramGuide.objects.order_by("pk").first()
    page = signed_in(ea_ktur.admin).get(
        f"/admin/residents/programguide/{guide.pk}/change/"
    )
    assert 'name="_save"' in page.content.decode()


def test_a_commune_admin_cannot_add_an_ethnic_group(signed_in, two_communes):
    ktur, _kmat = two_communes
    before = EthnicGroup.objects.count()
    response = signed_in(ktur.admin).post(
        "/admin/households/ethnicgroup/add/",
        {"code": "99", "name_vi": "Dân tộc mới", "name_en": "New group"},
    )
    assert response.status_code == 403
    assert EthnicGroup.objects.count() == before
