"""The relay page's filter: a commune official (or an officer of several villages) looks
at one village's relays."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .groups import VillageChoiceField


class RelayFilterForm(forms.Form):
    village = VillageChoiceField(
        label=_("Village"), queryset=None, required=False, empty_label=_("All villages")
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages

    def chosen_village(self):
        """The chosen village, or None (also for one outside the user's villages)."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data.get("village")
