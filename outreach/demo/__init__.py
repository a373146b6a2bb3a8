"""Demo data for the outreach of Xã Ea Ktur: the 46 community digital technology teams
(279 members at the commune's own size), a year of contacts, assisted online
applications, the village groups and a few notices.

Pure planning over a seeded ``random.Random`` and plain values read from the registry
(``DemoVillage``, ``DemoHousehold``), no database access; ``outreach.seeding`` reads the
registry and writes the plan.

- ``registry``: what the plan knows about villages and households, and who logs a row.
- ``teams``: the teams, their sizes and members.
- ``contacts``: meetings, announcements, visits and calls, with their follow-ups; and
  residents' requests from the public portal.
- ``applications``: online applications the teams helped file.
- ``notices``: the village groups and the notices.
- ``words``: the Vietnamese notes on the records.
"""

from .applications import ApplicationPlan, application_count, plan_applications
from .contacts import ContactPlan, plan_contacts, plan_resident_requests
from .notices import GroupPlan, NoticePlan, plan_groups, plan_notices
from .registry import OFFICER, OFFICIAL, DemoHousehold, DemoVillage
from .teams import (
    MAX_TEAM,
    MIN_TEAM,
    TEAM_MEMBERS,
    MemberPlan,
    TeamPlan,
    plan_teams,
    team_sizes,
    team_total,
)

__all__ = [
    "MAX_TEAM",
    "MIN_TEAM",
    "OFFICER",
    "OFFICIAL",
    "TEAM_MEMBERS",
    "ApplicationPlan",
    "ContactPlan",
    "DemoHousehold",
    "DemoVillage",
    "GroupPlan",
    "MemberPlan",
    "NoticePlan",
    "TeamPlan",
    "application_count",
    "plan_applications",
    "plan_contacts",
    "plan_groups",
    "plan_notices",
    "plan_resident_requests",
    "plan_teams",
    "team_sizes",
    "team_total",
]
