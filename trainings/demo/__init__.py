"""Demo data for the trainings of Xã Ea Ktur: the 2025 coffee, pepper and durian courses
with about 550 distinct participants (548 at the commune's own size, in proportion for
another), a sewing class and information sessions in 2025, and this year's courses with
sessions held lately and sessions to come.

Pure planning over a seeded ``random.Random`` and plain values read from the registry
(``DemoVillage``, ``DemoHousehold``, ``DemoPerson``), no database access;
``trainings.seeding`` reads the registry, writes the plan and schedules the upcoming
sessions through the services (which write their reminders).

- ``registry``: what the plan knows about villages, households and people.
- ``catalogue``: the courses, their organisers and trainers, when and where they ran.
- ``plans``: the planned rows, the commune's figure and the vocational support.
- ``planner``: choosing trainees, holding a class, walk-ins, upcoming sessions.
- ``schedule``: the whole plan (``plan_trainings``).
"""

from .plans import (
    AGRI_TOPICS,
    AGRI_YEAR,
    PARTICIPANTS_2025,
    CoursePlan,
    EnrolmentPlan,
    SessionPlan,
    TrainingPlan,
    participant_target,
    support_for,
)
from .registry import OFFICER, OFFICIAL, DemoHousehold, DemoPerson, DemoVillage
from .schedule import plan_trainings

__all__ = [
    "AGRI_TOPICS",
    "AGRI_YEAR",
    "OFFICER",
    "OFFICIAL",
    "PARTICIPANTS_2025",
    "CoursePlan",
    "DemoHousehold",
    "DemoPerson",
    "DemoVillage",
    "EnrolmentPlan",
    "SessionPlan",
    "TrainingPlan",
    "participant_target",
    "plan_trainings",
    "support_for",
]
