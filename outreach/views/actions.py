"""A notice's actions: GET shows what will happen and a small form (the confirmation),
POST calls one service. A service ValidationError goes on the form and nothing changes;
an action the user may never take (a village officer approving) is a 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView

from .. import selectors, services
from ..forms import ConfirmForm, NoticeCancelForm, NoticeScheduleForm
from ._common import (
    NoticeScopedMixin,
    add_notice_errors,
    can_cancel,
    can_resend,
    can_schedule,
    mark_notice,
)

__all__ = ["NoticeCancelView", "NoticeResendView", "NoticeScheduleView"]


class NoticeActionView(NoticeScopedMixin, FormView):
    template_name = "outreach/notice_action.html"
    title = ""
    button = ""
    button_class = "btn-success"
    explanation = ""
    commune_wide_only = False

    def dispatch(self, request, *args, **kwargs):
        if (
            self.commune_wide_only
            and request.user.is_authenticated
            and not request.user.is_commune_wide
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self) -> bool:
        """Whether the action can be taken on this notice now (else the page says so)."""
        return True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mark_notice(self.notice)
        ctx.update(
            notice=self.notice,
            title=self.title,
            button=self.button,
            button_class=self.button_class,
            explanation=self.explanation,
            allowed=self.allowed(),
        )
        return ctx

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as exc:
            add_notice_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("outreach:notice_detail", pk=self.notice.pk)


class NoticeScheduleView(NoticeActionView):
    form_class = NoticeScheduleForm
    commune_wide_only = True
    title = gettext_lazy("Approve and schedule the notice")
    button = gettext_lazy("Approve and schedule")
    explanation = gettext_lazy(
        "At the chosen time the notice goes to every active group of its villages."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "proposed": self.notice.scheduled_at}

    def allowed(self):
        return can_schedule(self.request.user, self.notice)

    def perform(self, data):
        services.notice_schedule(
            actor=self.request.user,
            notice=self.notice,
            scheduled_at=data["scheduled_at"],
        )
        return _("The notice is scheduled.")


class NoticeCancelView(NoticeActionView):
    form_class = NoticeCancelForm
    title = gettext_lazy("Cancel the notice")
    button = gettext_lazy("Cancel the notice")
    button_class = "btn-danger"
    explanation = gettext_lazy(
        "The notice will not be sent. It stays in the list with the reason."
    )

    def allowed(self):
        return can_cancel(self.request.user, self.notice)

    def perform(self, data):
        services.notice_cancel(
            actor=self.request.user, notice=self.notice, reason=data["cancel_reason"]
        )
        return _("The notice was cancelled.")


class NoticeResendView(NoticeActionView):
    form_class = ConfirmForm
    commune_wide_only = True
    title = gettext_lazy("Resend the failed deliveries")
    button = gettext_lazy("Resend")
    explanation = gettext_lazy(
        "Each failed delivery goes back to the queue and is tried again from the "
        "start. Groups that already received the notice do not get it again."
    )

    def allowed(self):
        counts = selectors.delivery_counts(self.notice)
        return can_resend(self.request.user, counts)

    def perform(self, data):
        count = services.notice_resend_failed(
            actor=self.request.user, notice=self.notice
        )
        if not count:
            raise ValidationError(_("No delivery of this notice has failed."))
        return ngettext(
            "%(count)s failed delivery will be sent again.",
            "%(count)s failed deliveries will be sent again.",
            count,
        ) % {"count": count}
