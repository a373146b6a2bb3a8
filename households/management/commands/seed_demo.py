"""``manage.py seed_demo``: Xã Ea Ktur with 46 villages, about 8,500 households (members,
2024 and 2025 poverty reviews) and three demo logins (``households.demo.DEMO_LOGINS``).

Each review's income and deprivations are drawn for a planned label (poor, near-poor,
above the line); its status is what ``households.poverty.propose_status`` says about them,
so the demo follows the same rules as the review form. Deterministic (``Random(2025)``).
Idempotent: commune, villages and users are matched on code and username; households are
generated only when the commune has none, with ``bulk_create``, one village at a time, in
one transaction. Demo data writes no audit entries.
"""

import random
import time
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation

from households import demo
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
from households.selectors import standard_for_year
from households.text import fold

BATCH = 1000

# --- The review plan ------------------------------------------------------------------

POOR, NEAR, ABOVE = "poor", "near", "above"  # at/below the line with 3+ or <3; above
_STATUS_FOR_LABEL = {POOR: PovertyStatus.POOR, NEAR: PovertyStatus.NEAR_POOR}


class Rules(NamedTuple):
    """The standard of one review year as plain values."""

    line: int
    ceiling: int
    min_poor: int
    indicators: dict[
        str, tuple[str, int]
    ]  # code -> (name, pk), in the standard's order

    @classmethod
    def of(cls, standard, *, urban: bool) -> "Rules":
        found = sorted(standard.indicators.all(), key=lambda d: (d.sort_order, d.code))
        return cls(
            standard.urban_line if urban else standard.rural_line,
            standard.urban_average_ceiling if urban else standard.rural_average_ceiling,
            standard.poor_min_deprivations,
            {d.code: (str(d), d.pk) for d in found},
        )


def transition_labels(
    rng: random.Random, n: int, rates: dict[int, tuple[float, float]]
) -> list[tuple[str, str]]:
    """(2024 label, 2025 label) for ``n`` households: ``n * share`` poor and near-poor,
    rounded at random so small villages add up right (exact when it is a whole number);
    most families stay where they were, some climb out, a few fall in."""

    def count(share: float) -> int:
        whole, part = divmod(n * share + 1e-9, 1)
        return int(whole) + (part > 2e-9 and rng.random() < part)

    p24, n24 = (count(share) for share in rates[2024])
    p25, n25 = (count(share) for share in rates[2025])
    n24, n25 = min(n24, n - p24), min(n25, n - p25)
    stay_poor = min(p25, round(p24 * 0.72))
    near_to_poor = min(n24, p25 - stay_poor, round(n24 * 0.1))
    poor_to_near = min(p24 - stay_poor, n25, round(p24 * 0.14))
    stay_near = min(n24 - near_to_poor, n25 - poor_to_near, round(n24 * 0.62))
    counts = {
        (POOR, POOR): stay_poor,
        (NEAR, POOR): near_to_poor,
        (ABOVE, POOR): p25 - stay_poor - near_to_poor,
        (POOR, NEAR): poor_to_near,
        (NEAR, NEAR): stay_near,
        (ABOVE, NEAR): n25 - poor_to_near - stay_near,
        (POOR, ABOVE): p24 - stay_poor - poor_to_near,  # escaped poverty in 2025
        (NEAR, ABOVE): n24 - near_to_poor - stay_near,  # escaped near-poverty
    }
    pairs = [pair for pair, k in counts.items() for _ in range(k)]
    pairs += [(ABOVE, ABOVE)] * (n - len(pairs))
    rng.shuffle(pairs)
    return pairs[:n]  # a tiny village may round up more families than it has


_DEPRIVATION_WEIGHTS = {
    POOR: {"housing_quality": 9, "latrine": 9, "employment": 7, "water_source": 6,
           "adult_education": 6, "housing_area": 5, "dependants": 5, "nutrition": 4,
           "info_devices": 4, "health_insurance": 3, "child_school": 3, "telecom": 2},
    ABOVE: {"health_insurance": 8, "latrine": 5, "housing_area": 3, "adult_education": 3,
            "water_source": 2, "housing_quality": 2, "employment": 2, "dependants": 2},
}  # fmt: skip
_EXTRA_POOR_DEPRIVATIONS = {0: 40, 1: 32, 2: 19, 3: 9}  # beyond the standard's minimum
_FEW_DEPRIVATIONS = {NEAR: {0: 35, 1: 40, 2: 25}, ABOVE: {0: 72, 1: 20, 2: 8}}


def _eligible(code: str, ages: list[int], offline: bool) -> bool:
    """Whether the household's members and devices allow this deprivation at all."""
    if code == "nutrition":
        return any(a < 16 for a in ages)
    if code == "child_school":
        return any(6 <= a <= 15 for a in ages)
    if code == "adult_education":
        return any(16 <= a <= 30 for a in ages)
    if code == "dependants":
        return 2 * sum(a < 15 or a >= 60 for a in ages) > len(ages)
    if code in ("telecom", "info_devices"):
        return offline
    return True


def _deprivations(rng, label, rules: Rules, *, ages, offline, keep=()) -> list[str]:
    if label == POOR:
        count = rules.min_poor + demo.pick(rng, _EXTRA_POOR_DEPRIVATIONS)
    else:
        count = min(demo.pick(rng, _FEW_DEPRIVATIONS[label]), rules.min_poor - 1)
    weights = _DEPRIVATION_WEIGHTS[ABOVE if label == ABOVE else POOR]
    pool = {
        c: weights.get(c, 1) for c in rules.indicators if _eligible(c, ages, offline)
    }
    if len(pool) < count:
        pool = {c: weights.get(c, 1) for c in rules.indicators}
    chosen = [c for c in keep if c in pool][:count]
    while len(chosen) < min(count, len(pool)):
        chosen.append(
            demo.pick(rng, {c: w for c, w in pool.items() if c not in chosen})
        )
    return [c for c in rules.indicators if c in chosen]


def _income(rng: random.Random, label: str, rules: Rules, *, average: bool) -> int:
    """Income per person per month in VND, rounded to 10,000, inside the label's band."""
    step, line, ceiling = 10_000, rules.line, rules.ceiling
    if label == POOR:
        return rng.randint(int(line * 0.37) // step, line // step) * step
    if label == NEAR:
        return rng.randint(int(line * 0.55) // step, line // step) * step
    if average:
        return rng.randint(line // step + 1, ceiling // step) * step
    return (
        int(rng.triangular(ceiling + step, ceiling * 3.2, ceiling * 1.3)) // step * step
    )


def plan_household(rng, spec, code, labels, *, numbers, rules) -> dict:
    """One household: its fields, its members, and per review year the planned label,
    income and deprivation codes."""
    label24, label25 = labels
    profile = demo.PROFILES[spec.profile]
    people = demo.household_people(rng, profile)
    struggling = label25 != ABOVE
    smartphone = rng.random() < profile.smartphone - (0.25 if struggling else 0)
    has_phone = rng.random() < (0.95 if smartphone else 0.25)
    about = {"ages": [p["age"] for p in people], "offline": not has_phone}
    dep25 = _deprivations(rng, label25, rules[2025], **about)
    keep = rng.sample(dep25, len(dep25))  # last year's deprivations overlap this year's
    dep24 = _deprivations(rng, label24, rules[2024], keep=keep, **about)
    demo.member_flags(rng, people, dep25, spec.kind)

    escaped = label25 == ABOVE and label24 != ABOVE
    average = rng.random() < (0.85 if escaped else profile.average_share)
    income25 = _income(rng, label25, rules[2025], average=average)
    if label24 == label25 == ABOVE:  # incomes grew a little over the year
        income24 = int(income25 / rng.uniform(1.02, 1.12)) // 10_000 * 10_000
        income24 = max(income24, rules[2024].line + 10_000)
    else:
        income24 = _income(rng, label24, rules[2024], average=rng.random() < 0.8)

    crops, area = [], 0.0  # 6% live from trade or wages, without a farm
    if rng.random() >= 0.06:
        for _ in range(demo.pick(rng, {1: 45, 2: 38, 3: 17})):
            left = {c: w for c, w in profile.crops.items() if c not in crops}
            crops.append(demo.pick(rng, left))
        typical = rng.lognormvariate(0, 0.6) * profile.area_median_ha
        area = rng.uniform(0.1, 0.8) if struggling else min(20.0, max(0.1, typical))
    for i, person in enumerate(people):
        if rng.random() < (0.8 if i == 0 else 0.7 if person["age"] >= 14 else 0):
            person["national_id"] = numbers.national_id(
                rng, birth_year=person["birth_year"], sex=person["sex"]
            )
    address = f"{spec.name}, xã Ea Ktur, tỉnh Đắk Lắk"
    if spec.kind == "thon" and rng.random() < 0.35:
        address = f"Số nhà {rng.randint(1, 250)}, {address}"
    household = {
        "code": code,
        "head_name": people[0]["full_name"],
        "head_national_id": people[0].get("national_id"),
        "phone": numbers.phone(rng) if has_phone else "",
        "address": address,
        "main_crops": crops,
        "farmed_area_ha": Decimal(f"{area:.2f}"),
        "uses_smartphone": smartphone,
        "uses_zalo": smartphone and rng.random() < 0.85,
        "contact_consent": has_phone and rng.random() < 0.8,
    }
    return {
        "household": household,
        "ethnic": people[0]["ethnic"],
        "members": [{k: p.get(k) for k in demo.MEMBER_KEYS} for p in people],
        "reviews": {
            2024: {"label": label24, "income": income24, "deprivations": dep24},
            2025: {"label": label25, "income": income25, "deprivations": dep25},
        },
    }


def plan_village(rng, spec: demo.VillageSpec, n: int, *, numbers, rules) -> list[dict]:
    rates = spec.rates
    if rates is None:  # villages differ: the profile's shares, give or take 30%
        factor = rng.uniform(0.7, 1.3)
        profile_rates = demo.PROFILES[spec.profile].rates
        rates = {y: (p * factor, q * factor) for y, (p, q) in profile_rates.items()}
    width = max(4, len(str(n)))
    codes = (f"{spec.code}-{i:0{width}d}" for i in range(1, n + 1))
    return [
        plan_household(rng, spec, code, labels, numbers=numbers, rules=rules)
        for code, labels in zip(codes, transition_labels(rng, n, rates), strict=True)
    ]


def _check(code: str, year: int, label: str, status: str) -> None:
    """The plan and the standard must agree, or the demo would teach the wrong rules."""
    expected = _STATUS_FOR_LABEL.get(label)
    low = status in (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)
    if (expected and status != expected) or (not expected and low):
        raise CommandError(
            f"{code} {year}: planned {label}, the standard says {status}."
        )


# --- The command --------------------------------------------------------------------


class Command(BaseCommand):
    help = "Load the demo commune Xã Ea Ktur: villages, households, reviews, logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=demo.DEFAULT_HOUSEHOLDS,
            help="How many households to generate (default %(default)s); the villages "
            "keep their proportions. Ignored when the commune already has households.",
        )

    def handle(self, *args, households: int, verbosity: int, **options):
        if households < 0:
            raise CommandError("--households cannot be negative.")
        self.verbosity = verbosity
        started = time.monotonic()
        standards = {year: standard_for_year(year) for year in demo.REVIEW_YEARS}
        if None in standards.values():
            raise CommandError(f"No poverty standard covers {demo.REVIEW_YEARS}.")
        with transaction.atomic():
            commune, _ = Commune.objects.get_or_create(
                code=demo.COMMUNE["code"], defaults={**demo.COMMUNE, "is_urban": False}
            )
            villages = self._villages(commune)
            users = self._users(commune, villages)
            existing = commune.households.count()
            if existing:
                self._say(f"{commune} already has {existing:,} households: none added.")
            else:
                self._households(
                    commune, villages, households, standards, users["canbo"]
                )
        self._summary(commune, time.monotonic() - started)

    def _say(self, text: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(text)

    def _villages(self, commune: Commune) -> dict[str, Village]:
        villages = {}
        for order, spec in enumerate(demo.VILLAGES, start=1):
            villages[spec.code], _ = Village.objects.get_or_create(
                commune=commune,
                code=spec.code,
                defaults={"name": spec.name, "kind": spec.kind, "sort_order": order,
                          "is_ethnic_minority": spec.is_ethnic_minority},
            )  # fmt: skip
        return villages

    def _users(self, commune: Commune, villages: dict[str, Village]) -> dict:
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

    def _households(self, commune, villages, total, standards, recorder) -> None:
        rng = random.Random(2025)
        # Indicator names as the reasons quote them: in the default language, Vietnamese.
        with translation.override(settings.LANGUAGE_CODE):
            rules = {
                y: Rules.of(s, urban=commune.is_urban) for y, s in standards.items()
            }
        used_ids = {
            *Member.objects.values_list("national_id", flat=True),
            *Household.objects.values_list("head_national_id", flat=True),
        } - {None}
        used_phones = Household.objects.exclude(phone="").values_list(
            "phone", flat=True
        )
        numbers = demo.UniqueNumbers(phones=used_phones, national_ids=used_ids)
        ethnic = dict(EthnicGroup.objects.values_list("code", "pk"))
        sizes = demo.village_sizes(total)
        self._say(f"Generating {total:,} households in {len(sizes)} villages...")
        done, shown = 0, 0
        for spec, n in zip(demo.VILLAGES, sizes, strict=True):
            plans = plan_village(rng, spec, n, numbers=numbers, rules=rules)
            self._write(
                commune, villages[spec.code], plans, standards, rules, ethnic, recorder
            )
            done += n
            self._say(f"  {spec.code} {spec.name}: {n:,} households", level=2)
            if self.verbosity == 1 and done * 4 // max(total, 1) > shown:
                shown = done * 4 // total
                self._say(f"  {done:,} / {total:,} households written")
        for year in demo.REVIEW_YEARS:  # the yearly review ends in December
            recorded = datetime(year, 12, 15, 9, tzinfo=timezone.get_current_timezone())
            PovertyReview.objects.filter(household__commune=commune, year=year).update(
                recorded_at=min(recorded, timezone.now())
            )

    def _write(
        self, commune, village, plans, standards, rules, ethnic, recorder
    ) -> None:
        """One village: households, members, reviews and the reviews' deprivations."""
        households, proposals, last_year = [], [], demo.REVIEW_YEARS[-1]
        with translation.override(settings.LANGUAGE_CODE):  # reasons in Vietnamese
            for plan in plans:
                previous, by_year = None, {}
                for year, review in plan["reviews"].items():
                    names = [
                        rules[year].indicators[c][0] for c in review["deprivations"]
                    ]
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

    def _summary(self, commune: Commune, seconds: float) -> None:
        villages = commune.villages.all()
        reviews = PovertyReview.objects.filter(household__commune=commune)
        self._say(
            f"{commune}: {villages.count()} villages "
            f"({villages.filter(is_ethnic_minority=True).count()} ethnic-minority), "
            f"{commune.households.count():,} households, "
            f"{Member.objects.filter(household__commune=commune).count():,} members, "
            f"{reviews.count():,} poverty reviews ({seconds:.1f} s)"
        )
        counts: dict[int, dict[str, int]] = {}
        for row in reviews.values("year", "status").annotate(n=Count("id")):
            counts.setdefault(row["year"], {})[row["status"]] = row["n"]
        for year, by_status in sorted(counts.items()):
            parts = [
                f"{s} {by_status[s]:,}" for s in PovertyStatus.values if s in by_status
            ]
            self._say(f"  {year} review: {', '.join(parts)}")
        self._say("Demo logins (username / password / role):")
        for username, password, role in demo.DEMO_LOGINS:
            self._say(f"  {username:<14} {password:<18} {role}")
