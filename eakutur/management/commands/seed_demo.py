"""``manage.py seed_demo``: the demo commune Xã Ea Ktur in four parts.

1. The registry (``households.seeding``): 46 villages, about 8,500 households with
   members and their 2024 and 2025 poverty reviews, and three demo logins
   (``households.demo.DEMO_LOGINS``).
2. The loan book (``loans.seeding``): savings groups in every village, loans from 2019 to
   today with their repayments, reproducing the commune's figures (3,880 households and
   over 147 billion đồng disbursed from January to September 2025; about 168.2 billion
   đồng outstanding at the end of 2024), in proportion for another ``--households``.
3. The outreach (``outreach.seeding``): 46 digital teams (279 members at the default
   size), a year of contacts, assisted applications, village groups and a few notices.
4. The trainings (``trainings.seeding``): the 2025 coffee, pepper and durian courses
   with about 550 distinct participants (in proportion for another ``--households``),
   other courses, and a few upcoming sessions with their reminders.

It lives in the project package because it composes apps (``loans`` builds on
``households``, never the other way round). Each part is deterministic, idempotent and
written in one transaction: the registry's households only when the commune has none,
the loan book only when the commune has no loans, the outreach part by part (teams and
contacts, groups, notices) only when the commune has none of it, the trainings only
when the commune has no courses.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from households import demo
from households.models import Commune, PovertyStatus
from households.seeding import demo_commune_counts, demo_commune_seed
from households.selectors import standard_for_year
from loans.demo import OUTSTANDING_ON, WINDOW
from loans.models import LoanStatus
from loans.seeding import demo_loans_counts, demo_loans_seed
from outreach.seeding import demo_outreach_counts, demo_outreach_seed
from trainings.seeding import demo_trainings_counts, demo_trainings_seed

BILLION = 1_000_000_000
RECORDER = "canbo"  # the demo commune official enters the loans and repayments
OFFICER = "thonbuontieu"  # the demo village officer (Buôn Tiêu) leads its digital team


class Command(BaseCommand):
    help = (
        "Load the demo commune Xã Ea Ktur: villages, households, reviews, logins, "
        "savings groups, loans and repayments, digital teams, contacts, assisted "
        "applications, village groups, notices, training courses, sessions and "
        "enrolments."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--households",
            type=int,
            default=demo.DEFAULT_HOUSEHOLDS,
            help="How many households to generate (default %(default)s); the villages "
            "keep their proportions and the loan book its figures in proportion. "
            "Ignored when the commune already has households.",
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
        started = time.monotonic()
        today = timezone.localdate()
        demo_loans_seed(
            commune,
            recorder=get_user_model().objects.filter(username=RECORDER).first(),
            today=today,
            say=self._say,
        )
        self._loans_summary(commune, today, time.monotonic() - started)
        started = time.monotonic()
        users = get_user_model().objects
        demo_outreach_seed(
            commune,
            official=users.filter(username=RECORDER).first(),
            officer=users.filter(username=OFFICER).first(),
            today=today,
            say=self._say,
        )
        self._outreach_summary(commune, today, time.monotonic() - started)
        started = time.monotonic()
        demo_trainings_seed(
            commune,
            official=users.filter(username=RECORDER).first(),
            officer=users.filter(username=OFFICER).first(),
            say=self._say,
        )
        self._trainings_summary(commune, time.monotonic() - started)
        self._logins()

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

    def _loans_summary(self, commune: Commune, today, seconds: float) -> None:
        c = demo_loans_counts(commune, today=today)
        start, end = WINDOW
        self._say(
            f"Savings groups: {c.groups:,} in {c.villages_with_groups} villages, "
            f"{c.members:,} member households"
        )
        self._say(
            f"Loans: {c.loans:,} loans to {c.borrowers:,} households; "
            f"{start:%d/%m}–{end:%d/%m/%Y}: {c.window_households:,} households, "
            f"{c.window_amount / BILLION:,.1f} billion VND; "
            f"outstanding {OUTSTANDING_ON:%d/%m/%Y}: {c.outstanding / BILLION:,.1f} "
            f"billion VND; overdue today: {c.overdue:,} ({seconds:.1f} s)"
        )
        parts = [
            f"{s} {c.by_status[s]:,}" for s in LoanStatus.values if s in c.by_status
        ]
        if parts:
            self._say(f"  by status: {', '.join(parts)}")

    def _outreach_summary(self, commune: Commune, today, seconds: float) -> None:
        c = demo_outreach_counts(commune, today=today)
        self._say(
            f"Digital teams: {c.teams:,} teams, {c.members:,} members "
            f"({c.youth_union:,} Youth Union members; {c.left:,} more have left)"
        )
        self._say(
            f"Contacts: {c.contacts:,}, {c.reached:,} households reached in the last "
            f"90 days, {c.open_follow_ups:,} follow-ups open; assisted applications: "
            f"{c.applications:,} ({c.open_applications:,} open); village groups: "
            f"{c.groups:,} ({c.relay_groups:,} relay); notices: {c.notices:,} "
            f"({seconds:.1f} s)"
        )

    def _trainings_summary(self, commune: Commune, seconds: float) -> None:
        c = demo_trainings_counts(commune)
        marked = c.attended + c.absent
        rate = f"{100 * c.attended / marked:.0f}%" if marked else "-"
        self._say(
            f"Trainings: {c.courses:,} courses, {c.sessions:,} sessions ({c.held:,} "
            f"held, {c.cancelled:,} cancelled); {c.participants:,} distinct 2025 "
            f"participants in durian, coffee and pepper courses; attendance {rate} "
            f"({c.attended:,} of {marked:,} marked)"
        )
        self._say(
            f"  upcoming sessions: {c.upcoming:,}, with {c.reminders:,} reminders "
            f"waiting to go out ({c.cancelled_reminders:,} cancelled with a session, "
            f"{c.cancellation_notices:,} cancellation notice) ({seconds:.1f} s)"
        )

    def _logins(self) -> None:
        self._say("Demo logins (username / password / role):")
        for username, password, role in demo.DEMO_LOGINS:
            self._say(f"  {username:<14} {password:<18} {role}")
