"""The community digital technology teams: one per village, 279 members in all at the
commune's own size (``shared/domain/ea_ktur.md``).

Each team was set up by a decision of the commune chairman in 2022: the village head
leads it, one or two deputies, the rest members, about 40% of them Youth Union members
(the guidance recommends them). Some members have left since (moved away for work, a new
village head took over); they stay on the team's list with the day they left and do not
count. Pure functions over a seeded ``random.Random``.
"""

import heapq
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from households.demo import (
    DEFAULT_HOUSEHOLDS,
    PROFILES,
    VILLAGES,
    UniqueNumbers,
    family_name,
    person_name,
    pick,
)

from ..models import TeamRole
from .registry import DemoVillage

TEAM_MEMBERS = 279  # active members of the 46 teams, as the commune reported
MIN_TEAM, MAX_TEAM = 5, 8  # active members of one team at the commune's own size
YOUTH_UNION_SHARE = 0.4
# The chairman's decisions setting the teams up: the thôn first, the buôn once members
# who speak Ê Đê or M'nông had been found.
DECISIONS = {
    False: (date(2022, 3, 15), "125/QĐ-UBND"),
    True: (date(2022, 6, 6), "218/QĐ-UBND"),
}
_PROFILE_OF_CODE = {spec.code: spec.profile for spec in VILLAGES}


@dataclass(frozen=True)
class MemberPlan:
    key: tuple[int, int]  # (village pk, position in the team): how plans refer to it
    full_name: str
    phone: str
    role: str
    is_youth_union: bool
    joined_on: date
    left_on: date | None = None
    is_officer: bool = False  # the demo village officer (linked to their login)

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def active_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


@dataclass(frozen=True)
class TeamPlan:
    village: int  # DemoVillage.pk
    established_on: date
    decision_number: str
    note: str
    members: tuple[MemberPlan, ...]

    @property
    def active(self) -> list[MemberPlan]:
        return [m for m in self.members if m.is_active]

    def on(self, day: date) -> list[MemberPlan]:
        """The members on the team that day."""
        return [m for m in self.members if m.active_on(day)]


def team_total(households: int, villages: int) -> int:
    """Active members of all teams: 279 at the commune's own size, in proportion for
    another size, and never fewer than ``MIN_TEAM`` a team."""
    return max(
        MIN_TEAM * villages, round(TEAM_MEMBERS * households / DEFAULT_HOUSEHOLDS)
    )


def team_sizes(households: Sequence[int]) -> list[int]:
    """Active members of each village's team, for villages with these household counts:
    ``team_total`` in all, bigger villages bigger teams, each within ``MIN_TEAM`` to
    ``MAX_TEAM`` at the commune's own size (the bounds grow in proportion above it)."""
    n, people = len(households), sum(households)
    if not n:
        return []
    total = team_total(people, n)
    high = max(MAX_TEAM, math.ceil(MAX_TEAM * total / TEAM_MEMBERS))
    shares = [total * h / people if people else total / n for h in households]
    sizes = [MIN_TEAM] * n
    # Hand the rest out one at a time to the team furthest below its share.
    heap = [(-(share - MIN_TEAM), i) for i, share in enumerate(shares)]
    heapq.heapify(heap)
    for _ in range(total - MIN_TEAM * n):
        _gap, i = heapq.heappop(heap)
        sizes[i] += 1
        if sizes[i] < high:
            heapq.heappush(heap, (-(shares[i] - sizes[i]), i))
    return sizes


def plan_teams(
    rng: random.Random,
    villages: Sequence[DemoVillage],
    *,
    numbers: UniqueNumbers,
    today: date,
    officer: tuple[int, str] | None = None,
) -> list[TeamPlan]:
    """One team per village. ``officer`` is (village pk, full name) of the demo village
    officer: the head of that village, who leads its team."""
    sizes = team_sizes([v.households for v in villages])
    return [
        _team(rng, village, size, numbers=numbers, today=today, officer=officer)
        for village, size in zip(villages, sizes, strict=True)
    ]


def _ethnic_weights(village: DemoVillage) -> dict[str, int]:
    default = "ede" if village.is_ethnic_minority else "kinh"
    return PROFILES[_PROFILE_OF_CODE.get(village.code, default)].ethnic


def _person(rng, village, *, born: tuple[int, int], male: float, taken: set) -> str:
    """A name not yet on the team (``taken``, which it joins)."""
    for _ in range(10):
        ethnic = pick(rng, _ethnic_weights(village))
        sex = "male" if rng.random() < male else "female"
        name = person_name(
            rng, ethnic, sex, family_name(rng, ethnic), rng.randint(*born)
        )
        if name not in taken:
            break
    taken.add(name)
    return name


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _team(rng, village: DemoVillage, size: int, *, numbers, today, officer):
    established, decision = DECISIONS[village.is_ethnic_minority]
    officer_here = officer is not None and officer[0] == village.pk
    deputies = 2 if size >= 7 and rng.random() < 0.6 else 1
    youth_count = round(size * YOUTH_UNION_SHARE + rng.uniform(-0.6, 0.6))
    youth = set(rng.sample(range(1, size), min(max(youth_count, 1), size - 1)))
    people: list[dict] = []
    taken = {officer[1]} if officer_here else set()
    for i in range(size):
        role = (
            TeamRole.LEADER
            if i == 0
            else TeamRole.DEPUTY
            if i <= deputies
            else TeamRole.MEMBER
        )
        if i == 0:  # the village head
            name = (
                officer[1]
                if officer_here
                else _person(rng, village, born=(1962, 1982), male=0.8, taken=taken)
            )
        elif i in youth:  # Youth Union members are under 31
            name = _person(rng, village, born=(1996, 2007), male=0.5, taken=taken)
        else:
            name = _person(rng, village, born=(1966, 1995), male=0.55, taken=taken)
        joined = established
        if i > 0 and rng.random() < 0.15:  # joined since
            joined = _day_between(
                rng, established + timedelta(days=200), today - timedelta(days=60)
            )
        people.append({"full_name": name, "role": role, "is_youth_union": i in youth,
                       "joined_on": joined, "is_officer": i == 0 and officer_here})  # fmt: skip
    note = f"Tổ trưởng là trưởng {village.kind_word}."
    if not officer_here and rng.random() < 0.1:
        # A new village head was elected: the former one left the team that day.
        handover = _day_between(rng, date(2025, 3, 1), date(2025, 6, 30))
        handover = min(handover, today)
        people.append({
            "full_name": _person(rng, village, born=(1955, 1975), male=0.8, taken=taken),
            "role": TeamRole.LEADER, "is_youth_union": False,
            "joined_on": established, "left_on": handover,
        })  # fmt: skip
        people[0]["joined_on"] = handover
        note = (
            f"Tổ trưởng là trưởng {village.kind_word} mới được bầu, "
            f"thay tổ trưởng cũ từ {handover:%d/%m/%Y}."
        )
    elif rng.random() < 0.12:
        note = f"Tổ trưởng là bí thư chi bộ {village.kind_word}."
    if rng.random() < 0.3:  # someone moved away for work
        left = _day_between(
            rng, established + timedelta(days=180), today - timedelta(days=30)
        )
        people.append({
            "full_name": _person(rng, village, born=(1994, 2005), male=0.5, taken=taken),
            "role": TeamRole.MEMBER, "is_youth_union": rng.random() < 0.6,
            "joined_on": established, "left_on": max(left, established),
        })  # fmt: skip
    members = tuple(
        MemberPlan(key=(village.pk, i), phone=numbers.phone(rng), **fields)
        for i, fields in enumerate(people)
    )
    return TeamPlan(village.pk, established, decision, note, members)
