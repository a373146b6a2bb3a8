"""The plan of each demo household: its fields, its members, and for each review year a
label (poor, near-poor, above the line) with an income and deprivations drawn to match.

Pure functions over a seeded ``random.Random`` and the standards as plain values
(``Rules``), no database access. ``households.seeding`` turns the plans into rows; each
review's status is what ``households.poverty.propose_status`` says about its income and
deprivations, checked there against the planned label.
"""

import random
from decimal import Decimal
from typing import NamedTuple

from .families import MEMBER_KEYS, household_people, member_flags
from .people import pick
from .places import PROFILES, VillageSpec

POOR, NEAR, ABOVE = "poor", "near", "above"  # at/below the line with 3+ or <3; above


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
        count = rules.min_poor + pick(rng, _EXTRA_POOR_DEPRIVATIONS)
    else:
        count = min(pick(rng, _FEW_DEPRIVATIONS[label]), rules.min_poor - 1)
    weights = _DEPRIVATION_WEIGHTS[ABOVE if label == ABOVE else POOR]
    pool = {
        c: weights.get(c, 1) for c in rules.indicators if _eligible(c, ages, offline)
    }
    if len(pool) < count:
        pool = {c: weights.get(c, 1) for c in rules.indicators}
    chosen = [c for c in keep if c in pool][:count]
    while len(chosen) < min(count, len(pool)):
        chosen.append(pick(rng, {c: w for c, w in pool.items() if c not in chosen}))
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
    profile = PROFILES[spec.profile]
    people = household_people(rng, profile)
    struggling = label25 != ABOVE
    smartphone = rng.random() < profile.smartphone - (0.25 if struggling else 0)
    has_phone = rng.random() < (0.95 if smartphone else 0.25)
    about = {"ages": [p["age"] for p in people], "offline": not has_phone}
    dep25 = _deprivations(rng, label25, rules[2025], **about)
    keep = rng.sample(dep25, len(dep25))  # last year's deprivations overlap this year's
    dep24 = _deprivations(rng, label24, rules[2024], keep=keep, **about)
    member_flags(rng, people, dep25, spec.kind)

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
        for _ in range(pick(rng, {1: 45, 2: 38, 3: 17})):
            left = {c: w for c, w in profile.crops.items() if c not in crops}
            crops.append(pick(rng, left))
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
        "members": [{k: p.get(k) for k in MEMBER_KEYS} for p in people],
        "reviews": {
            2024: {"label": label24, "income": income24, "deprivations": dep24},
            2025: {"label": label25, "income": income25, "deprivations": dep25},
        },
    }


def plan_village(rng, spec: VillageSpec, n: int, *, numbers, rules) -> list[dict]:
    rates = spec.rates
    if rates is None:  # villages differ: the profile's shares, give or take 30%
        factor = rng.uniform(0.7, 1.3)
        profile_rates = PROFILES[spec.profile].rates
        rates = {y: (p * factor, q * factor) for y, (p, q) in profile_rates.items()}
    width = max(4, len(str(n)))
    codes = (f"{spec.code}-{i:0{width}d}" for i in range(1, n + 1))
    return [
        plan_household(rng, spec, code, labels, numbers=numbers, rules=rules)
        for code, labels in zip(codes, transition_labels(rng, n, rates), strict=True)
    ]
