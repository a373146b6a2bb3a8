"""Savings-group screens (the list, setting up and editing a group, its page with members
and loans, adding and removing a member household) and the program catalogue.

Every group URL loads the group through ``savings_group_get_for``: another village's group
is a 404 for a village officer, whatever the action. The group page shows each member
household's poverty status: one read audit entry per view (``audit_read``).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from eakutur.audit.models import SensitiveField
from eakutur.audit.services import audit_read
from households.forms import ReasonForm
from households.selectors import households_for, villages_for
from households.views._common import StaffMixin, add_service_errors, initial_village

from .. import selectors, services
from ..forms.groups import (
    GroupFilterForm,
    MemberAddForm,
    MemberSearchForm,
    SavingsGroupForm,
)
from ..models import OVERDUE_RATE_MULTIPLIER, LoanProgram, LoanStatus
from ..services import GROUP_FIELDS


class GroupScopedMixin(StaffMixin):
    """Loads ``self.group`` through the scoped selector before anything else runs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.group = selectors.savings_group_get_for(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["group"] = self.group
        return ctx


class GroupListView(StaffMixin, ListView):
    template_name = "loans/group_list.html"
    context_object_name = "groups"
    paginate_by = 25

    def get_filter_form(self) -> GroupFilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = GroupFilterForm(
                self.request.GET or None, villages=villages_for(self.request.user)
            )
        return self._filter_form

    def get_queryset(self):
        return selectors.savings_group_list_for(
            user=self.request.user, **self.get_filter_form().to_filters()
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx["filter_form"] = self.get_filter_form()
        ctx["querystring"] = params.urlencode()
        ctx["filtered"] = any(params.values())
        # Commune-wide users set up groups anywhere; an officer in their own villages.
        ctx["can_create"] = villages_for(self.request.user).exists()
        return ctx


class GroupCreateView(StaffMixin, FormView):
    template_name = "loans/group_form.html"
    form_class = SavingsGroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        villages = villages_for(self.request.user)
        kwargs["villages"] = villages
        village = initial_village(self.request, villages)
        if village:
            kwargs.setdefault("initial", {})["village"] = village
        return kwargs

    def form_valid(self, form):
        fields = dict(form.cleaned_data)
        village = fields.pop("village")
        try:
            group = services.savings_group_create(
                actor=self.request.user, village=village, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The savings group %(name)s was set up.") % {"name": group.name},
        )
        return redirect(group)


class GroupUpdateView(GroupScopedMixin, FormView):
    template_name = "loans/group_form.html"
    form_class = SavingsGroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.group
        kwargs["villages"] = villages_for(self.request.user)
        return kwargs

    def form_valid(self, form):
        changes = {name: form.cleaned_data[name] for name in GROUP_FIELDS}
        # form.instance was changed by ModelForm validation; reload the stored row.
        stored = selectors.savings_group_get_for(
            user=self.request.user, pk=self.group.pk
        )
        try:
            services.savings_group_update(
                actor=self.request.user, group=stored, changes=changes
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The savings group was saved."))
        return redirect(stored)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The breadcrumb names the stored group, not what was typed into the form.
        ctx["group"] = selectors.savings_group_get_for(
            user=self.request.user, pk=self.group.pk
        )
        return ctx


class GroupDetailView(GroupScopedMixin, TemplateView):
    template_name = "loans/group_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        group, today = self.group, selectors.today()
        loans = list(selectors.savings_group_loans(group, user=self.request.user))
        for loan in loans:
            loan.overdue_now = loan.is_overdue(today)
        unsettled = {
            loan.household_id
            for loan in loans
            if loan.status
            in (LoanStatus.APPLIED, LoanStatus.APPROVED, LoanStatus.DISBURSED)
        }
        members = list(selectors.savings_group_members(group, user=self.request.user))
        for member in members:
            member.has_unsettled_loan = member.pk in unsettled
        if members:  # a group with no member showed nobody's status
            audit_read(
                actor=self.request.user,
                instance=group,
                fields=[SensitiveField.POVERTY_STATUS],
                details={"rows": len(members)},
                note=self.request.path,
            )
        ctx["members"] = members
        ctx["loans"] = loans
        ctx["totals"] = {
            "disbursed": sum(loan.amount for loan in loans if loan.disbursed_on),
            "outstanding": sum(loan.outstanding for loan in loans),
            "overdue": sum(loan.overdue_now for loan in loans),
        }
        search = MemberSearchForm(self.request.GET or None)
        query = search.query()
        ctx["search_form"] = search
        ctx["member_q"] = query
        if query:
            member_pks = {m.pk for m in members}
            candidates = list(
                selectors.household_choices_for(
                    user=self.request.user, q=query, village=group.village_id
                )
            )
            for household in candidates:
                household.is_member = household.pk in member_pks
                household.can_join = household.village_id == group.village_id
            ctx["candidates"] = candidates
        return ctx


class GroupMemberAddView(GroupScopedMixin, View):
    """POST only: add the household picked from the search results."""

    def post(self, request, pk):
        form = MemberAddForm(request.POST, households=households_for(request.user))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.group)
        household = form.cleaned_data["household"]
        try:
            services.savings_group_add_member(
                actor=request.user, group=self.group, household=household
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(self.group)
        messages.success(
            request,
            _("Household %(code)s (%(head)s) is now a member of the group.")
            % {"code": household.code, "head": household.head_name},
        )
        return redirect(
            reverse("loans:group_detail", args=[self.group.pk]) + "#members"
        )


class GroupMemberRemoveView(GroupScopedMixin, FormView):
    """GET asks for the reason; POST removes the household from the group."""

    template_name = "loans/group_member_remove.html"
    form_class = ReasonForm

    def get_household(self):
        if not hasattr(self, "_household"):
            household = (
                selectors.savings_group_members(self.group, user=self.request.user)
                .filter(pk=self.kwargs["household_pk"])
                .first()
            )
            if household is None:
                raise Http404
            self._household = household
        return self._household

    def get(self, request, *args, **kwargs):
        self.get_household()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_household()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["household"] = self.get_household()
        return ctx

    def form_valid(self, form):
        household = self.get_household()
        try:
            services.savings_group_remove_member(
                actor=self.request.user,
                group=self.group,
                household=household,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Household %(code)s left the group.") % {"code": household.code},
        )
        return redirect(
            reverse("loans:group_detail", args=[self.group.pk]) + "#members"
        )


# --- The program catalogue ------------------------------------------------------------


def _plain(rate: Decimal) -> Decimal:
    """6.60 -> 6.6, 9.00 -> 9, 8.580 -> 8.58 (shown localised: "6,6", "8,58")."""
    if rate == rate.to_integral_value():
        return rate.quantize(Decimal(1))
    return rate.normalize()


@dataclass(frozen=True)
class CatalogueEntry:
    program: LoanProgram
    rate: Decimal
    overdue_rate: Decimal
    loans_outstanding: int
    outstanding: int


def program_catalogue(user) -> list[CatalogueEntry]:
    return [
        CatalogueEntry(
            program=p,
            rate=_plain(p.annual_rate),
            overdue_rate=_plain(p.annual_rate * OVERDUE_RATE_MULTIPLIER),
            loans_outstanding=n,
            outstanding=owed,
        )
        for p, n, owed in selectors.program_catalogue(user=user)
    ]


class ProgramListView(StaffMixin, TemplateView):
    template_name = "loans/program_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entries"] = program_catalogue(self.request.user)
        ctx["overdue_percent"] = int(OVERDUE_RATE_MULTIPLIER * 100)
        return ctx
