"""The relay page, "Notices to forward", of a village officer (and of commune
officials, who may confirm any relay of the commune), and its "Forwarded" button.

Each waiting relay shows the exact text the group must get, in a box that can be
selected and copied without JavaScript (``static/js/relay.js`` adds a "Copy text"
button), and one big button to confirm. A relay of another village is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from households.selectors import villages_for
from households.views._common import StaffMixin

from .. import selectors, services
from ..forms import RelayFilterForm

__all__ = ["RelayConfirmView", "RelayListView"]


class RelayListView(StaffMixin, ListView):
    template_name = "outreach/relay_list.html"
    context_object_name = "relays"
    paginate_by = 20

    @cached_property
    def filter_form(self) -> RelayFilterForm:
        return RelayFilterForm(
            self.request.GET or None, villages=villages_for(self.request.user)
        )

    def get_queryset(self):
        return selectors.relays_waiting_for(
            self.request.user, village=self.filter_form.chosen_village()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["relays"] = list(page.object_list)
        now = timezone.now()
        for relay in ctx["relays"]:
            relay.waited_text = services.wait_in_words(now - relay.waiting_since)
        params = self.request.GET.copy()
        params.pop("page", None)
        user = self.request.user
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            # A filter is worth showing only to someone with several villages.
            show_filter=villages_for(user)[:2].count() > 1,
            forwarded=selectors.relays_forwarded_recently(
                user, village=self.filter_form.chosen_village()
            ),
        )
        return ctx


class RelayConfirmView(StaffMixin, View):
    """POST only: the relay was forwarded. Refusals are shown as messages on the relay
    page; nothing changes."""

    http_method_names = ["post"]

    def post(self, request, pk):
        relay = selectors.relay_get_for(request.user, pk)
        try:
            services.relay_confirm(actor=request.user, delivery=relay)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Thank you. %(title)s is marked as forwarded to %(group)s.")
                % {"title": relay.notice.title, "group": relay.group.name},
            )
        url = reverse("outreach:relay_list")
        village = request.POST.get("village", "")
        if village.isdigit():
            url += f"?village={village}"
        return redirect(url)
