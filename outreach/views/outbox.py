"""The developer's outbox (what the console channel "sent") and the village groups."""

from django.views.generic import ListView

from households.views._common import CommuneWideMixin, StaffMixin

from .. import selectors
from ._common import DELIVERY_BADGES, mask_address

__all__ = ["GroupListView", "OutboxView"]


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


class GroupListView(StaffMixin, ListView):
    template_name = "outreach/group_list.html"
    context_object_name = "groups"
    paginate_by = 100

    def get_queryset(self):
        return selectors.village_groups_for(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["groups"] = list(page.object_list)
        for group in ctx["groups"]:
            group.masked_address = mask_address(group.external_id)
        return ctx
