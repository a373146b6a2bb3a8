"""Session rules for signed-in officials: idle and absolute timeouts, and (when the
commune asks for it) a second factor for administrators.

Both apply to signed-in users only. Anonymous sessions (the resident portal keeps a
proven household in one for 15 minutes, eakutur/residents/session.py) are left alone.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import second_factor

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
# The last-seen time is saved at most this often: not a session write on every request.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: both clocks start when the session is signed in, in
    the same write as the sign-in itself (a middleware stamping the first request after
    would write the session once more)."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Signs an official out after ``SESSION_IDLE_TIMEOUT`` seconds without a request,
    and ``SESSION_ABSOLUTE_TIMEOUT`` seconds after signing in whatever the activity; the
    next page goes to the sign-in page, with a message and ``?next=``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        if request.user.is_authenticated and self._expired(request.session, now):
            logout(request)
            messages.warning(
                request, _("Your session has expired. Please sign in again.")
            )
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # A session signed in before this middleware existed gets its clock here.
        if request.user.is_authenticated:
            self._stamp(request.session, now)
        return response

    @staticmethod
    def _expired(session, now: float) -> bool:
        signed_in = session.get(SIGNED_IN_AT)
        seen = session.get(LAST_SEEN_AT)
        return (
            signed_in is not None
            and now - signed_in > settings.SESSION_ABSOLUTE_TIMEOUT
        ) or (seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT)

    @staticmethod
    def _stamp(session, now: float) -> None:
        session.setdefault(SIGNED_IN_AT, now)
        seen = session.get(LAST_SEEN_AT)
        if seen is None or now - seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now


# Pages an administrator without a second factor may still open when it is required.
ENROLMENT_VIEWS = frozenset(
    {
        "accounts:security",
        "accounts:second_factor_enable",
        "accounts:recovery_codes",
        "logout",
        "set_language",
    }
)


class SecondFactorRequiredMiddleware:
    """With ``ADMIN_2FA_REQUIRED``, an administrator without a second factor is sent to
    set one up before any other page of the portal (or the Django admin)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not settings.ADMIN_2FA_REQUIRED:
            return None
        user = request.user
        if not user.is_authenticated or not second_factor.may_enrol(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ENROLMENT_VIEWS:
            return None
        if second_factor.has_second_factor(user):
            return None
        messages.info(
            request,
            _(
                "Administrators must turn on the second factor before using the "
                "portal. It takes two minutes with an authenticator app on your phone."
            ),
        )
        return redirect("accounts:second_factor_enable")
