"""Forms of the assisted application screens: find the household, record or correct an
application, change its status, and the list's filters."""

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.forms._common import _friendly_empty_choices, _helper

from ..models import ApplicationStatus, AssistedApplication, PublicService
from ..selectors import ApplicationFilters
from .teams import _label, date_field

OPEN = "open"  # status filter value: every status not yet final


def _app_label(name: str) -> str:
    return _label(AssistedApplication, name)


class HelperChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if obj.role == "member":
            return obj.full_name
        return f"{obj.full_name} ({obj.get_role_display()})"


class ApplicationHouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the household"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("name, household code or phone"),
                "type": "search",
                "autocomplete": "off",
            }
        ),
    )


class ApplicationForm(forms.Form):
    service = forms.ChoiceField(
        label=_app_label("service"), choices=[("", "---------"), *PublicService.choices]
    )
    service_detail = forms.CharField(
        label=_app_label("service_detail"),
        max_length=200,
        required=False,
        help_text=AssistedApplication._meta.get_field("service_detail").help_text,
    )
    filed_on = date_field(_app_label("filed_on"))
    reference_number = forms.CharField(
        label=_app_label("reference_number"),
        max_length=60,
        required=False,
        help_text=AssistedApplication._meta.get_field("reference_number").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "on"}),
    )
    helped_by = HelperChoiceField(
        label=_app_label("helped_by"),
        queryset=None,
        required=False,
        empty_label=_("— nobody from the team —"),
    )
    follow_up_on = date_field(
        _app_label("follow_up_on"),
        required=False,
        help_text=_("dd/mm/yyyy; the day to check the result on the portal."),
    )
    note = forms.CharField(
        label=_app_label("note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helped_by"].queryset = helpers
        self.fields["filed_on"].initial = timezone.localdate
        _friendly_empty_choices(self)
        self.helper = _helper(
            Row(
                Column("service", css_class="col-md-6"),
                Column("service_detail", css_class="col-md-6"),
            ),
            Row(
                Column("filed_on", css_class="col-sm-6"),
                Column("reference_number", css_class="col-sm-6"),
            ),
            "helped_by",
            "follow_up_on",
            "note",
        )

    @classmethod
    def initial_for(cls, application: AssistedApplication) -> dict:
        return {
            "service": application.service,
            "service_detail": application.service_detail,
            "filed_on": application.filed_on,
            "reference_number": application.reference_number,
            "helped_by": application.helped_by_id,
            "follow_up_on": application.follow_up_on,
            "note": application.note,
        }


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), widget=forms.RadioSelect, choices=()
    )
    follow_up_on = date_field(
        _app_label("follow_up_on"),
        required=False,
        help_text=_("dd/mm/yyyy; leave empty if there is nothing to check."),
    )
    note = forms.CharField(
        label=_("Note for the history"),
        max_length=500,
        required=False,
        help_text=_("e.g. which papers are missing, or what the result was."),
    )

    def __init__(self, *args, application: AssistedApplication, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        current = (
            application.status,
            _("%(status)s (unchanged, only the follow-up date)")
            % {"status": application.get_status_display()},
        )
        self.fields["status"].choices = [
            *((s, ApplicationStatus(s).label) for s in allowed),
            current,
        ]
        if allowed:
            self.fields["status"].initial = allowed[0]
        self.fields["follow_up_on"].initial = application.follow_up_on
        self.helper = _helper("status", "follow_up_on", "note")


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("household name, code, phone or reference"),
                "type": "search",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            (OPEN, _("not finished yet")),
            *ApplicationStatus.choices,
        ],
    )
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        choices=[("", _("All services")), *PublicService.choices],
    )
    village = forms.ModelChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )
    filed_from = date_field(_("Filed from"), required=False, help_text="")
    filed_to = date_field(_("Filed to"), required=False, help_text="")
    follow_up = forms.BooleanField(
        label=_("Only those to follow up now"), required=False
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def clean(self):
        data = super().clean()
        start, end = data.get("filed_from"), data.get("filed_to")
        if start and end and start > end:
            self.add_error("filed_to", _("The end of the period is before its start."))
        return data

    def to_filters(self) -> ApplicationFilters:
        """The valid filters; an invalid field (a village outside the user's scope, a
        date that is not one) is dropped on its own and its error shown."""
        if not self.is_bound:
            return ApplicationFilters()
        self.is_valid()
        d = self.cleaned_data
        status = d.get("status") or ""
        return ApplicationFilters(
            q=(d.get("q") or "").strip(),
            status="" if status == OPEN else status,
            open_only=status == OPEN,
            service=d.get("service") or "",
            village=d["village"].pk if d.get("village") else None,
            filed_from=d.get("filed_from"),
            filed_to=d.get("filed_to") if "filed_to" not in self.errors else None,
            follow_up_due=bool(d.get("follow_up")),
        )
