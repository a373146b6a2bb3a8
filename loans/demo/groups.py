"""The savings-and-loan groups (tổ tiết kiệm và vay vốn) of the demo commune: two to four
per village, each entrusted to a mass organisation and led by the head of one of the
village's households. Every borrower belongs to one group of its village, and its loans
go through that group; some households save in a group without borrowing."""

import random
from dataclasses import dataclass, field
from datetime import date

from households.demo import DEFAULT_HOUSEHOLDS, pick

from . import profiles as p
from .households import LISTED, DemoHousehold, DemoVillage
from .plans import business_day


@dataclass
class GroupPlan:
    village: int  # DemoVillage.pk
    name: str
    organisation: str  # loans.models.Organisation value
    leader_name: str
    leader_phone: str
    established_on: date
    members: list[int] = field(default_factory=list)  # household pks


def groups_in(village_households: int, total: int) -> int:
    """Two groups in a small village, three in a middling one, four in a large one
    (sizes as at the default commune size)."""
    size = village_households * DEFAULT_HOUSEHOLDS / max(total, 1)
    return 2 if size < 165 else 3 if size < 195 else 4


def plan_groups(
    rng: random.Random,
    villages: list[DemoVillage],
    households: list[DemoHousehold],
    borrowers: set[int],
) -> tuple[list[GroupPlan], dict[int, int]]:
    """The groups, and for each member household the index of its group."""
    by_village: dict[int, list[DemoHousehold]] = {}
    for h in households:
        by_village.setdefault(h.village, []).append(h)
    groups: list[GroupPlan] = []
    group_of: dict[int, int] = {}
    for village in villages:
        people = by_village.get(village.pk, [])
        n = min(groups_in(len(people), len(households)), len(people))
        # Leaders are heads with a phone, not on the poor or near-poor list if possible.
        leaders = sorted(
            people,
            key=lambda h: (not h.phone, h.status_in(2025) in LISTED, rng.random()),
        )[:n]
        first = len(groups)
        for number, leader in enumerate(leaders, start=1):
            organisation = pick(rng, p.ORGANISATIONS)
            since = 2008 if organisation == "youth_union" else 2003
            groups.append(
                GroupPlan(
                    village=village.pk,
                    name=f"Tổ TK&VV số {number} ({p.ORGANISATION_SHORT[organisation]})",
                    organisation=organisation,
                    leader_name=leader.head_name,
                    leader_phone=leader.phone,
                    established_on=business_day(
                        rng, date(since, 3, 1), date(2018, 10, 31)
                    ),
                )
            )
            group_of[leader.pk] = len(groups) - 1
        for h in people:
            joins = h.pk in borrowers or rng.random() < p.SAVERS_SHARE
            if n and joins and h.pk not in group_of:
                group_of[h.pk] = first + rng.randrange(n)
    for pk, index in group_of.items():
        groups[index].members.append(pk)
    return groups, group_of
