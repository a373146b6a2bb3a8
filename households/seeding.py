"""Writes the demo commune Xã Ea Ktur for ``manage.py seed_demo``: villages, households
with members and their 2024 and 2025 poverty reviews, and the demo logins.

The households come from ``households.demo.plans``; each review's status is what
``households.poverty.propose_status`` says about the planned income and deprivations, so
the demo follows the same rules as the review form, and it must agree with the planned
label. Deterministic (``Random(2025)``). Idempotent: commune, villages and users are matched
on code and username; households are generated only when the commune has none, with
``bulk_create``, one village at a time, in one transaction. Demo data writes no audit
entries.
"""

import random
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from households import demo
from households.demo.plans import NEAR, POOR, Rules, plan_village
from households.models import (
    Commune,
    EthnicGroup,
    Household,
    Member,
    PovertyReview,
    PovertyStatus,
    Village,
)
from households.poverty import propose_status
from households.text import fold

BATCH = 1000
_STATUS_FOR_LABEL = {POOR: PovertyStatus.POOR, NEAR: PovertyStatus.NEAR_POOR}


def _quiet(*args) -> None:
    pass


def demo_commune_seed(
    *,
    households: int,
    standards: dict,
    say: Callable[[str], None] = _quiet,
    on_village: Callable[[demo.VillageSpec, int, int, int], None] = _quiet,
) -> Commune:
    """Create or update the demo commune, its villages and logins, and generate
    ``households`` households when it has none. ``standards`` maps each of
    ``demo.REVIEW_YEARS`` to its poverty standard. ``say`` hears what is being done;
    ``on_village(spec, n, done, total)`` is called after each village is written."""
    with transaction.atomic():
        commune, _ = Commune.objects.get_or_create(
            code=demo.COMMUNE["code"], defaults={**demo.COMMUNE, "is_urban": False}
        )
        villages = _villages(commune)
        users = _users(commune, villages)
        existing = commune.households.count()
        if existing:
            say(f"{commune} already has {existing:,} households: none added.")
        else:
            _households(
                commune, villages, households, standards, users["canbo"],
                say=say, on_village=on_village,
            )  # fmt: skip
    return commune


class Counts(NamedTuple):
    """What the commune holds, for the command's summary."""

    villages: int
    ethnic_minority_villages: int
    households: int
    members: int
    reviews: int
    by_year: dict[int, dict[str, int]]  # year -> status -> reviews


def demo_commune_counts(commune: Commune) -> Counts:
    villages = commune.villages.all()
    reviews = PovertyReview.objects.filter(household__commune=commune)
    counts = Counts(
        villages=villages.count(),
        ethnic_minority_villages=villages.filter(is_ethnic_minority=True).count(),
        households=commune.households.count(),
        members=Member.objects.filter(household__commune=commune).count(),
        reviews=reviews.count(),
        by_year={},
    )
    for row in reviews.values("year", "status").annotate(n=Count("id")):
        counts.by_year.setdefault(row["year"], {})[row["status"]] = row["n"]
    return counts


def _villages(commune: Commune) -> dict[str, Village]:
    villages = {}
    for order, spec in enumerate(demo.VILLAGES, start=1):
        villages[spec.code], _ = Village.objects.get_or_create(
            commune=commune,
            code=spec.code,
            defaults={"name": spec.name, "kind": spec.kind, "sort_order": order,
                      "is_ethnic_minority": spec.is_ethnic_minority},
        )  # fmt: skip
    return villages


def _users(commune: Commune, villages: dict[str, Village]) -> dict:
    """The demo logins; their password is reset to the demo one on every run."""
    users, model = {}, get_user_model()
    for spec in demo.DEMO_USERS:
        user = model.objects.filter(username=spec["username"]).first()
        user = user or model(username=spec["username"])
        for name in ("full_name", "first_name", "last_name", "role", "is_staff"):
            setattr(user, name, spec[name])
        user.commune, user.is_superuser, user.is_active = commune, False, True
        user.set_password(demo.DEMO_PASSWORD)
        user.save()
        user.villages.set([villages[code] for code in spec["villages"]])
        users[user.username] = user
    return users


def _households(
    commune, villages, total, standards, recorder, *, say, on_village
) -> None:
    rng = random.Random(2025)  # noqa: S311 (demo data, reproducible on purpose)
    # Indicator names as the reasons quote them: in the default language, Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        rules = {y: Rules.of(s, urban=commune.is_urban) for y, s in standards.items()}
    used_ids = {
        *Member.objects.values_list("national_id", flat=True),
        *Household.objects.values_list("head_national_id", flat=True),
    } - {None}
    used_phones = Household.objects.exclude(phone="").values_list("phone", flat=True)
    numbers = demo.UniqueNumbers(phones=used_phones, national_ids=used_ids)
    ethnic = dict(EthnicGroup.objects.values_list("code", "pk"))
    sizes = demo.village_sizes(total)
    say(f"Generating {total:,} households in {len(sizes)} villages...")
    done = 0
    for spec, n in zip(demo.VILLAGES, sizes, strict=True):
        plans = plan_village(rng, spec, n, numbers=numbers, rules=rules)
        _write(commune, villages[spec.code], plans, standards, rules, ethnic, recorder)
        done += n
        on_village(spec, n, done, total)
    for year in demo.REVIEW_YEARS:  # the yearly review ends in December
        recorded = datetime(year, 12, 15, 9, tzinfo=timezone.get_current_timezone())
        PovertyReview.objects.filter(household__commune=commune, year=year).update(
            recorded_at=min(recorded, timezone.now())
        )


def _check(code: str, year: int, label: str, status: str) -> None:
    """The plan and the standard must agree, or the demo would teach the wrong rules."""
    expected = _STATUS_FOR_LABEL.get(label)
    low = status in (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
    if (expected and status != expected) or (not expected and low):
        raise CommandError(
            f"{code} {year}: planned {label}, the standard says {status}."
        )


def _write(commune, village, plans, standards, rules, ethnic, recorder) -> None:
    """One village: households, members, reviews and the reviews' deprivations."""
    households, proposals, last_year = [], [], demo.REVIEW_YEARS[-1]
    with translation.override(settings.LANGUAGE_CODE):  # reasons in Vietnamese
        for plan in plans:
            previous, by_year = None, {}
            for year, review in plan["reviews"].items():
                names = [rules[year].indicators[c][0] for c in review["deprivations"]]
                proposal = propose_status(
                    standard=standards[year],
                    income_per_person=review["income"],
                    deprivation_names=names,
                    is_urban=commune.is_urban,
                    previous_status=previous,
                )
                _check(
                    plan["household"]["code"],
                    year,
                    review["label"],
                    proposal.status,
                )
                by_year[year], previous = proposal, proposal.status
            proposals.append(by_year)
            household = Household(
                commune=commune,
                village=village,
                ethnic_group_id=ethnic[plan["ethnic"]],
                current_status=by_year[last_year].status,
                current_review_year=last_year,
                **plan["household"],
            )
            household.refresh_search_text()
            households.append(household)
    Household.objects.bulk_create(households, batch_size=BATCH)
    ids = dict(Household.objects.filter(village=village).values_list("code", "pk"))
    members, reviews = [], []
    for plan, by_year in zip(plans, proposals, strict=True):
        household_id = ids[plan["household"]["code"]]
        for person in plan["members"]:
            fields = {k: v for k, v in person.items() if k != "ethnic"}
            members.append(Member(
                household_id=household_id, ethnic_group_id=ethnic[person["ethnic"]],
                name_folded=fold(person["full_name"])[:100], **fields,
            ))  # fmt: skip
        for year, proposal in by_year.items():
            reviews.append(PovertyReview(
                household_id=household_id, year=year, standard=standards[year],
                income_per_person=plan["reviews"][year]["income"],
                proposed_status=proposal.status, status=proposal.status,
                proposal_reason=proposal.reason, recorded_by=recorder,
            ))  # fmt: skip
    Member.objects.bulk_create(members, batch_size=BATCH)
    PovertyReview.objects.bulk_create(reviews, batch_size=BATCH)
    review_ids = {
        (household_id, year): pk
        for household_id, year, pk in PovertyReview.objects.filter(
            household__village=village
        ).values_list("household_id", "year", "pk")
    }
    through = PovertyReview.deprivations.through
    links = [
        through(
            povertyreview_id=review_ids[ids[plan["household"]["code"]], year],
            deprivationindicator_id=rules[year].indicators[code][1],
        )
        for plan in plans
        for year, review in plan["reviews"].items()
        for code in review["deprivations"]
    ]
    through.objects.bulk_create(links, batch_size=BATCH)
