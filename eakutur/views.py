"""Project-level pages: the staff home after login."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from households.selectors import village_list_for, village_totals
from loans.selectors import loan_book_summary


class StaffHomeView(LoginRequiredMixin, TemplateView):
    template_name = "staff_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        villages = village_list_for(user=self.request.user)
        ctx["villages"] = villages
        ctx["totals"] = village_totals(villages)
        ctx["loans"] = loan_book_summary(user=self.request.user)
        return ctx


def csrf_failure(request, reason=""):
    """A translated page instead of Django's English CSRF failure page."""
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
