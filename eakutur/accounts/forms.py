"""Forms of the staff sign-in and the "My account / Security" page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eakutur.clientip import client_address

from .lockout import SignInKey, cooldown_minutes


def locked_error() -> ValidationError:
    return ValidationError(
        _(
            "Too many failed sign-ins for this account from this network. Wait "
            "%(minutes)s minutes and try again, or ask the commune administrator to "
            "unlock it."
        ),
        code="locked",
        params={"minutes": cooldown_minutes()},
    )


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's sign-in form behind the lockout: a locked (username, address) pair is
    refused before the password is looked at, and each wrong password is counted."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # One message whether the username exists or not.
        "invalid_login": _(
            "Your username and password didn't match. Please try again."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data  # the field errors say what is missing
        key = self.signin_key()
        if key.is_locked():
            raise locked_error()
        try:
            return super().clean()
        except ValidationError:
            if key.record_failure():
                raise locked_error() from None
            raise

    def signin_key(self) -> SignInKey:
        return SignInKey.of(
            username=self.cleaned_data.get("username") or "",
            address=client_address(self.request),
        )


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            autocomplete="one-time-code",
            autocapitalize="none",
            spellcheck="false",
            autofocus=True,
            # No inputmode="numeric": a recovery code has letters.
        )


class SignInCodeForm(forms.Form):
    code = CodeField(
        label=_("Verification code"),
        help_text=_(
            "The 6 digits the authenticator app shows now, or one of your recovery codes."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("code")


class EnableSecondFactorForm(forms.Form):
    code = CodeField(
        label=_("Code from the app"),
        help_text=_(
            "The 6 digits the app shows now, after you have added the account."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.helper = _helper("code")


class DisableSecondFactorForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = CodeField(
        label=_("Verification code"),
        help_text=_("The 6 digits the app shows now, or an unused recovery code."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus")
        self.helper = _helper("password", "code")
