"""The household lookup form: the code printed on the poverty review list and the last
four digits of the head's phone or national ID number.

A malformed entry is a form error, not an attempt: it says nothing about any household,
so it is neither logged nor counted by the rate limits.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ..throttle import normalise_code

CODE_MAX_TYPED = 40  # room for spaces a resident types; 20 once they are removed
CODE_MAX = 20
FOUR_DIGITS = re.compile(r"[0-9]{4}")


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Household code"),
        max_length=CODE_MAX_TYPED,
        help_text=_(
            "As printed on the poverty review list, e.g. BT-0012. Small or capital "
            "letters, with or without spaces: both work."
        ),
        error_messages={"required": _("Type your household code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )
    digits = forms.CharField(
        label=_("Last 4 digits of the head's phone or national ID number"),
        max_length=4,
        strip=True,
        help_text=_("Either one works, e.g. 5678 if the phone is 0912 345 678."),
        error_messages={
            "required": _("Type the last 4 digits."),
            "max_length": _("Type exactly 4 digits, no more."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9]{4}",
                "autocomplete": "off",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type your household code."))
        if len("".join(self.cleaned_data["code"].split())) > CODE_MAX:
            raise forms.ValidationError(
                _("A household code has at most 20 letters and digits.")
            )
        return code

    def clean_digits(self) -> str:
        digits = self.cleaned_data["digits"]
        if not FOUR_DIGITS.fullmatch(digits):
            raise forms.ValidationError(_("Type exactly 4 digits, e.g. 5678."))
        return digits
