"""Project-level pages: the staff home after login."""

from datetime import timedelta

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from households.selectors import village_list_for, village_totals
from loans.selectors import loan_book_summary
from outreach.models import NoticeStatus
from outreach.selectors import follow_up_counts, notices_for, relay_waiting_count
from trainings.models import SessionStatus
from trainings.selectors import upcoming_sessions_for

# The staff home lists the trainings of the coming week.
TRAININGS_AHEAD = timedelta(days=7)


class StaffHomeView(LoginRequiredMixin, TemplateView):
    template_name = "staff_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        villages = village_list_for(user=self.request.user)
        ctx["villages"] = villages
        ctx["totals"] = village_totals(villages)
        ctx["loans"] = loan_book_summary(user=self.request.user)
        # Notices waiting for a village officer to forward them by hand (relay groups).
        ctx["relays_waiting"] = relay_waiting_count(self.request.user)
        user = self.request.user
        ctx["follow_ups"] = follow_up_counts(user, today=timezone.localdate())
        today = timezone.localdate()
        ctx["trainings"] = list(
            upcoming_sessions_for(user, start=today, end=today + TRAININGS_AHEAD)
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("course", "village")[:5]
        )
        ctx["notices_to_approve"] = (
            notices_for(user).filter(status=NoticeStatus.SUBMITTED).count()
            if user.is_commune_wide
            else None
        )
        return ctx


def csrf_failure(request, reason=""):
    """A translated page instead of Django's English CSRF failure page."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
