"""Forms of the loan book's main screens: the application entered from a household, the
filters of the loan list and its export, and the small forms of the status actions
(approve, reject, disburse, record or reverse a repayment).

Forms check the shape of the input; the services check the rules (caps, terms, the
eligibility override, the transitions) and their ValidationErrors land on these forms.
"""

import uuid

from crispy_forms.layout import Column, Row
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from households.forms._common import (
    VNDField,
    _friendly_empty_choices,
    _helper,
    date_field,
)

from ..models import Loan, LoanProgram, LoanStatus, Purpose, Repayment
from ..selectors import OVERDUE, LoanFilters


def _label(name: str, model=Loan):
    """A field is named once: by the model's translated verbose_name."""
    return capfirst(model._meta.get_field(name).verbose_name)


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


# --- Applying for a loan ----------------------------------------------------------------


class LoanApplyForm(forms.Form):
    program = ProgramChoiceField(
        label=_label("program"),
        queryset=LoanProgram.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose a program.")},
    )
    savings_group = forms.ModelChoiceField(
        label=_label("savings_group"),
        queryset=None,
        help_text=_("The bank lends through the village's savings-and-loan groups."),
    )
    amount = VNDField(
        label=_label("amount"), help_text=_("Whole đồng, e.g. 50.000.000")
    )
    purpose = forms.ChoiceField(
        label=_label("purpose"), choices=[("", "---------"), *Purpose.choices]
    )
    term_months = forms.IntegerField(
        label=_label("term_months"),
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    applied_on = date_field(_label("applied_on"), today=True)
    contract_number = forms.CharField(
        label=_label("contract_number"),
        max_length=30,
        required=False,
        help_text=Loan._meta.get_field("contract_number").help_text,
    )
    override_reason = forms.CharField(
        label=_("Reason for lending although the rule does not say qualifies"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required only when the rule does not say “qualifies” for the chosen "
            "program: it is recorded with the loan."
        ),
    )
    notes = forms.CharField(
        label=_label("notes"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Made on GET and sent back with the POST: a double submit enters one application.
    request_key = forms.UUIDField(
        widget=forms.HiddenInput, initial=uuid.uuid4, required=False
    )

    def __init__(self, *args, programs, savings_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["savings_group"].queryset = savings_groups
        _friendly_empty_choices(self)
        # The program list is drawn by the template, with each rule's verdict.
        self.helper = _helper(
            "savings_group",
            Row(
                Column("amount", css_class="col-12 col-sm-6"),
                Column("term_months", css_class="col-12 col-sm-6"),
            ),
            Row(
                Column("purpose", css_class="col-12 col-sm-6"),
                Column("applied_on", css_class="col-12 col-sm-6"),
            ),
            "contract_number",
            "override_reason",
            "notes",
            "request_key",
        )

    def clean_contract_number(self):
        return self.cleaned_data["contract_number"].strip()


# --- The loan list ---------------------------------------------------------------------


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.village.name})"


class LoanFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("name, household code, phone or contract"),
                "type": "search",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *LoanStatus.choices,
            (OVERDUE, _("overdue")),
        ],
    )
    program = ProgramChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        empty_label=_("All programs"),
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    savings_group = GroupChoiceField(
        label=_("Savings group"),
        queryset=None,
        required=False,
        empty_label=_("All groups"),
    )
    disbursed_from = date_field(_("Disbursed from"), required=False)
    disbursed_to = date_field(_("Disbursed to"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-applied_on", _("newest application")),
            ("applied_on", _("oldest application")),
            ("-disbursed_on", _("latest disbursement")),
            ("due_on", _("due date")),
            ("-amount", _("largest amount")),
            ("household", _("household code")),
        ],
    )

    def __init__(self, *args, villages, savings_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["program"].queryset = LoanProgram.objects.all()
        self.fields["savings_group"].queryset = savings_groups.select_related(
            "village"
        ).order_by("village__sort_order", "village__name", "name")

    def clean(self):
        data = super().clean()
        start, end = data.get("disbursed_from"), data.get("disbursed_to")
        if start and end and start > end:
            self.add_error(
                "disbursed_to", _("The end of the period is before its start.")
            )
        return data

    def to_filters(self) -> LoanFilters:
        """The valid filters; an invalid field (a village outside the user's scope, a
        date that is not one) is dropped on its own and its error shown."""
        if not self.is_bound:
            return LoanFilters()
        self.is_valid()
        d = self.cleaned_data
        return LoanFilters(
            q=(d.get("q") or "").strip(),
            status=d.get("status") or "",
            program=d["program"].pk if d.get("program") else None,
            village=d["village"].pk if d.get("village") else None,
            savings_group=d["savings_group"].pk if d.get("savings_group") else None,
            disbursed_from=d.get("disbursed_from"),
            disbursed_to=d.get("disbursed_to"),
            sort=d.get("sort") or "-applied_on",
        )


# --- The status actions ------------------------------------------------------------------


class LoanApproveForm(forms.Form):
    approved_on = date_field(_label("approved_on"), today=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("approved_on")


class LoanRejectForm(forms.Form):
    rejected_on = date_field(_label("rejected_on"), today=True)
    reason = forms.CharField(
        label=_label("rejection_reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the loan is rejected.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("rejected_on", "reason")


class LoanDisburseForm(forms.Form):
    disbursed_on = date_field(_label("disbursed_on"), today=True)
    contract_number = forms.CharField(
        label=_label("contract_number"),
        max_length=30,
        required=False,
        help_text=Loan._meta.get_field("contract_number").help_text,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(
                Column("disbursed_on", css_class="col-12 col-sm-6"),
                Column("contract_number", css_class="col-12 col-sm-6"),
            )
        )


class RepaymentForm(forms.Form):
    paid_on = date_field(_label("paid_on", Repayment), today=True)
    principal = VNDField(
        label=_label("principal", Repayment),
        required=False,
        help_text=_("Whole đồng; leave empty for none."),
    )
    interest = VNDField(
        label=_label("interest", Repayment),
        required=False,
        help_text=_("Whole đồng; leave empty for none."),
    )
    # Made on GET and sent back with the POST: a double submit records once.
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "paid_on",
            Row(
                Column("principal", css_class="col-12 col-sm-6"),
                Column("interest", css_class="col-12 col-sm-6"),
            ),
            "request_key",
        )

    def clean_principal(self):
        return self.cleaned_data.get("principal") or 0

    def clean_interest(self):
        return self.cleaned_data.get("interest") or 0

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and data.get("principal", 0) == 0
            and data.get("interest", 0) == 0
        ):
            raise forms.ValidationError(_("Enter the principal or the interest paid."))
        return data


class RepaymentReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the repayment is reversed.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason")
