"""``portal_commune`` for the resident pages' header and footer: the commune the host
serves. Lazy, and the resident views have already resolved it (``places``), so it costs
no query; a staff page never reads it."""

from django.utils.functional import SimpleLazyObject

from .places import public_commune


def portal_commune(request) -> dict:
    return {"portal_commune": SimpleLazyObject(lambda: public_commune(request))}
