"""The trainings calendar: the sessions of the next weeks for the resident's village
(or every village), with places left. Never who enrolled."""

from django.utils import timezone
from django.views.generic import TemplateView

from ..public import CALENDAR_DAYS, by_day, public_sessions
from ._common import VillageMixin


class CalendarView(VillageMixin, TemplateView):
    template_name = "residents/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_all = self.village is None or self.request.GET.get("all") == "1"
        sessions = public_sessions(self.commune, None if show_all else self.village)
        context["days"] = by_day(sessions)
        context["show_all"] = show_all
        context["today"] = timezone.localdate()
        context["calendar_days"] = CALENDAR_DAYS
        return context
