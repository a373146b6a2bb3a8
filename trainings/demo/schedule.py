"""The demo trainings of Xã Ea Ktur as one plan: ``plan_trainings``.

- 2025 coffee, pepper and durian courses (``catalogue.AGRI_2025``): exactly
  ``participant_target`` distinct people attended them (548 at the commune's own size),
  each in one of these courses only, so the figure is the same whether the courses are
  counted one by one or together. Each course is held as classes in villages that grow
  the crop; a class's trainees are members of households growing it (from neighbouring
  villages when the village has too few), mostly of working age, registered for every
  session of the class. A few registered never came, some withdrew, two full sessions
  kept a waiting list, and a few people walked in without registering (not in the
  registry: walk-ins).
- Other 2025 courses: a sewing class (vocational, with each trainee's support) and
  information sessions on health insurance and the 2024 Land Law.
- This year: digital skills sessions held lately by the village teams, and upcoming
  sessions 3 to 17 days ahead (Buôn Tiêu among them) with people enrolled, one of them
  to be cancelled. ``trainings.seeding`` schedules (and cancels) these through the
  services, which write their reminders.
"""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from households.demo import UniqueNumbers

from . import catalogue as cat
from .planner import Planner, heads_first, weekday
from .plans import AGRI_YEAR, TrainingPlan
from .registry import DemoHousehold, DemoPerson, DemoVillage

CLASS_SIZE = 26  # trainees per crop class at the commune's own size
NO_SHOW_SHARE = 0.04  # registered for a class, came to none of its sessions
WALK_IN_SHARE = 0.015  # of the crop courses' participants
WITHDRAW_SHARE = 0.4  # classes where someone withdrew
FULL_SESSIONS = 2  # crop classes whose first session was full, with a waiting list
CANCEL_REASON = (
    "Báo cáo viên pháp luật của tỉnh có lịch công tác đột xuất; UBND xã sẽ thông báo "
    "lịch mới."
)


def plan_trainings(
    rng: random.Random,
    villages: Sequence[DemoVillage],
    households: Sequence[DemoHousehold],
    people: Sequence[DemoPerson],
    *,
    numbers: UniqueNumbers,
    now: datetime,
    tz: tzinfo,
    officer_village: int | None = None,
) -> TrainingPlan:
    """The demo trainings as of ``now`` (a date after 2025). ``people`` are the active
    members of the active ``households``; ``numbers`` knows the registry's phones, so a
    walk-in's is never one of them; ``officer_village`` is the demo village officer's."""
    planner = Planner(rng, villages, households, people, numbers=numbers, now=now,
                      tz=tz, officer_village=officer_village)  # fmt: skip
    _crops_2025(planner)
    _others_2025(planner)
    _this_year(planner)
    return TrainingPlan(planner.courses, planner.sessions, planner.enrolments)


def _by_largest_remainder(total: int, shares: Sequence[float]) -> list[int]:
    exact = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (i < extra) for i in range(parts)]


# --- The 2025 crop courses ---------------------------------------------------------------


def _crops_2025(planner: Planner) -> None:
    rng, target = planner.rng, planner.target
    counts = _by_largest_remainder(target, [s.share for s in cat.AGRI_2025])
    classes = [max(1, round(n / CLASS_SIZE)) for n in counts]
    walk_ins = max(round(target * WALK_IN_SHARE), 1 if target >= 20 else 0)
    # Walk-ins turn up in random classes; two other classes had a full first session.
    slots = [(c, k) for c, n in enumerate(classes) for k in range(n)]
    walkers = [rng.choice(slots) for _ in range(walk_ins)]
    quiet = [slot for slot in slots if slot not in walkers]
    full = set(rng.sample(quiet, min(FULL_SESSIONS, len(quiet))))
    used: set[int] = set()  # nobody is in two of these courses
    for c, (spec, n) in enumerate(zip(cat.AGRI_2025, counts, strict=True)):
        created = spec.first_day - timedelta(days=rng.randint(20, 40))
        course = planner.course(spec.course, planner.office_hours(created))
        homes = _class_villages(planner, spec, classes[c])
        span = (spec.last_day - spec.first_day).days
        for k, (village, size) in enumerate(
            zip(homes, _split(n, classes[c]), strict=True)
        ):
            offset = int(span * (k + rng.uniform(0, 0.7)) / classes[c])
            day = weekday(spec.first_day + timedelta(days=offset))
            slot_times = []
            for j, (where, start, end) in enumerate(spec.sessions):
                if j:
                    day = weekday(day + timedelta(days=rng.randint(3, 8)))
                if where == "hall":
                    place = village.meeting_place
                else:
                    place = f"Vườn {cat.CROP_WORDS[spec.crop]} mô hình, {village.name}"
                slot_times.append((planner.at(day, start), planner.at(day, end), place))
            rank = heads_first
            if spec.prefer_listed:
                rank = planner.listed_first(slot_times[0][0].date())
            minority_only = spec.course.for_minority_villages
            pick = {
                "villages": planner.nearby(village.pk, minority_only=minority_only),
                "year": AGRI_YEAR,
                "used": used,
                "fits": planner.grows(spec.crop),
                "rank": rank,
            }
            trainees = planner.pick_people(size - walkers.count((c, k)), **pick)
            planner.hold_class(
                course,
                village,
                slot_times,
                trainer=spec.course.trainers[k % len(spec.course.trainers)],
                trainees=trainees,
                no_shows=planner.pick_people(round(size * NO_SHOW_SHARE), **pick),
                withdrawn=planner.pick_people(
                    int(rng.random() < WITHDRAW_SHARE), **pick
                ),
                waitlisted=planner.pick_people(2 if (c, k) in full else 0, **pick),
                # Should the registry run short, that many more people walked in.
                walk_ins=size - len(trainees),
            )


def _class_villages(planner: Planner, spec: cat.AgriSpec, n: int) -> list:
    """Villages for ``n`` classes, drawn in proportion to the households growing the
    crop (the demo officer's buôn first for a course for the hamlets)."""
    allowed = [
        v
        for v in planner.villages
        if v.is_ethnic_minority or not spec.course.for_minority_villages
    ] or planner.villages
    growers = {v.pk: 0 for v in allowed}
    for household in planner.households.values():
        if household.village in growers and spec.crop in household.crops:
            growers[household.village] += 1
    chosen = []
    if spec.course.for_minority_villages and planner.officer_village in growers:
        chosen.append(planner.village[planner.officer_village])
    while len(chosen) < n:
        left = [v for v in allowed if v not in chosen] or allowed
        weights = [growers[v.pk] + 0.1 for v in left]
        chosen.append(planner.rng.choices(left, weights=weights)[0])
    return chosen


# --- Other 2025 courses ------------------------------------------------------------------


def _others_2025(planner: Planner) -> None:
    rng = planner.rng
    # Sewing: ten afternoons, Tuesdays and Fridays from August, at the commune hall.
    sewing = planner.course(cat.SEWING, planner.office_hours(cat.SEWING_OPENED))
    hall = planner.find_village(cat.COMMUNE_HALL_VILLAGE)
    day, slots = cat.SEWING_FIRST_DAY, []
    while len(slots) < cat.SEWING_SESSIONS:
        start, end = cat.AFTERNOON
        slots.append((planner.at(day, start), planner.at(day, end), cat.COMMUNE_HALL))
        day += timedelta(days=3 if day.weekday() == 1 else 4)
    # Women from the whole commune, poor, near-poor and ethnic-minority ones first.
    listed = planner.listed_first(cat.SEWING_OPENED)
    women = {
        "villages": [v.pk for v in planner.villages],
        "pooled": True,
        "year": AGRI_YEAR,
        "used": set(),
        "fits": lambda p: p.sex == "female",
        "rank": lambda p: listed(p) - p.minority + 3 * rng.random(),
        "ages": (18, 45),
        "older_share": 0,
    }
    planner.hold_class(
        sewing,
        hall,
        slots,
        trainer=cat.SEWING.trainers[0],
        trainees=planner.pick_people(planner.scaled(24, 3), **women),
        withdrawn=planner.pick_people(1, **women),
        attend=0.93,
    )
    # Information sessions: a morning in each of a few villages.
    for spec, codes, first, size in cat.INFORMATION_2025:
        created = planner.office_hours(first - timedelta(days=24))
        course = planner.course(spec, created)
        for k, code in enumerate(codes):
            village = planner.find_village(code)
            day = weekday(first + timedelta(days=k * rng.randint(12, 20)))
            slot = (planner.at(day, (8, 0)), planner.at(day, (10, 30)))
            pick = {
                "villages": [village.pk],
                "year": AGRI_YEAR,
                "used": set(),
                "rank": planner.listed_first(day),
                "ages": (18, 75),
                "older_share": 0,
            }
            n = planner.scaled(size, 3)
            planner.hold_class(
                course,
                village,
                [(*slot, village.meeting_place)],
                trainer=spec.trainers[0],
                trainees=planner.pick_people(n, **pick),
                no_shows=planner.pick_people(round(n * 0.12), **pick),
                attend=0.9,
            )


# --- This year ---------------------------------------------------------------------------


def _team(village) -> str:
    return f"Tổ công nghệ số cộng đồng {village.name_in_sentence}"


def _this_year(planner: Planner) -> None:
    rng, today = planner.rng, planner.today
    # Digital skills with the village teams: three mornings held in the last two months.
    opened = today - timedelta(days=rng.randint(75, 90))
    digital = planner.course(cat.DIGITAL, planner.office_hours(opened))
    for k, code in enumerate(cat.DIGITAL_HELD_IN):
        village = planner.find_village(code)
        day = weekday(today - timedelta(days=55 - 18 * k))
        slot = (planner.at(day, (8, 0)), planner.at(day, (10, 30)))
        pick = {
            "villages": [village.pk],
            "year": day.year,
            "used": set(),
            "rank": heads_first,
            "ages": (16, 65),
            "older_share": 0.1,
        }
        n = planner.scaled(18, 3)
        planner.hold_class(
            digital,
            village,
            [(*slot, village.meeting_place)],
            trainer=_team(village),
            trainees=planner.pick_people(n, **pick),
            no_shows=planner.pick_people(round(n * 0.1), **pick),
        )

    # The upcoming sessions: this year's courses, and the Land Law course again.
    made = {c.key: c for c in planner.courses}
    opened = {
        cat.COFFEE_FERTILISER: 24,
        cat.DURIAN_IPM: 20,
        cat.MOTORBIKE: 30,
        cat.HEALTH_INSURANCE: 18,
    }
    for spec, days in opened.items():
        created = planner.office_hours(today - timedelta(days=days))
        made[spec.key] = planner.course(spec, created)
    officer_village = planner.village.get(planner.officer_village)
    buon_tieu = officer_village or planner.find_village("B01")
    # Young people of the hamlets, mostly men.
    young_minority = {
        "villages": [v.pk for v in planner.villages if v.is_ethnic_minority],
        "pooled": True,
        "fits": lambda p: p.minority,
        "ages": (16, 30),
        "older_share": 0,
        "rank": lambda p: (p.sex != "male") + 1.5 * rng.random(),
    }
    upcoming = (
        # spec, village, in days, hours, places, enrolled (None: full, and three on
        # the waiting list), who, place, cancelled
        (cat.DIGITAL, buon_tieu, 3, ((8, 0), (10, 30)), 30, 22, {}, "", False),
        (cat.COFFEE_FERTILISER, planner.find_village("T05"), 6, cat.MORNING, 40, None,
         {"fits": planner.grows("coffee")}, "", False),
        (cat.LAND_LAW, planner.find_village("T10"), 8, ((8, 0), (10, 30)), 50, 12, {},
         "", True),
        (cat.DURIAN_IPM, planner.find_village("T03"), 9, cat.AFTERNOON, 35, 20,
         {"fits": planner.grows("durian")}, "", False),
        (cat.MOTORBIKE, planner.find_village("B02"), 12, ((7, 30), (11, 30)), 20, 16,
         young_minority, cat.WORKSHOP, False),
        (cat.HEALTH_INSURANCE, planner.find_village("B03"), 16, ((8, 0), (10, 0)), 60,
         18, {}, "", False),
    )  # fmt: skip
    for spec, village, days, hours, places, enrolled, who, place, cancel in upcoming:
        trainer = _team(village) if spec is cat.DIGITAL else spec.trainers[0]
        capacity = planner.scaled(places, 3)
        planner.upcoming_session(
            made[spec.key],
            village,
            weekday(today + timedelta(days=days)),
            hours,
            trainer=trainer,
            capacity=capacity,
            enrolled=capacity + 3 if enrolled is None else planner.scaled(enrolled, 2),
            who=who,
            place=place.format(village=village.name_in_sentence),
            cancel_reason=CANCEL_REASON if cancel else "",
        )
