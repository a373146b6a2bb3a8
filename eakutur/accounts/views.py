"""The staff sign-in (password, then the code when a second factor is on), the admin's
sign-in sent through it, and the "My account / Security" pages."""

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from eakutur.clientip import client_address

from . import second_factor, totp
from .forms import (
    DisableSecondFactorForm,
    EnableSecondFactorForm,
    LockoutAuthenticationForm,
    SignInCodeForm,
    locked_error,
)
from .lockout import SignInKey
from .models import RecoveryCode, User

# Between a right password and the code: who, how they authenticated, where to go next.
PENDING_SIGNIN_KEY = "accounts_signin_pending"
PENDING_SIGNIN_SECONDS = 300
RECOVERY_CODES_TO_SHOW_KEY = "accounts_recovery_codes_to_show"


class SignInView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        key = form.signin_key()
        if not second_factor.has_second_factor(user):
            key.clear_failures()
            return super().form_valid(form)
        # Not signed in yet: the session only remembers who is half-way, for a while.
        session = self.request.session
        session.cycle_key()
        until = timezone.now() + timedelta(seconds=PENDING_SIGNIN_SECONDS)
        session[PENDING_SIGNIN_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "username": key.username,
            "next": self.get_success_url(),
            "until": until.isoformat(),
        }
        return redirect("accounts:signin_code")


def _pending_signin(session) -> dict | None:
    pending = session.get(PENDING_SIGNIN_KEY)
    try:
        if pending and datetime.fromisoformat(pending["until"]) > timezone.now():
            return pending
    except (KeyError, TypeError, ValueError):
        pass
    session.pop(PENDING_SIGNIN_KEY, None)
    return None


class SignInCodeView(FormView):
    """The second step: the session is signed in only once the code is right. Wrong
    codes count towards the same lockout as wrong passwords."""

    template_name = "registration/login_code.html"
    form_class = SignInCodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = _pending_signin(request.session)
        if self.pending is None:
            messages.info(
                request, _("Enter your username and password again to sign in.")
            )
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        key = SignInKey(
            username=self.pending["username"], address=client_address(self.request)
        )
        if key.is_locked():
            return self._refuse(form, locked_error())
        user = User.objects.filter(pk=self.pending["user"], is_active=True).first()
        accepted = user and second_factor.second_factor_check(
            user=user, code=form.cleaned_data["code"]
        )
        if not accepted:
            if key.record_failure():
                return self._refuse(form, locked_error())
            form.add_error("code", _("The code is not right, or was already used."))
            return self.form_invalid(form)
        key.clear_failures()
        del self.request.session[PENDING_SIGNIN_KEY]
        login(self.request, user, backend=self.pending["backend"])
        if accepted.recovery_codes_left is not None:
            messages.warning(
                self.request,
                _(
                    "You signed in with a recovery code; %(left)s are left. If your "
                    "phone is lost, turn the second factor off and on again to set up "
                    "a new one."
                )
                % {"left": accepted.recovery_codes_left},
            )
        return redirect(self.pending["next"])

    def _refuse(self, form, error: ValidationError):
        """Locked: the half-way sign-in is over; the page says why and links back."""
        self.request.session.pop(PENDING_SIGNIN_KEY, None)
        form.add_error(None, error)
        return self.render_to_response(self.get_context_data(form=form, locked=True))


def admin_login(request, extra_context=None):
    """The Django admin signs in through the portal's sign-in (lockout, second factor)."""
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        raise PermissionDenied  # signed in, but not allowed into the administration
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect_to_login(next_url)


# --- My account / Security ----------------------------------------------------------------


class SecurityView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            may_enrol=second_factor.may_enrol(user),
            has_second_factor=second_factor.has_second_factor(user),
            recovery_codes_left=RecoveryCode.objects.filter(
                user=user, used_at__isnull=True
            ).count(),
            **kwargs,
        )


class EnrolmentAllowedMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self) -> bool:
        return second_factor.may_enrol(self.request.user)


class EnableSecondFactorView(EnrolmentAllowedMixin, FormView):
    template_name = "accounts/second_factor_enable.html"
    form_class = EnableSecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and second_factor.has_second_factor(
            request.user
        ):
            messages.info(request, _("The second factor is already on."))
            return redirect("accounts:security")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        secret = second_factor.enrolment_secret(self.request.session)
        uri = totp.provisioning_uri(
            secret, account=self.request.user.username, issuer=second_factor.issuer()
        )
        return super().get_context_data(
            qr_svg=totp.qr_svg(uri),
            secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            codes = second_factor.second_factor_enable(
                user=self.request.user,
                session=self.request.session,
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        self.request.session[RECOVERY_CODES_TO_SHOW_KEY] = codes
        messages.success(self.request, _("The second factor is on."))
        return redirect("accounts:recovery_codes")


class RecoveryCodesView(LoginRequiredMixin, TemplateView):
    """The recovery codes, shown once, right after they were made."""

    template_name = "accounts/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(RECOVERY_CODES_TO_SHOW_KEY, None)
        if not codes:
            return redirect("accounts:security")
        return self.render_to_response(self.get_context_data(codes=codes))


class DisableSecondFactorView(LoginRequiredMixin, FormView):
    """Needs the password and a current code: a session left open on a shared computer
    is not enough to turn the second factor off. Wrong answers count towards the lockout."""

    template_name = "accounts/second_factor_disable.html"
    form_class = DisableSecondFactorForm
    success_url = reverse_lazy("accounts:security")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor.has_second_factor(
            request.user
        ):
            return redirect("accounts:security")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = self.request.user
        key = SignInKey.of(username=user.username, address=client_address(self.request))
        if key.is_locked():
            form.add_error(None, locked_error())
            return self.form_invalid(form)
        try:
            second_factor.second_factor_disable(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            form.add_error(None, locked_error() if key.record_failure() else error)
            return self.form_invalid(form)
        key.clear_failures()
        messages.success(self.request, _("The second factor is off."))
        return super().form_valid(form)
