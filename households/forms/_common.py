"""Helpers every registry form uses: the crispy helper without a form tag, widening
``max_length`` for input typed with spaces, and the ethnic groups in their usual order.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import EthnicGroup


def _helper(*rows) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*rows)
    return helper


def _allow_spaced_input(*fields, max_length: int = 20) -> None:
    for field in fields:
        field.max_length = max_length
        field.widget.attrs["maxlength"] = max_length
        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator)
        ]


# The largest id a primary-key column holds (BigAutoField). SQLite's driver raises
# OverflowError for a bigger number (a 500), where PostgreSQL just finds nothing, so a
# typed-in id beyond it is refused by the form before any query.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> forms.IntegerField:
    """A hidden object id: a whole number a primary-key column can hold."""
    kwargs.setdefault("widget", forms.HiddenInput)
    return forms.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class BoundedIdsMixin:
    """For a ModelMultipleChoiceField: an id no column can hold is an invalid choice
    (Django's own check sends it to the database, see MAX_ID)."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk).strip().lstrip("+-")
            if text.isdigit() and int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


BLANK_CHOICE_LABEL = "---------"


def _friendly_empty_choices(form: forms.BaseForm) -> None:
    """Replace Django's "---------" with a word a first-time user understands."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == BLANK_CHOICE_LABEL:
            field.empty_label = _("— choose —")
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            field.choices = [
                (value, _("— choose —") if label == BLANK_CHOICE_LABEL else label)
                for value, label in field.choices
            ]


# No amount the commune records comes near this (a business job-creation loan is at most
# 2 billion đồng); anything above is a typing slip, and the database's 64-bit integer
# would refuse it with a message no official should see.
VND_MAX = 10**12


class VNDField(forms.IntegerField):
    """Whole đồng, typed the way people write money: "1.200.000", "1 200 000 đ"."""

    widget = forms.TextInput
    default_error_messages = {
        "max_value": _("That amount is too large; check the number of zeros."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", VND_MAX)
        super().__init__(min_value=0, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        attrs.pop("min", None)
        return attrs

    def prepare_value(self, value):
        # Shown back the way it is typed: 1040000 -> "1.040.000".
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)[\s.,]|vnd|đồng|đ|₫", "", value)
        return super().to_python(value)


def _ethnic_groups():
    # Groups present in the commune first, so the usual choice is near the top.
    return EthnicGroup.objects.order_by("-present_locally", "code")


DATE_PLACEHOLDER = "dd/mm/yyyy"


def date_field(
    label, *, required: bool = True, today: bool = False, help_text=None
) -> forms.DateField:
    """A date typed dd/mm/yyyy (the input formats of eakutur/formats; a phone shows the
    number pad), today's date as the initial value if ``today``. Every form of the
    portal takes its dates through this one field."""
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate if today else None,
        help_text=_("dd/mm/yyyy") if help_text is None else help_text,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "placeholder": DATE_PLACEHOLDER,
                "autocomplete": "off",
                "inputmode": "numeric",
            },
        ),
        error_messages={
            "invalid": _("Enter a real date as dd/mm/yyyy, for example 30/09/2025."),
            "required": _("Enter a date as dd/mm/yyyy."),
        },
    )
