"""Demo data for Xã Ea Ktur: demo logins, villages, names, numbers and families.

Plain data and pure functions over a seeded ``random.Random``, no database access and no
Django import, so ``scripts/run_dev.sh`` can read ``DEMO_LOGINS`` cheaply. The
``seed_demo`` command assembles households and their yearly reviews from these parts
(``households.demo.plans``) and writes them (``households.seeding``).

- ``places``: the commune, its villages with their household counts, who lives where.
- ``people``: family and given names, phone and national ID numbers.
- ``families``: the members of a household, their names, schooling and insurance.
- ``users``: the demo logins.
- ``plans``: each household's fields, members and planned reviews (not imported here).
"""

from .families import AGE_YEAR, MEMBER_KEYS, household_people, member_flags
from .people import UniqueNumbers, family_name, person_name, pick
from .places import (
    COMMUNE,
    DEFAULT_HOUSEHOLDS,
    PROFILES,
    REVIEW_YEARS,
    VILLAGES,
    Profile,
    VillageSpec,
    village_sizes,
)
from .users import DEMO_LOGINS, DEMO_PASSWORD, DEMO_USERS

__all__ = [
    "AGE_YEAR",
    "COMMUNE",
    "DEFAULT_HOUSEHOLDS",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "MEMBER_KEYS",
    "PROFILES",
    "REVIEW_YEARS",
    "VILLAGES",
    "Profile",
    "UniqueNumbers",
    "VillageSpec",
    "family_name",
    "household_people",
    "member_flags",
    "person_name",
    "pick",
    "village_sizes",
]
