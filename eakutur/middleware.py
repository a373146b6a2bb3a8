"""Small project middleware."""

from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreForStaffMiddleware:
    """Pages shown to a signed-in official carry personal data: never cache them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response


class SecurityHeadersMiddleware:
    """The headers Django's own middleware does not send: Content-Security-Policy and
    Permissions-Policy, from the settings of the same names (docs/decisions.md,
    "Security headers").

    Django 5.2 has no CSP support. 6.0 has ``SECURE_CSP``, which takes the same
    directive-to-sources dict: upgrading is renaming the setting and swapping this for
    ``django.middleware.csp.ContentSecurityPolicyMiddleware``. A view that needs another
    policy sets the header itself; it is never overwritten here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code in (404, 500):
            # With DEBUG on these are Django's technical pages, whose inline <style> and
            # <script> a strict policy would break. Production never shows them.
            return response
        csp = _directives(settings.CONTENT_SECURITY_POLICY)
        if csp:
            response.setdefault("Content-Security-Policy", csp)
        permissions = _permissions(settings.PERMISSIONS_POLICY)
        if permissions:
            response.setdefault("Permissions-Policy", permissions)
        return response


def _directives(policy: str | Mapping[str, Iterable[str]]) -> str:
    """``{"img-src": ["'self'", "data:"]}`` as ``img-src 'self' data:``; a string as is."""
    if isinstance(policy, str):
        return policy
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


def _permissions(policy: str | Mapping[str, Iterable[str]]) -> str:
    """``{"camera": []}`` as ``camera=()``: an empty list denies the feature to every
    origin, this one included."""
    if isinstance(policy, str):
        return policy
    return ", ".join(
        f"{name}=({' '.join(allowed)})" for name, allowed in policy.items()
    )
