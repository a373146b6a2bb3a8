"""Small project middleware."""

from collections.abc import Callable

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
