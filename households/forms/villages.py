"""The village form: code, name, kind and order of a village or hamlet of the commune."""

from crispy_forms.layout import Column, Row
from django import forms

from ..models import Village
from ..text import clean_name
from ._common import _helper


class VillageForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = ("code", "name", "kind", "is_ethnic_minority", "sort_order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(
                Column("code", css_class="col-md-4"),
                Column("name", css_class="col-md-8"),
            ),
            Row(
                Column("kind", css_class="col-md-4"),
                Column("sort_order", css_class="col-md-4"),
                Column("is_ethnic_minority", css_class="col-md-4 pt-md-4"),
            ),
        )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean_name(self):
        return clean_name(self.cleaned_data["name"])
