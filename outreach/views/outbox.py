"""The developer's outbox: what the console channel "sent"."""

from django.views.generic import ListView

from households.views._common import CommuneWideMixin

from .. import selectors
from ._common import DELIVERY_BADGES

__all__ = ["OutboxView"]


class OutboxView(CommuneWideMixin, ListView):
    template_name = "outreach/outbox.html"
    context_object_name = "deliveries"
    paginate_by = 25

    def get_queryset(self):
        return selectors.console_outbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["deliveries"] = list(page.object_list)
        for delivery in ctx["deliveries"]:
            delivery.badge_class = DELIVERY_BADGES[delivery.status]
        return ctx
