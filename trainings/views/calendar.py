"""The calendar: one month of sessions, a grid of weeks on a desktop and a list of the
days that have sessions on a phone; the previous and next month, a village filter.

The month's sessions come from one scoped selector (``calendar_month_for``), so the
page runs the same number of queries however many sessions the month holds.
"""

from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from households.selectors import villages_for

from .. import selectors
from ..forms.sessions import CalendarFilterForm
from ._common import TrainingsTabsMixin, mark_sessions

__all__ = ["CalendarView"]


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


class CalendarView(TrainingsTabsMixin, TemplateView):
    template_name = "trainings/calendar.html"
    trainings_tab = "calendar"

    @cached_property
    def filter_form(self) -> CalendarFilterForm:
        return CalendarFilterForm(
            self.request.GET or None,
            villages=villages_for(self.request.user),
            today=timezone.localdate(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        year, month, village = self.filter_form.values()
        weeks = selectors.calendar_month_for(
            user, year=year, month=month, village=village
        )
        sessions = [s for week in weeks for day in week for s in day.sessions]
        mark_sessions(sessions, user)
        today = timezone.localdate()
        extra = f"&village={village.pk}" if village else ""
        previous, following = _shift(year, month, -1), _shift(year, month, 1)
        busy_days = [
            day for week in weeks for day in week if day.sessions and day.in_month
        ]
        ctx.update(
            filter_form=self.filter_form,
            weeks=weeks,
            busy_days=busy_days,
            session_count=sum(len(day.sessions) for day in busy_days),
            month_title=_("%(month)s %(year)s")
            % {"month": MONTHS[month], "year": year},
            weekday_names=[WEEKDAYS_ABBR[i] for i in range(7)],
            year=year,
            month=month,
            month_value=f"{year:04d}-{month:02d}",
            today=today,
            previous_url=f"?month={previous[0]:04d}-{previous[1]:02d}{extra}",
            next_url=f"?month={following[0]:04d}-{following[1]:02d}{extra}",
            this_month_url=f"?month={today:%Y-%m}{extra}",
            is_this_month=(year, month) == (today.year, today.month),
        )
        return ctx
