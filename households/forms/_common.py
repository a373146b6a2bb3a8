"""Helpers every registry form uses: the crispy helper without a form tag, widening
``max_length`` for input typed with spaces, and the ethnic groups in their usual order.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django.core.validators import MaxLengthValidator

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


def _ethnic_groups():
    # Groups present in the commune first, so the usual choice is near the top.
    return EthnicGroup.objects.order_by("-present_locally", "code")
