"""The contact screens: log a contact (a few taps on a phone), the filtered contact list
and its xlsx export, a contact's page, the follow-up list and closing a follow-up.

Every record is read through the scoped selectors: a household, village or contact
outside the user's villages is a 404, never a 403 that confirms it exists.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from households.selectors import (
    household_get_for,
    households_for,
    village_get_for,
    villages_for,
)
from households.views._common import StaffMixin, add_service_errors, xlsx_response

from .. import selectors, services
from ..forms import (
    ContactFilterForm,
    ContactForm,
    FollowUpDoneForm,
    FollowUpFilterForm,
    HouseholdSearchForm,
)
from ..forms.contacts import FOLLOW_UP_DAYS, follow_up_quick_dates
from ..models import HOUSEHOLD_CHANNELS, ContactChannel, ContactOutcome

__all__ = [
    "OUTREACH_TABS",
    "ContactCreateView",
    "ContactDetailView",
    "ContactExportView",
    "ContactListView",
    "FollowUpDoneView",
    "FollowUpListView",
    "OutreachTabsMixin",
]

# The outreach pages' own menu: (key, URL name, label). A page names its key in
# ``outreach_tab``; a new screen adds its line here (digital teams, applications).
OUTREACH_TABS: list[tuple[str, str, str]] = [
    ("contacts", "contacts:contact_list", gettext_lazy("Contacts")),
    ("follow_ups", "contacts:follow_up_list", gettext_lazy("Follow-ups")),
    ("coverage", "contacts:coverage", gettext_lazy("Coverage")),
    ("teams", "contacts:team_list", gettext_lazy("Digital teams")),
    ("applications", "contacts:application_list", gettext_lazy("Applications")),
]

# How many households the search on the log form offers at most.
SEARCH_LIMIT = 15
OUTCOME_BADGES = {
    ContactOutcome.INFORMED: "text-bg-info",
    ContactOutcome.INTERESTED: "text-bg-warning",
    ContactOutcome.HELPED: "text-bg-success",
    ContactOutcome.DECLINED: "text-bg-secondary",
    ContactOutcome.NOT_REACHED: "text-bg-light border",
}


class OutreachTabsMixin(StaffMixin):
    """Gives the page the outreach tabs (``templates/outreach/_outreach_tabs.html``)."""

    outreach_tab = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["outreach_tabs"] = [
            {"url": reverse(name), "label": label, "active": key == self.outreach_tab}
            for key, name, label in OUTREACH_TABS
        ]
        return ctx


def mark_contacts(contacts) -> None:
    """Give each contact what its row shows: the outcome badge and the topic labels (a
    resident's request about something off the list says "other")."""
    for contact in contacts:
        contact.outcome_badge = OUTCOME_BADGES.get(contact.outcome, "text-bg-light")
        contact.topic_labels = [t.get_topic_display() for t in contact.topics.all()]
        if not contact.topic_labels and contact.is_resident_request:
            contact.topic_labels = [_("other")]


def _who(contact) -> str:
    """Whom a contact was with, for a message: the household, the resident who sent a
    request, or the village."""
    if contact.household_id:
        return str(contact.household)
    return contact.requester_name or str(contact.village)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- The list and its export ---------------------------------------------------------------


def _filter_form(request) -> ContactFilterForm:
    return ContactFilterForm(request.GET or None, villages=villages_for(request.user))


class ContactListView(OutreachTabsMixin, ListView):
    template_name = "outreach/contact_list.html"
    context_object_name = "contacts"
    paginate_by = 50
    outreach_tab = "contacts"

    @cached_property
    def filter_form(self) -> ContactFilterForm:
        return _filter_form(self.request)

    @cached_property
    def filters(self):
        return self.filter_form.to_filters()

    def get_queryset(self):
        return selectors.contact_list_for(self.request.user, self.filters)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["contacts"] = list(page.object_list)
        mark_contacts(ctx["contacts"])
        params = self.request.GET.copy()
        params.pop("page", None)
        household = None
        if self.filters.household:
            household = households_for(self.request.user, include_archived=True).filter(
                pk=self.filters.household
            )
            household = household.first()
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            filters_open=any(v for k, v in params.items() if k not in ("q",))
            or bool(self.filter_form.errors),
            household=household,
        )
        return ctx


class ContactExportView(StaffMixin, View):
    def get(self, request):
        from ..spreadsheets import contacts_xlsx

        contacts = selectors.contact_list_for(
            request.user, _filter_form(request).to_filters()
        )
        today = selectors.today()
        return xlsx_response(contacts_xlsx(contacts), f"tiep-can-{today:%Y-%m-%d}.xlsx")


# --- Logging a contact ---------------------------------------------------------------------


class ContactCreateView(OutreachTabsMixin, FormView):
    """GET ``?household=<id>`` starts from a household, ``?village=<id>`` from a village,
    ``?q=`` searches the user's households. The POST goes to the same address, so the
    search and the chosen household survive a refused form."""

    template_name = "outreach/contact_form.html"
    form_class = ContactForm
    outreach_tab = "contacts"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        self.household = None
        self.village = None
        if request.GET.get("household"):
            self.household = household_get_for(
                user=user, pk=request.GET["household"], include_archived=False
            )
        if request.GET.get("village"):
            self.village = village_get_for(user=user, pk=request.GET["village"])
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def search_form(self) -> HouseholdSearchForm:
        return HouseholdSearchForm(self.request.GET or None)

    @cached_property
    def query(self) -> str:
        form = self.search_form
        if form.is_bound and form.is_valid():
            return form.cleaned_data["q"].strip()
        return ""

    def search_results(self) -> list:
        if not self.query:
            return []
        qs = selectors.household_search_for(self.request.user, self.query)
        return list(qs[: SEARCH_LIMIT + 1])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = {}
        if self.household is not None:
            initial.update(
                household=self.household, channel=ContactChannel.DOOR_TO_DOOR
            )
        elif self.village is not None:
            initial.update(village=self.village, channel=ContactChannel.MEETING)
        else:
            mine = list(villages_for(self.request.user)[:2])
            if len(mine) == 1:
                initial["village"] = mine[0]
        return initial

    def form_valid(self, form):
        try:
            contact = services.contact_log(
                user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        who = contact.household or contact.village
        if contact.follow_up_on:
            messages.success(
                self.request,
                _("Contact with %(who)s logged; follow up on %(date)s.")
                % {"who": who, "date": f"{contact.follow_up_on:%d/%m/%Y}"},
            )
        else:
            messages.success(
                self.request, _("Contact with %(who)s logged.") % {"who": who}
            )
        return redirect(f"{reverse('contacts:contact_create')}?saved={contact.pk}")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        user = self.request.user
        results = self.search_results()
        # The households offered: the search results, else the chosen one (from the
        # address or from the refused form).
        offered = results[:SEARCH_LIMIT]
        chosen = self.household
        if form.is_bound:
            pk = str(form.data.get("household") or "")
            chosen = (
                households_for(user).select_related("village").filter(pk=pk).first()
                if pk.isdigit()
                else None
            )
        if chosen is not None and all(h.pk != chosen.pk for h in offered):
            offered.insert(0, chosen)
        saved = None
        if self.request.GET.get("saved", "").isdigit():
            saved = (
                selectors.contacts_for(user)
                .select_related("household", "village")
                .filter(pk=self.request.GET["saved"])
                .first()
            )
        today = selectors.today()
        ctx.update(
            search_form=self.search_form,
            query=self.query,
            offered=offered,
            chosen_pk=chosen.pk if chosen is not None else None,
            more_results=len(results) > SEARCH_LIMIT,
            searched=bool(self.query),
            household=self.household,
            village=self.village,
            saved=saved,
            household_channels=[str(c) for c in HOUSEHOLD_CHANNELS],
            quick_dates=follow_up_quick_dates(today),
            follow_up_days=FOLLOW_UP_DAYS,
            channel_hints=CHANNEL_HINTS,
        )
        return ctx


# What each channel means, under its button.
CHANNEL_HINTS = {
    ContactChannel.DOOR_TO_DOOR: gettext_lazy("one household"),
    ContactChannel.PHONE: gettext_lazy("one household"),
    ContactChannel.MEETING: gettext_lazy("the village, or one household at it"),
    ContactChannel.ZALO_GROUP: gettext_lazy("the whole village"),
    ContactChannel.INFO_PAGE: gettext_lazy("the whole village"),
    ContactChannel.LOUDSPEAKER: gettext_lazy("the whole village"),
}


# --- One contact ------------------------------------------------------------------------------


class ContactDetailView(OutreachTabsMixin, TemplateView):
    template_name = "outreach/contact_detail.html"
    outreach_tab = "contacts"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        contact = selectors.contact_get_for(self.request.user, kwargs["pk"])
        mark_contacts([contact])
        today = selectors.today()
        ctx.update(
            contact=contact,
            done_form=FollowUpDoneForm(),
            follow_up_open=contact.follow_up_on is not None
            and contact.follow_up_done_at is None,
            overdue=contact.follow_up_on is not None
            and contact.follow_up_done_at is None
            and contact.follow_up_on < today,
        )
        return ctx


# --- Follow-ups --------------------------------------------------------------------------------


class FollowUpListView(OutreachTabsMixin, ListView):
    """The open follow-ups of the user's villages, overdue first. A village officer sees
    their villages'; a commune official all, with a village filter."""

    template_name = "outreach/contact_follow_ups.html"
    context_object_name = "follow_ups"
    paginate_by = 50
    outreach_tab = "follow_ups"

    @cached_property
    def filter_form(self) -> FollowUpFilterForm:
        return FollowUpFilterForm(
            self.request.GET or None, villages=villages_for(self.request.user)
        )

    @cached_property
    def today(self):
        return selectors.today()

    def get_queryset(self):
        village, mine = self.filter_form.values()
        return selectors.follow_ups_for(
            self.request.user,
            today=self.today,
            village=village,
            made_by=self.request.user if mine else None,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = ctx["page_obj"]
        page.object_list = ctx["follow_ups"] = list(page.object_list)
        mark_contacts(ctx["follow_ups"])
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            filter_form=self.filter_form,
            querystring=params.urlencode(),
            filtered=any(params.values()),
            today=self.today,
            several_villages=len(self.filter_form.fields["village"].queryset[:2]) > 1,
            done_form=FollowUpDoneForm(),
        )
        return ctx


class FollowUpDoneView(OutreachTabsMixin, FormView):
    """GET shows the follow-up and a note field; POST closes it."""

    template_name = "outreach/contact_follow_up_done.html"
    form_class = FollowUpDoneForm
    outreach_tab = "follow_ups"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.contact = selectors.contact_get_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.contact_follow_up_done(
                user=self.request.user,
                contact=self.contact,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        who = _who(self.contact)
        messages.success(
            self.request, _("Follow-up with %(who)s marked done.") % {"who": who}
        )
        return redirect(_safe_next(self.request, reverse("contacts:follow_up_list")))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mark_contacts([self.contact])
        ctx.update(
            contact=self.contact,
            next=_safe_next(self.request, ""),
            already_done=self.contact.follow_up_done_at is not None,
            planned=self.contact.follow_up_on is not None,
        )
        return ctx
