"""A resident asks to join a training or to be called about a loan, health insurance, a
job... The request becomes a follow-up due today in the village officer's list
(``outreach.services.resident_request_create``).

Every request sent or refused by the rate limit is logged as a ``PublicAttempt``: the
village and the proven household, never the name or the phone. A form with errors is
not an attempt (nothing is saved, nothing counted). A robot that fills the hidden
"leave empty" box is shown the thanks page and nothing is kept.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from households.views._common import add_service_errors
from outreach.models import ContactTopicChoice
from outreach.services import resident_request_create

from ..forms.request import TOPIC_CHOICES, RequestForm
from ..models import AttemptAction, AttemptOutcome, PublicAttempt
from ..selectors import village_helpers
from ..session import looked_up_household
from ..throttle import request_allowed
from ._common import (
    CommunePageMixin,
    VillageMixin,
    client_address,
    public_villages,
    remember_village,
    remembered_village,
)

TOO_MANY = 429


@method_decorator(never_cache, name="dispatch")  # it may show a proven household
class RequestView(CommunePageMixin, TemplateView):
    """GET: the form (``?topic=loans`` and ``?session=<pk>`` preselect, the remembered
    village is chosen). POST: send it, then go to the thanks page."""

    template_name = "residents/request.html"

    def dispatch(self, request, *args, **kwargs):
        self.household = looked_up_household(request.session, commune=self.commune)
        return super().dispatch(request, *args, **kwargs)

    def _village(self):
        if self.household is not None:
            return self.household.village
        return remembered_village(self.request)

    def _initial(self) -> dict:
        initial = {}
        topic = self.request.GET.get("topic")
        if topic in dict(TOPIC_CHOICES):
            initial["topic"] = topic
        village = self._village()
        if village is not None:
            initial["village"] = village.pk
        return initial

    def _form(self, data=None) -> RequestForm:
        session_pk = self.request.GET.get("session")
        form = RequestForm(
            data,
            initial=self._initial(),
            village=self._village(),
            villages=public_villages(self.request),
            commune=self.commune,
            household=self.household,
            session_pk=session_pk,
        )
        offered = form.fields["session"].queryset
        if (
            data is None
            and session_pk
            and session_pk.isdigit()
            and offered.filter(pk=session_pk).exists()
        ):
            form.initial.update(
                session=int(session_pk), topic=ContactTopicChoice.TRAININGS.value
            )
        return form

    def get(self, request, *args, **kwargs):
        response = self.render_to_response(self.get_context_data(form=self._form()))
        return remember_village(response, remembered_village(request))

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if form.is_robot:
            return redirect("residents:request_sent")
        address = client_address(request)
        if not request_allowed(address=address):
            self._log(AttemptOutcome.THROTTLED, address, form.posted_village())
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=TOO_MANY)
        if form.is_valid():
            try:
                with transaction.atomic():
                    contact = resident_request_create(**form.service_kwargs())
                    self._log(AttemptOutcome.SENT, address, contact.village)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return remember_village(
                    redirect("residents:request_sent"), contact.village
                )
        return self.render_to_response(self.get_context_data(form=form))

    def _log(self, outcome: str, address: str, village) -> None:
        household = self.household
        PublicAttempt.objects.create(
            action=AttemptAction.REQUEST,
            outcome=outcome,
            address=address,
            household=household,
            village=household.village if household is not None else village,
            commune=self.commune,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        village = self._village()
        context.update(
            household=self.household,
            village=village,
            has_sessions=form.fields["session"].queryset.exists(),
        )
        if context.get("throttled"):
            context["helpers"] = village_helpers(village)
        return context


class RequestSentView(VillageMixin, TemplateView):
    """The thanks: the village officer will call; meanwhile, the village's helpers."""

    template_name = "residents/request_sent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["helpers"] = village_helpers(self.village)
        return context
