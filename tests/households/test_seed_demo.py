"""The demo commune: ``manage.py seed_demo`` at a small size (600 households).

The command runs once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint on top of it. The default size (8,500) is timed by hand.
"""

import random
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Prefetch
from django.test import override_settings
from django.utils import translation

from households import demo
from households.demo.plans import NEAR, POOR, transition_labels
from households.models import (
    Commune,
    Crop,
    DeprivationIndicator,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStatus,
    Relation,
    Village,
)
from households.poverty import propose_status
from households.selectors import standard_for_year, villages_for
from households.text import (
    national_id_birth_year,
    national_id_sex,
    normalise_phone,
    validate_national_id,
)

SIZE = 600
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The output of one seed run; the data lives until the module's tests are done."""
    # The same fast hasher as conftest's per-test one, so the logins check out in tests.
    md5 = override_settings(PASSWORD_HASHERS=[FAST_HASHER])
    with django_db_blocker.unblock(), transaction.atomic(), md5:
        out = StringIO()
        call_command("seed_demo", households=SIZE, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def commune(seeded, db):
    return Commune.objects.get(code="EAKTUR")


def _counts() -> dict[str, int]:
    through = PovertyReview.deprivations.through
    return {
        "communes": Commune.objects.count(),
        "villages": Village.objects.count(),
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "reviews": PovertyReview.objects.count(),
        "deprivations": through.objects.count(),
        "users": get_user_model().objects.count(),
    }


# --- The generator, without the database ------------------------------------------------


def test_default_size_gives_buon_tieu_its_reported_figures():
    sizes = dict(
        zip((v.name for v in demo.VILLAGES), demo.village_sizes(8500), strict=True)
    )
    assert sum(sizes.values()) == demo.DEFAULT_HOUSEHOLDS == 8500
    assert sizes["Buôn Tiêu"] == 628
    spec = next(v for v in demo.VILLAGES if v.name == "Buôn Tiêu")
    labels = transition_labels(random.Random(1), 628, spec.rates)
    in_2025 = Counter(label25 for _, label25 in labels)
    assert (in_2025[POOR], in_2025[NEAR]) == (59, 73)


@pytest.mark.parametrize("total", [0, 1, 45, 46, 47, 600, 8501, 50000])
def test_village_sizes_add_up_to_the_total(total):
    sizes = demo.village_sizes(total)
    assert len(sizes) == 46 and sum(sizes) == total and min(sizes) >= 0


def test_transition_labels_are_one_per_household_at_every_size():
    for spec in demo.VILLAGES:
        rates = spec.rates or demo.PROFILES[spec.profile].rates
        for n in [*range(0, 12), 50, 119]:
            for seed in range(30):
                labels = transition_labels(random.Random(seed), n, rates)
                assert len(labels) == n


def test_ede_and_kinh_names_follow_their_conventions():
    rng = random.Random(3)
    ede = [demo.person_name(rng, "12", "male", "Niê", 1980) for _ in range(20)]
    ede += [demo.person_name(rng, "12", "female", "Êban", 1990) for _ in range(20)]
    kinh = [demo.person_name(rng, "01", "female", "Trần", 1960) for _ in range(20)]
    assert all(n.startswith("Y ") and n.endswith(" Niê") for n in ede[:20])
    assert all(n.startswith("H'") and n.endswith(" Êban") for n in ede[20:])
    assert all(n.startswith("Trần ") and len(n.split()) == 3 for n in kinh)


# --- The seeded commune ---------------------------------------------------------------


def test_villages_and_ethnic_groups(commune):
    villages = commune.villages.all()
    assert villages.count() == 46
    assert villages.filter(kind="thon", is_ethnic_minority=False).count() == 32
    assert villages.filter(kind="buon", is_ethnic_minority=True).count() == 14
    assert (
        len({v.code for v in villages}) == len({v.sort_order for v in villages}) == 46
    )
    assert villages.get(code="B01").name == "Buôn Tiêu"
    assert EthnicGroup.objects.count() == 54

    households = commune.households.all()
    assert households.count() == SIZE
    minority = households.exclude(ethnic_group__code="01")
    assert 0.33 <= minority.count() / SIZE <= 0.43
    buon = households.filter(village__kind="buon")
    assert minority.filter(village__kind="buon").count() >= 0.9 * buon.count()
    assert set(minority.values_list("ethnic_group__code", flat=True)) >= {"12", "20"}
    thon = households.filter(village__kind="thon")
    assert thon.filter(ethnic_group__code="01").count() >= 0.8 * thon.count()


def test_every_household_has_one_head_matching_it(commune):
    households = commune.households.select_related("ethnic_group").annotate(
        n_members=Count("members")
    )
    heads = {
        m.household_id: m
        for m in Member.objects.filter(relation=Relation.HEAD, is_active=True)
    }
    assert Member.objects.filter(relation=Relation.HEAD).count() == SIZE
    for household in households:
        head = heads[household.pk]
        assert head.full_name == household.head_name
        assert head.national_id == household.head_national_id
        assert head.ethnic_group_id == household.ethnic_group_id
        if head.national_id:
            assert national_id_sex(head.national_id) == head.sex
            assert national_id_birth_year(head.national_id) == head.birth_year
        assert 2 <= household.n_members <= 6
        assert household.search_text and set(household.main_crops) <= set(Crop.values)
    assert all(m.name_folded for m in Member.objects.all())


def test_reviews_follow_the_poverty_rules(commune):
    reviews = (
        PovertyReview.objects.filter(household__commune=commune)
        .select_related("household", "standard")
        .prefetch_related(
            Prefetch(
                "deprivations",
                queryset=DeprivationIndicator.objects.order_by("sort_order"),
            )
        )
        .order_by("household_id", "year")
    )
    by_household: dict[int, list[PovertyReview]] = {}
    for review in reviews:
        by_household.setdefault(review.household_id, []).append(review)
    assert len(by_household) == SIZE
    allowed = {
        year: set(standard_for_year(year).indicators.all()) for year in (2024, 2025)
    }
    with translation.override("vi"):
        for household_reviews in by_household.values():
            assert [r.year for r in household_reviews] == [2024, 2025]
            previous = None
            for review in household_reviews:
                deprivations = list(review.deprivations.all())
                assert set(deprivations) <= allowed[review.year]
                proposal = propose_status(
                    standard=review.standard,
                    income_per_person=review.income_per_person,
                    deprivation_names=[str(d) for d in deprivations],
                    previous_status=previous,
                )
                assert review.status == review.proposed_status == proposal.status
                assert review.proposal_reason == proposal.reason
                assert review.recorded_by.username == "canbo"
                previous = review.status
            household = household_reviews[-1].household
            assert (household.current_status, household.current_review_year) == (
                household_reviews[-1].status,
                2025,
            )


def test_poverty_shares_are_plausible(commune):
    def share(year, status, **where):
        reviews = PovertyReview.objects.filter(household__commune=commune, year=year)
        reviews = reviews.filter(**{f"household__{k}": v for k, v in where.items()})
        return reviews.filter(status=status).count() / reviews.count()

    assert 0.04 <= share(2025, PovertyStatus.POOR) <= 0.06
    assert 0.05 <= share(2025, PovertyStatus.NEAR_POOR) <= 0.07
    assert share(2024, PovertyStatus.POOR) > share(2025, PovertyStatus.POOR)
    assert share(2024, PovertyStatus.NEAR_POOR) > share(2025, PovertyStatus.NEAR_POOR)
    assert share(2025, PovertyStatus.ESCAPED_POOR) > 0
    assert share(2025, PovertyStatus.POOR, village__kind="buon") > 2.5 * share(
        2025, PovertyStatus.POOR, village__kind="thon"
    )


def test_members_agree_with_their_deprivations(commune):
    """Health insurance and school attendance match the 2025 review."""
    reviews = PovertyReview.objects.filter(household__commune=commune, year=2025)
    deprived = {
        code: set(
            reviews.filter(deprivations__code=code).values_list(
                "household_id", flat=True
            )
        )
        for code in ("health_insurance", "child_school")
    }
    members = Member.objects.filter(household__commune=commune)
    uninsured = set(
        members.filter(has_health_insurance=False, birth_year__lte=2019).values_list(
            "household_id", flat=True
        )
    )
    out_of_school = set(
        members.filter(is_student=False, birth_year__range=(2010, 2019)).values_list(
            "household_id", flat=True
        )
    )
    assert deprived["health_insurance"] == uninsured
    assert deprived["child_school"] == out_of_school
    assert members.filter(has_health_insurance=True).count() >= 0.9 * members.count()


def test_phones_and_national_ids_are_valid_and_unique(commune):
    phones = list(commune.households.exclude(phone="").values_list("phone", flat=True))
    assert 0.6 <= len(phones) / SIZE <= 0.8
    assert len(set(phones)) == len(phones)
    assert all(normalise_phone(p) == p for p in phones)

    head_ids = list(
        commune.households.exclude(head_national_id=None).values_list(
            "head_national_id", flat=True
        )
    )
    assert 0.7 <= len(head_ids) / SIZE <= 0.9
    ids = list(
        Member.objects.exclude(national_id=None).values_list("national_id", flat=True)
    )
    assert len(set(ids)) == len(ids) and set(head_ids) <= set(ids)
    assert all(validate_national_id(n) == n and n.startswith("066") for n in ids)


def test_demo_users_and_their_scope(commune):
    users = {u.username: u for u in get_user_model().objects.filter(commune=commune)}
    assert (
        {u for u, _, _ in demo.DEMO_LOGINS}
        == set(users)
        == {
            "quantri",
            "canbo",
            "thonbuontieu",
        }
    )
    assert users["quantri"].role == "commune_admin"
    assert users["quantri"].is_staff and not users["quantri"].is_superuser
    assert users["canbo"].role == "commune_official" and users["canbo"].is_staff
    assert users["thonbuontieu"].role == "village_officer"
    for username, password, _ in demo.DEMO_LOGINS:
        assert users[username].check_password(password)
        assert users[username].first_name and users[username].last_name
    assert [v.name for v in villages_for(users["thonbuontieu"])] == ["Buôn Tiêu"]
    assert villages_for(users["canbo"]).count() == 46


def test_summary_names_the_counts(seeded):
    assert "46 villages (14 ethnic-minority), 600 households" in seeded
    assert "1,200 poverty reviews" in seeded
    assert "thonbuontieu" in seeded and demo.DEMO_PASSWORD in seeded


def test_running_it_again_changes_nothing(commune):
    before = _counts()
    statuses = list(
        Household.objects.order_by("pk").values_list("code", "current_status")
    )
    user = get_user_model().objects.get(username="canbo")
    user.set_password("changed")
    user.save()

    out = StringIO()
    call_command("seed_demo", households=SIZE, stdout=out)
    call_command("seed_demo", households=50, stdout=out)

    assert _counts() == before
    assert list(
        Household.objects.order_by("pk").values_list("code", "current_status")
    ) == (statuses)
    assert "already has 600 households" in out.getvalue()
    user.refresh_from_db()
    assert user.check_password(demo.DEMO_PASSWORD)
