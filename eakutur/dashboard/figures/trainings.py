"""The trainings block: who came to the commune's courses in the period, by topic.

Definitions (the benchmark's raw SQL counts exactly these):

- A **counted attendance** is an enrolment (``trainings_enrolment``) with status
  ``attended``, in a session that is not cancelled and whose ``starts_at``, in local time
  (Asia/Ho_Chi_Minh), falls on a day from the period's first day to its last day, both
  included, of a person of the counted villages (``scope.village_ids``):

  - a registry member (``member_id`` set) counts when the enrolment's household
    (``household_id``) is in one of those villages (``household.village_id``); with an
    ethnic group chosen, only when that household's ``ethnic_group_id`` (the head's
    ethnic group) is the one chosen. Archived households still count: the training
    took place;
  - a walk-in (``member_id`` null) counts when the walk-in's own village
    (``enrolment.village_id``) is one of them; with an ethnic group chosen, walk-ins are
    not counted (their ethnicity is not recorded).

  Where the session was held does not matter: a person of a counted village who went
  to a session in another village counts. Neither the session's village nor the
  course's commune is filtered on (people of the commune enrol in its courses only).
- A **person** is the member (``member_id``) or, for a walk-in, the triple
  (``name_folded``, ``phone``, ``birth_year``), as
  ``trainings.selectors.counts.person_key`` says.
- **Participants**: distinct persons with a counted attendance. Per topic (the
  course's ``topic``) a person counts once in each topic they attended; the total counts
  a person once over all topics, so the topics may add up to more than the total.
- **Participants in durian, coffee and pepper courses**: distinct persons with a
  counted attendance in a course of topic ``durian``, ``coffee`` or ``pepper`` (once
  over the three; the commune reports "about 550 farmers trained" in 2025).
- **Attendances**: the number of counted attendances (rows: one per person and
  session).
- **Sessions held**: distinct sessions with at least one counted attendance (per topic:
  sessions of that topic's courses).

One query: the counted attendances (person, session, topic); the distinct people are
counted in Python, as ``participant_counts`` does (SQL cannot count members and walk-ins
distinct in one portable aggregate). ``participant_counts`` itself is not called: it
counts a commune's courses by calendar year, not the period's days and the villages of
the people.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from trainings.models import Enrolment, EnrolmentStatus, SessionStatus, Topic
from trainings.selectors.counts import person_key

from ..scope import DashboardScope
from ..tables import Block, Chart, Column, KeyFigure, Kind, Row, Table

# The crops the commune reports its farmer trainings for ("about 550 farmers trained in
# sustainable durian, coffee and pepper growing in 2025").
CROP_TOPICS = (Topic.DURIAN, Topic.COFFEE, Topic.PEPPER)
# The session list refuses a longer period (trainings.forms.sessions.MAX_PERIOD_DAYS).
SESSION_LIST_MAX_DAYS = 366


@dataclass
class _Tally:
    """Counted attendances of one group (all topics, one topic, the crop topics)."""

    people: set = field(default_factory=set)
    sessions: set = field(default_factory=set)
    attendances: int = 0

    def add(self, person: tuple, session_id: int) -> None:
        self.people.add(person)
        self.sessions.add(session_id)
        self.attendances += 1


@dataclass
class TrainingCounts:
    total: _Tally
    crops: _Tally
    by_topic: dict[str, _Tally]


def _people_of_scope(scope: DashboardScope) -> Q:
    """Enrolments of people of the counted villages (see the module's definition)."""
    members = Q(member__isnull=False) & scope.household_q("household__")
    if scope.ethnic_group_id is not None:
        return members  # a walk-in's ethnicity is not recorded
    walk_ins = Q(member__isnull=True, village_id__in=scope.village_ids)
    return members | walk_ins


def _local_bounds(scope: DashboardScope) -> tuple[datetime, datetime]:
    """The period as [first day 00:00, day after the last 00:00) in local time, so the
    filter is a range on the ``starts_at`` index."""
    period = scope.period
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(
        datetime.combine(period.end + timedelta(days=1), time.min)
    )
    return start, end


def training_counts(scope: DashboardScope) -> TrainingCounts:
    """The counted attendances of the scope, tallied (one query)."""
    start, end = _local_bounds(scope)
    rows = (
        Enrolment.objects.filter(
            _people_of_scope(scope),
            status=EnrolmentStatus.ATTENDED,
            session__starts_at__gte=start,
            session__starts_at__lt=end,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .order_by()
        .values_list(
            "member_id",
            "name_folded",
            "phone",
            "birth_year",
            "session_id",
            "session__course__topic",
        )
    )
    counts = TrainingCounts(_Tally(), _Tally(), defaultdict(_Tally))
    for member_id, name, phone, born, session_id, topic in rows:
        person = person_key(member_id, name, phone, born)
        counts.total.add(person, session_id)
        counts.by_topic[topic].add(person, session_id)
        if topic in CROP_TOPICS:
            counts.crops.add(person, session_id)
    return counts


# --- Links ---------------------------------------------------------------------------


def _one_village(scope: DashboardScope) -> int | None:
    """The village to filter the lists by, when the scope is a single village."""
    if not scope.whole_commune and len(scope.village_ids) == 1:
        return scope.village_ids[0]
    return None


def course_list_url(scope: DashboardScope, topic: str = "") -> str:
    """The course list of the topic, with the period's year when it is within one year
    (the list filters by the year of a course's sessions) and the village if one."""
    params: dict[str, object] = {}
    if topic:
        params["topic"] = topic
    if scope.period.start.year == scope.period.end.year:
        params["year"] = scope.period.start.year
    village = _one_village(scope)
    if village is not None:
        params["village"] = village
    query = f"?{urlencode(params)}" if params else ""
    return f"{reverse('trainings:course_list')}{query}"


def session_list_url(scope: DashboardScope, topic: str = "") -> str:
    """The sessions of the period (and topic, village); empty when the period is longer
    than the session list accepts."""
    period = scope.period
    if (period.end - period.start).days > SESSION_LIST_MAX_DAYS:
        return ""
    params: dict[str, object] = {
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
    }
    if topic:
        params["topic"] = topic
    village = _one_village(scope)
    if village is not None:
        params["village"] = village
    return f"{reverse('trainings:session_list')}?{urlencode(params)}"


# --- The block -----------------------------------------------------------------------


def _figures(scope: DashboardScope, counts: TrainingCounts) -> tuple[KeyFigure, ...]:
    return (
        KeyFigure(
            slug="participants",
            label=_("Training participants (distinct people)"),
            value=len(counts.total.people),
            link=course_list_url(scope),
        ),
        KeyFigure(
            slug="crop_participants",
            label=_("Participants in durian, coffee and pepper courses"),
            value=len(counts.crops.people),
        ),
        KeyFigure(
            slug="sessions",
            label=_("Training sessions held"),
            value=len(counts.total.sessions),
            link=session_list_url(scope),
        ),
        KeyFigure(
            slug="attendances",
            label=_("Attendances"),
            value=counts.total.attendances,
            detail=_("one per person and session"),
        ),
    )


def _topic_row(scope: DashboardScope, topic: str, label: str, tally: _Tally) -> Row:
    links = {"participants": course_list_url(scope, topic)}
    sessions = session_list_url(scope, topic)
    if sessions:
        links["sessions"] = sessions
    return Row(
        values={
            "topic": label,
            "participants": len(tally.people),
            "sessions": len(tally.sessions),
            "attendances": tally.attendances,
        },
        links=links,
    )


def _topic_table(scope: DashboardScope, counts: TrainingCounts) -> Table:
    # Every topic, in the catalogue's order: the chart keeps the same bars whatever
    # the period, and a topic nobody was trained in shows as such.
    rows = tuple(
        _topic_row(
            scope, value, capfirst(str(label)), counts.by_topic.get(value, _Tally())
        )
        for value, label in Topic.choices
    )
    total = _topic_row(scope, "", _("All topics"), counts.total)
    return Table(
        slug="training-participants-by-topic",
        title=_("Training participants by topic"),
        columns=(
            Column("topic", _("Topic"), Kind.TEXT),
            Column("participants", _("Participants")),
            Column("sessions", _("Sessions held")),
            Column("attendances", _("Attendances")),
        ),
        rows=rows,
        total=total,
        chart=Chart(kind="bar", label_key="topic", series=("participants",)),
        note=_(
            "Distinct people who attended a session starting in the period: a person "
            "counts once in each topic, and once in the total however many topics they "
            "attended. People of the chosen villages (a walk-in by the village they "
            "gave); with an ethnic group chosen, registry members of that group only."
        ),
    )


def trainings_block(scope: DashboardScope) -> Block:
    """Training participants, sessions and attendances of the scope (one query)."""
    counts = training_counts(scope)
    return Block(
        slug="trainings",
        title=_("Trainings"),
        figures=_figures(scope, counts),
        tables=(_topic_table(scope, counts),),
    )
