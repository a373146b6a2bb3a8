"""The household a resident proved is theirs (code + second factor), kept in their
session for a short while, never in a URL. Written by the lookup, read by the
"my household" page and the request form."""

from datetime import datetime, timedelta

from django.utils import timezone

from households.models import Commune, Household

LOOKUP_SESSION_KEY = "residents_household"
LOOKUP_MINUTES = 15  # a shared phone forgets the household soon


def remember_household(session, household: Household) -> None:
    session.cycle_key()  # a new session id once the household is proven
    until = timezone.now() + timedelta(minutes=LOOKUP_MINUTES)
    session[LOOKUP_SESSION_KEY] = {"pk": household.pk, "until": until.isoformat()}


def forget_household(session) -> None:
    session.pop(LOOKUP_SESSION_KEY, None)


def looked_up_household(session, *, commune: Commune) -> Household | None:
    """The proven household while its time lasts (an expired one is forgotten), if it
    is ``commune``'s: a session cookie shared by the communes' hosts must not carry one
    commune's household onto another's pages."""
    data = session.get(LOOKUP_SESSION_KEY)
    if not data:
        return None
    try:
        until = datetime.fromisoformat(data["until"])
        pk = int(data["pk"])
    except (KeyError, TypeError, ValueError):
        forget_household(session)
        return None
    if until <= timezone.now():
        forget_household(session)
        return None
    household = (
        Household.objects.active()
        .select_related("village", "commune", "ethnic_group")
        .filter(pk=pk, commune=commune)
        .first()
    )
    if household is None:
        forget_household(session)
    return household
