"""The notice screens: the filtered list with delivery counts, compose with a preview per
village, and the notice's page with its deliveries by village."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from households.selectors import villages_for
from households.views._common import StaffMixin

from .. import selectors, services
from ..forms import NoticeComposeForm, NoticeFilterForm
from ..models import DeliveryStatus, NoticeStatus
from ._common import (
    DELIVERY_BADGES,
    LIVE_STATUSES,
    NoticeScopedMixin,
    add_notice_errors,
    can_cancel,
    can_resend,
    can_schedule,
    mark_notice,
)

__all__ = ["NoticeComposeView", "NoticeDetailView", "NoticeListView"]


class NoticeListView(StaffMixin, ListView):
    template_name = "outreach/notice_list.html"
    context_object_name = "notices"
    paginate_by = 25

    @cached_property
    def filter_form(self) -> NoticeFilterForm:
        return NoticeFilterForm(
            self.request.GET or None, villages=villages_for(self.request.user)
        )

    def get_queryset(self):
        return selectors.notice_list_for(
            self.request.user, self.filter_form.to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["notices"] = list(page.object_list)
        for notice in ctx["notices"]:
            mark_notice(notice, notice.village_count)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
        )
        return ctx


class NoticeComposeView(StaffMixin, FormView):
    """POST with ``action=preview`` shows the form again with what each village will
    get; any other POST saves (and schedules, or asks for approval)."""

    template_name = "outreach/notice_form.html"
    form_class = NoticeComposeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        if self.request.POST.get("action") == "preview":
            return self.render_to_response(
                self.get_context_data(form=form, preview=self.preview(form))
            )
        try:
            notice = services.notice_compose(
                actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_notice_errors(form, exc)
            return self.form_invalid(form)
        if notice.status == NoticeStatus.SCHEDULED:
            messages.success(self.request, _("The notice is scheduled."))
        else:
            messages.success(
                self.request,
                _("The notice was sent to a commune official for approval."),
            )
        return redirect("outreach:notice_detail", pk=notice.pk)

    def preview(self, form):
        user, d = self.request.user, form.cleaned_data
        return selectors.notice_preview(
            commune_id=user.commune_id,
            audience=d["audience"],
            chosen=d["villages"],
            title=d["title"],
            body=d["body"],
            second_language=d["second_language"],
            body_second=d["body_second"],
            second_language_villages=d["second_language_villages"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["save_label"] = (
            _("Save and schedule")
            if self.request.user.is_commune_wide
            else _("Save and ask for approval")
        )
        return ctx


class NoticeDetailView(NoticeScopedMixin, TemplateView):
    template_name = "outreach/notice_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        notice, user = self.notice, self.request.user
        mark_notice(notice)
        deliveries = list(selectors.deliveries_of(notice, user))
        counts = dict.fromkeys(DeliveryStatus.values, 0)
        for delivery in deliveries:
            delivery.badge_class = DELIVERY_BADGES[delivery.status]
            counts[delivery.status] += 1
        ctx.update(
            notice=notice,
            deliveries=deliveries,
            counts=counts,
            total=len(deliveries),
            live=notice.status in LIVE_STATUSES,
            can_schedule=can_schedule(user, notice),
            can_cancel=can_cancel(user, notice),
            can_resend=can_resend(user, counts),
            list_url=reverse("outreach:notice_list"),
        )
        return ctx
