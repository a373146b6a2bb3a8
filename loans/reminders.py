"""Repayment-due reminders: a village-level notice a few days before instalments fall due.

Every hour (beat), ``repayment_reminders_schedule`` looks ``LOAN_REMINDER_DAYS_AHEAD`` days
ahead, finds the disbursed loans with a planned instalment on that day that is not paid
in advance, and asks the notice service for one notice per village, sent at
``LOAN_REMINDER_SEND_AT`` (local time) today. The notice names no household: a village
Zalo group is no place for who owes what (Decree 13/2023 treats financial data as
sensitive), so it gives the date and how many households of the village are due, and
where to pay. The notice's key ("loan-due:<village>:<date>") makes the hourly run
idempotent; a run that starts after the sending time schedules the notice a few minutes
ahead instead of in the past.
"""

import calendar
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.models import Commune, Village
from outreach.models import NoticeSource
from outreach.services import notice_schedule_automatic

from .interest import OVERDUE_RATE_MULTIPLIER, repayment_schedule
from .models import Loan, LoanStatus

SOURCE_KEY_PREFIX = "loan-due"
# A run after the sending time sends this long after it, not in the past.
LATE_RUN_DELAY = timedelta(minutes=5)


def _candidates(due_day: date):
    """Disbursed loans that may have an instalment on ``due_day``: instalments fall on the
    anniversaries of the disbursement (clipped to the month's end) and on the due date."""
    anniversary = Q(disbursed_on__month=due_day.month, disbursed_on__day=due_day.day)
    if due_day.day == calendar.monthrange(due_day.year, due_day.month)[1]:
        # 29/02 disbursements fall due on 28/02 in other years.
        anniversary |= Q(
            disbursed_on__month=due_day.month, disbursed_on__day__gt=due_day.day
        )
    return Loan.objects.filter(
        Q(due_on=due_day) | (anniversary & Q(due_on__gt=due_day)),
        status=LoanStatus.DISBURSED,
        disbursed_on__lt=due_day,
    ).only(
        "pk",
        "commune_id",
        "household_id",
        "household__village_id",
        "amount",
        "annual_rate",
        "disbursed_on",
        "term_months",
        "principal_repaid",
    )


def instalment_due(loan: Loan, due_day: date) -> bool:
    """True when the loan plans an instalment on ``due_day`` not already paid ahead."""
    planned_through = 0
    for instalment in repayment_schedule(
        amount=loan.amount,
        annual_rate=loan.annual_rate,
        disbursed_on=loan.disbursed_on,
        term_months=loan.term_months,
    ):
        planned_through += instalment.principal
        if instalment.due_on == due_day:
            return loan.principal_repaid < planned_through
    return False


def households_due_by_village(due_day: date) -> dict[tuple[int, int], int]:
    """(commune id, village id) → distinct households with an instalment on the day."""
    households: dict[tuple[int, int], set[int]] = {}
    for loan in _candidates(due_day).select_related("household"):
        if instalment_due(loan, due_day):
            key = (loan.commune_id, loan.household.village_id)
            households.setdefault(key, set()).add(loan.household_id)
    return {key: len(ids) for key, ids in households.items()}


def _send_at(today: date, now: datetime) -> datetime:
    local = ZoneInfo(settings.TIME_ZONE)
    hour, minute = (int(part) for part in settings.LOAN_REMINDER_SEND_AT.split(":"))
    planned = datetime.combine(today, time(hour, minute), tzinfo=local)
    return max(planned, now + LATE_RUN_DELAY)


def reminder_text(
    *, village: Village, due_day: date, households: int
) -> tuple[str, str]:
    """The title and body, in the portal's language (Vietnamese): no names, no amounts."""
    with translation.override(settings.LANGUAGE_CODE):
        day = formats.date_format(due_day, "SHORT_DATE_FORMAT")
        title = _("Loan repayments due on %(day)s") % {"day": day}
        body = ngettext(
            "On %(day)s, %(count)s household in %(village)s has a preferential loan "
            "instalment due.",
            "On %(day)s, %(count)s households in %(village)s have a preferential loan "
            "instalment due.",
            households,
        ) % {"day": day, "count": households, "village": village.name}
        body += " " + _(
            "Please pay through your savings and loan group or at the commune "
            "transaction point on time: a late instalment pays %(rate)s of the normal "
            "interest rate. A household that cannot pay should tell the village officer, "
            "who will explain what can be done."
        ) % {"rate": f"{OVERDUE_RATE_MULTIPLIER:.0%}"}
    return title, body


def repayment_reminders_schedule(*, today: date | None = None) -> int:
    """Schedule the reminders for the instalments due in ``LOAN_REMINDER_DAYS_AHEAD``
    days; returns how many notices were created (0 on a repeated run)."""
    now = timezone.now()
    today = today or timezone.localdate()
    due_day = today + timedelta(days=settings.LOAN_REMINDER_DAYS_AHEAD)
    counts = households_due_by_village(due_day)
    if not counts:
        return 0
    villages = Village.objects.in_bulk([village_id for _c, village_id in counts])
    communes = Commune.objects.in_bulk({commune_id for commune_id, _v in counts})
    created = Counter()
    for (commune_id, village_id), households in sorted(counts.items()):
        village = villages[village_id]
        title, body = reminder_text(
            village=village, due_day=due_day, households=households
        )
        notice = notice_schedule_automatic(
            commune=communes[commune_id],
            source=NoticeSource.LOAN_REMINDER,
            source_key=f"{SOURCE_KEY_PREFIX}:{village_id}:{due_day.isoformat()}",
            title=title,
            body=body,
            villages=[village],
            scheduled_at=_send_at(today, now),
        )
        created[notice is not None] += 1
    return created[True]
