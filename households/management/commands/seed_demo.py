"""``manage.py seed_demo``: Xã Ea Ktur with 46 villages, about 8,500 households (members,
2024 and 2025 poverty reviews) and three demo logins (``households.demo.DEMO_LOGINS``).

The data comes from ``households.demo`` and is written by ``households.seeding``, which
says how: deterministic, idempotent, one transaction.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from households import demo
from households.demo.plans import (  # noqa: F401 (tests use them from here)
    NEAR,
    POOR,
    transition_labels,
)
from households.models import Commune, PovertyStatus
from households.seeding import demo_commune_counts, demo_commune_seed
from households.selectors import standard_for_year


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
        self.verbosity, self.shown = verbosity, 0
        started = time.monotonic()
        standards = {year: standard_for_year(year) for year in demo.REVIEW_YEARS}
        if None in standards.values():
            raise CommandError(f"No poverty standard covers {demo.REVIEW_YEARS}.")
        commune = demo_commune_seed(
            households=households,
            standards=standards,
            say=self._say,
            on_village=self._village_written,
        )
        self._summary(commune, time.monotonic() - started)

    def _say(self, text: str, level: int = 1) -> None:
        if self.verbosity >= level:
            self.stdout.write(text)

    def _village_written(self, spec, n: int, done: int, total: int) -> None:
        """Each village at verbosity 2, every quarter of the total at verbosity 1."""
        self._say(f"  {spec.code} {spec.name}: {n:,} households", level=2)
        if self.verbosity == 1 and done * 4 // max(total, 1) > self.shown:
            self.shown = done * 4 // total
            self._say(f"  {done:,} / {total:,} households written")

    def _summary(self, commune: Commune, seconds: float) -> None:
        counts = demo_commune_counts(commune)
        self._say(
            f"{commune}: {counts.villages} villages "
            f"({counts.ethnic_minority_villages} ethnic-minority), "
            f"{counts.households:,} households, "
            f"{counts.members:,} members, "
            f"{counts.reviews:,} poverty reviews ({seconds:.1f} s)"
        )
        for year, by_status in sorted(counts.by_year.items()):
            parts = [
                f"{s} {by_status[s]:,}" for s in PovertyStatus.values if s in by_status
            ]
            self._say(f"  {year} review: {', '.join(parts)}")
        self._say("Demo logins (username / password / role):")
        for username, password, role in demo.DEMO_LOGINS:
            self._say(f"  {username:<14} {password:<18} {role}")
