"""Reads of the contact log: the scoped contacts, the filtered list, follow-ups, a
household's contacts and the coverage per village.

Everything starts from ``households.selectors.villages_for(user)``: a village officer sees
the contacts of their villages, a commune-wide role those of the commune; anything else
is absent (a 404 on the screens).

Coverage counts a household as reached when a contact with it, not marked "not
reached", falls in the window of the last N days (``ContactQuerySet.reached``). A
village-wide contact (meeting, loudspeaker, Zalo group, information page) reaches people
nobody wrote down: it is counted as a meeting or an announcement, never as households.
A resident's request (``ContactChannel.RESIDENT_REQUEST``) is the household reaching the
commune, not a contact made: coverage counts it nowhere.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BooleanField as BooleanOutput
from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from households.models import Household, PovertyStatus, Village
from households.selectors import households_for, villages_for
from households.text import fold

from ..models import (
    AssistedApplication,
    Contact,
    ContactChannel,
    ContactTopic,
)

# The periods the coverage page offers; the default is the "last 90 days".
COVERAGE_PERIODS = (30, 90, 180)
DEFAULT_COVERAGE_DAYS = 90
# The majority group; every other group is an ethnic minority (EthnicGroup.is_minority).
KINH_CODE = "01"
POOR_STATUSES = (PovertyStatus.POOR, PovertyStatus.NEAR_POOR)


def today() -> date:
    """Today in the commune."""
    return timezone.localdate()


def contacts_for(user) -> QuerySet[Contact]:
    return Contact.objects.filter(village__in=villages_for(user).values("pk"))


def _with_topics(qs: QuerySet[Contact]) -> QuerySet[Contact]:
    return qs.prefetch_related(
        Prefetch("topics", queryset=ContactTopic.objects.order_by("pk"))
    )


def contact_get_for(user, pk: int) -> Contact:
    """One contact the user may see, with what its page shows, or 404."""
    try:
        return (
            _with_topics(contacts_for(user))
            .select_related(
                "village",
                "household__village",
                "made_by",
                "team_member",
                "follow_up_done_by",
            )
            .get(pk=pk)
        )
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- The contact list -------------------------------------------------------------------

# "scope" filter values: contacts with one household, or with a whole village.
SCOPE_HOUSEHOLD = "household"
SCOPE_VILLAGE = "village"
# An "outcome" filter value beside the outcomes: every household contact that reached.
REACHED = "reached"


@dataclass
class ContactFilters:
    q: str = ""
    village: int | None = None
    household: int | None = None
    channel: str = ""
    topic: str = ""
    outcome: str = ""  # a ContactOutcome value, or REACHED
    scope: str = ""  # SCOPE_HOUSEHOLD, SCOPE_VILLAGE or "" for both
    date_from: date | None = None
    date_to: date | None = None


def _search_households(qs, q: str, prefix: str = ""):
    """Each folded word must match the household's search text (name, code, phone): a
    number anywhere ("345678" finds 0912345678), a word at the start of a word ("an"
    finds "An", not "Tran"), as the household list does."""
    for word in fold(q).split():
        qs = qs.filter(_household_word(word, prefix))
    return qs


def _household_word(word: str, prefix: str = "") -> Q:
    column = f"{prefix}search_text"
    if word.isdigit():
        return Q(**{f"{column}__contains": word})
    # ... or after the H' or Y' of an Ê Đê name: "hoa" finds "H'Hoa Niê".
    return (
        Q(**{f"{column}__startswith": word})
        | Q(**{f"{column}__contains": " " + word})
        | Q(**{f"{column}__contains": "'" + word})
    )


def _search_contacts(qs, q: str):
    """As ``_search_households`` on the contact's household, or on the name and phone
    a resident gave with a request (a request may name no household)."""
    for typed in q.split():
        words = fold(typed).split()
        if not words:
            continue
        household = Q()
        for word in words:
            household &= _household_word(word, "household__")
        # The requester's name is kept as typed (not folded): match it as typed.
        requester = (
            Q(requester_phone__contains=typed)
            if typed.isdigit()
            else Q(requester_name__icontains=typed)
        )
        qs = qs.filter(household | requester)
    return qs


def household_search_for(user, q: str) -> QuerySet[Household]:
    """The user's active households matching ``q`` (name, code or phone), by name."""
    if not fold(q).split():
        return Household.objects.none()
    return (
        _search_households(households_for(user), q)
        .select_related("village")
        .order_by("search_text", "pk")
    )


def contact_list_for(user, filters: ContactFilters | None = None) -> QuerySet[Contact]:
    """The contact list: newest first, filtered, with what each row shows joined in."""
    filters = filters or ContactFilters()
    qs = contacts_for(user)
    if filters.q:
        qs = _search_contacts(qs, filters.q)
    if filters.village:
        qs = qs.filter(village_id=filters.village)
    if filters.household:
        qs = qs.filter(household_id=filters.household)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.topic:
        qs = qs.filter(
            pk__in=ContactTopic.objects.filter(topic=filters.topic).values("contact")
        )
    if filters.outcome == REACHED:
        qs = qs.reached()
    elif filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.scope == SCOPE_HOUSEHOLD:
        qs = qs.filter(household__isnull=False)
    elif filters.scope == SCOPE_VILLAGE:
        qs = qs.filter(household__isnull=True).made()
    if filters.date_from:
        qs = qs.filter(contacted_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(contacted_on__lte=filters.date_to)
    return (
        _with_topics(qs)
        .select_related("village", "household", "made_by", "team_member")
        .order_by("-contacted_on", "-pk")
    )


# --- Follow-ups ---------------------------------------------------------------------------


def follow_ups_for(
    user,
    *,
    today: date,
    village: int | None = None,
    made_by=None,
) -> QuerySet[Contact]:
    """Open follow-ups, the earliest date first (so the overdue ones come first), each
    marked ``is_overdue``. ``made_by`` keeps the ones a user logged."""
    qs = contacts_for(user).follow_ups_open()
    if village:
        qs = qs.filter(village_id=village)
    if made_by is not None:
        qs = qs.filter(made_by=made_by)
    return (
        _with_topics(qs)
        .select_related("village", "household", "made_by", "team_member")
        .annotate(
            is_overdue=Case(
                When(follow_up_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            )
        )
        .order_by("follow_up_on", "village__sort_order", "pk")
    )


def follow_up_counts(user, *, today: date) -> dict[str, int]:
    """Open follow-ups of the user's villages: all, due today or earlier, overdue."""
    return (
        contacts_for(user)
        .follow_ups_open()
        .aggregate(
            open=Count("pk"),
            due=Count("pk", filter=Q(follow_up_on__lte=today)),
            overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
        )
    )


# --- A household's contacts (the household page's panel) --------------------------------


def contacts_of_household(household: Household, user) -> QuerySet[Contact]:
    """The household's contacts the user may see, newest first (empty outside scope)."""
    return (
        _with_topics(contacts_for(user).filter(household=household))
        .select_related("made_by", "team_member", "follow_up_done_by")
        .order_by("-contacted_on", "-pk")
    )


def applications_of_household(household: Household, user) -> QuerySet:
    """The household's assisted online applications the user may see, newest first."""
    return (
        AssistedApplication.objects.filter(
            household=household,
            household__village__in=villages_for(user).values("pk"),
        )
        .select_related("helped_by")
        .order_by("-filed_on", "-pk")
    )


# --- Coverage -----------------------------------------------------------------------------


def coverage_window(today: date, days: int) -> tuple[date, date]:
    """The last ``days`` days up to and including ``today``."""
    return today - timedelta(days=days - 1), today


def reached_between(start: date, end: date) -> Exists:
    """Whether the household (the outer row) was reached between ``start`` and ``end``."""
    return Exists(
        Contact.objects.reached().filter(
            household=OuterRef("pk"),
            contacted_on__gte=start,
            contacted_on__lte=end,
        )
    )


_MINORITY = ~Q(ethnic_group__code=KINH_CODE)


@dataclass
class CoverageRow:
    """One village's coverage (``village`` None for the total row)."""

    village: Village | None
    households: int = 0
    reached: int = 0
    poor: int = 0
    poor_reached: int = 0
    near_poor: int = 0
    near_poor_reached: int = 0
    minority: int = 0
    minority_reached: int = 0
    meetings: int = 0
    people: int = 0
    announcements: int = 0

    @property
    def share(self) -> float | None:
        """The share of households reached, 0–100 (None without households)."""
        return 100 * self.reached / self.households if self.households else None

    @property
    def poor_not_reached(self) -> int:
        return self.poor - self.poor_reached

    @property
    def near_poor_not_reached(self) -> int:
        return self.near_poor - self.near_poor_reached

    @property
    def to_do(self) -> int:
        """Poor and near-poor households not reached: the village officer's list."""
        return self.poor_not_reached + self.near_poor_not_reached

    def add(self, other: "CoverageRow") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNTS = (
    "households",
    "reached",
    "poor",
    "poor_reached",
    "near_poor",
    "near_poor_reached",
    "minority",
    "minority_reached",
    "meetings",
    "people",
    "announcements",
)


@dataclass
class Coverage:
    rows: list[CoverageRow]
    total: CoverageRow
    days: int
    start: date
    end: date
    villages: list[Village] = field(default_factory=list)


def coverage_by_village(
    user, *, today: date, days: int = DEFAULT_COVERAGE_DAYS
) -> Coverage:
    """Per village of the user and for all of them: active households, households
    reached in the last ``days`` days and their share, poor and near-poor households
    (reached and not), ethnic-minority households (reached and not), village-wide
    meetings with the people present, and other village-wide announcements.

    Four queries whatever the number of villages, households or contacts: the villages,
    the households grouped by village, the households reached grouped by village, the
    village-wide contacts grouped by village. The reached households are a query of
    their own: with the "reached" test repeated inside four filtered counts, PostgreSQL
    ran it once per household (0.8 s at 50,000 households, against 35 ms this way).
    """
    start, end = coverage_window(today, days)
    villages = list(villages_for(user).order_by("sort_order", "name"))
    poor = Q(current_status=PovertyStatus.POOR)
    near_poor = Q(current_status=PovertyStatus.NEAR_POOR)
    households = (
        Household.objects.active()
        .filter(village__in=[v.pk for v in villages])
        .order_by()
        .values("village")
    )
    household_rows = households.annotate(
        households=Count("pk"),
        poor=Count("pk", filter=poor),
        near_poor=Count("pk", filter=near_poor),
        minority=Count("pk", filter=_MINORITY),
    )
    reached_rows = households.filter(reached_between(start, end)).annotate(
        reached=Count("pk"),
        poor_reached=Count("pk", filter=poor),
        near_poor_reached=Count("pk", filter=near_poor),
        minority_reached=Count("pk", filter=_MINORITY),
    )
    meeting = Q(channel=ContactChannel.MEETING)
    village_wide_rows = (
        Contact.objects.made()
        .filter(
            village__in=[v.pk for v in villages],
            household__isnull=True,
            contacted_on__gte=start,
            contacted_on__lte=end,
        )
        .order_by()
        .values("village")
        .annotate(
            meetings=Count("pk", filter=meeting),
            people=Sum("people_count", filter=meeting, default=0),
            announcements=Count("pk", filter=~meeting),
        )
    )
    by_village = {v.pk: CoverageRow(village=v) for v in villages}
    for row in [*household_rows, *reached_rows, *village_wide_rows]:
        target = by_village[row.pop("village")]
        for name, value in row.items():
            setattr(target, name, value or 0)
    rows = list(by_village.values())
    total = CoverageRow(village=None)
    for row in rows:
        total.add(row)
    return Coverage(
        rows=rows, total=total, days=days, start=start, end=end, villages=villages
    )


# --- Coverage: the households behind a figure ---------------------------------------------

# What the drill-down lists ("show"): the poor and near-poor households not reached
# (the village officer's to-do list, the default), either group alone, the households
# reached, the ethnic-minority households reached, all households not reached.
SHOW_TO_DO = "to_do"
SHOW_POOR = "poor"
SHOW_NEAR_POOR = "near_poor"
SHOW_REACHED = "reached"
SHOW_MINORITY_REACHED = "minority_reached"
SHOW_NOT_REACHED = "not_reached"
SHOW_CHOICES = (
    SHOW_TO_DO,
    SHOW_POOR,
    SHOW_NEAR_POOR,
    SHOW_REACHED,
    SHOW_MINORITY_REACHED,
    SHOW_NOT_REACHED,
)


def coverage_households(
    user,
    *,
    today: date,
    days: int = DEFAULT_COVERAGE_DAYS,
    village: int | None = None,
    show: str = SHOW_TO_DO,
) -> QuerySet[Household]:
    """The active households behind a coverage figure, each with the date of its last
    contact (``last_contacted_on``, any outcome, None if never).

    The to-do list puts the poor before the near-poor, then the longest without a
    contact first (never contacted at the top).
    """
    start, end = coverage_window(today, days)
    reached = reached_between(start, end)
    qs = households_for(user)
    if village:
        qs = qs.filter(village_id=village)
    filters = {
        SHOW_TO_DO: Q(current_status__in=POOR_STATUSES) & ~reached,
        SHOW_POOR: Q(current_status=PovertyStatus.POOR) & ~reached,
        SHOW_NEAR_POOR: Q(current_status=PovertyStatus.NEAR_POOR) & ~reached,
        SHOW_REACHED: reached,
        SHOW_MINORITY_REACHED: _MINORITY & reached,
        SHOW_NOT_REACHED: ~reached,
    }
    qs = qs.filter(filters.get(show, filters[SHOW_TO_DO]))
    last = (
        Contact.objects.made()
        .filter(household=OuterRef("pk"), contacted_on__lte=end)
        .order_by()
        .values("household")
        .annotate(last=Max("contacted_on"))
        .values("last")
    )
    poor_first = Case(
        When(current_status=PovertyStatus.POOR, then=Value(0)),
        When(current_status=PovertyStatus.NEAR_POOR, then=Value(1)),
        default=Value(2),
    )
    return (
        qs.select_related("village", "ethnic_group")
        .annotate(last_contacted_on=Subquery(last))
        .order_by(
            poor_first,
            # Never contacted first, then the longest ago.
            Case(When(last_contacted_on__isnull=True, then=Value(0)), default=1),
            "last_contacted_on",
            "village__sort_order",
            "search_text",
            "pk",
        )
    )
