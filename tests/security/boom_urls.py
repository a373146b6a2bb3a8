"""A URL conf for test_pii: the portal's own URLs plus a view that fails while holding
personal data, to see what the 500 page and the log say."""

from django.urls import path

from eakutur.urls import urlpatterns as portal

from .world import NATIONAL_ID, PHONE


def boom(request):
    national_id = request.POST.get("national_id", NATIONAL_ID)
    raise RuntimeError("the registry is unreachable")  # a fault, with PII in scope
    return national_id, PHONE  # pragma: no cover


urlpatterns = [path("boom/", boom), *portal]
