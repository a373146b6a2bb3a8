"""Every URL of the portal, found by walking the URL conf, and how to fill each one
that takes an object id with an object of a given place.

A URL added later is covered automatically: the walk finds it, and
``test_every_object_url_is_in_the_table`` fails until its row is added to
``URL_KWARGS`` (or, with a reason, to ``NOT_OBJECT_URLS``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .world import Place


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: frozenset[str]  # the path converters' names


def walk(resolvers=None, namespace: str = "") -> list[Route]:
    """Every named route, recursively (includes, the i18n prefix, the admin site)."""
    routes = []
    for entry in (resolvers or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            inner = f"{namespace}{ns}:" if ns else namespace
            routes += walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            params = frozenset(entry.pattern.converters) | frozenset(
                entry.pattern.regex.groupindex
            )
            routes.append(Route(f"{namespace}{entry.name}", params))
    # The same name may be reached twice (admin's regexes); keep the first.
    return list({r.name: r for r in routes}.values())


def routes_with_kwargs() -> list[Route]:
    return [r for r in walk() if r.kwargs]


def routes_without_kwargs() -> list[Route]:
    return [r for r in walk() if not r.kwargs]


def household(p: Place) -> dict:
    return {"pk": p.household.pk}


def session(p: Place) -> dict:
    return {"pk": p.session.pk}


def course(p: Place) -> dict:
    return {"pk": p.course.pk}


def notice(p: Place) -> dict:
    return {"pk": p.notice.pk}


def team(p: Place) -> dict:
    return {"pk": p.team.pk}


def application(p: Place) -> dict:
    return {"pk": p.application.pk}


def loan(p: Place) -> dict:
    return {"pk": p.loan.pk}


def savings_group(p: Place) -> dict:
    return {"pk": p.group.pk}


# URL name → the kwargs that point it at the place's object.
URL_KWARGS: dict[str, Callable[[Place], dict]] = {
    # households
    "households:household_detail": household,
    "households:household_update": household,
    "households:household_archive": household,
    "households:household_restore": household,
    "households:household_national_ids": household,
    "households:member_create": household,
    "households:member_update": lambda p: household(p) | {"member_pk": p.member.pk},
    "households:member_remove": lambda p: household(p) | {"member_pk": p.member.pk},
    "households:member_make_head": lambda p: household(p) | {"member_pk": p.member.pk},
    "households:review_create": household,
    "households:review_update": lambda p: household(p) | {"review_pk": p.review.pk},
    "households:village_update": lambda p: {"pk": p.village.pk},
    "households:village_detail": lambda p: {"pk": p.village.pk},
    "households:review_import_preview": lambda p: {"batch_pk": p.review_import.pk},
    # loans
    "loans:loan_apply": lambda p: {"household_pk": p.household.pk},
    "loans:loan_detail": loan,
    "loans:loan_approve": loan,
    "loans:loan_reject": loan,
    "loans:loan_disburse": loan,
    "loans:repayment_create": lambda p: {"pk": p.disbursed_loan.pk},
    "loans:repayment_reverse": lambda p: {
        "pk": p.disbursed_loan.pk,
        "repayment_pk": p.repayment.pk,
    },
    "loans:group_detail": savings_group,
    "loans:group_update": savings_group,
    "loans:group_member_add": savings_group,
    "loans:group_member_remove": lambda p: (
        savings_group(p) | {"household_pk": p.household.pk}
    ),
    "loans:disbursement_import_preview": lambda p: {
        "batch_pk": p.disbursement_import.pk
    },
    # outreach: contacts, teams, applications
    "contacts:contact_detail": lambda p: {"pk": p.contact.pk},
    "contacts:follow_up_done": lambda p: {"pk": p.contact.pk},
    "contacts:team_detail": team,
    "contacts:team_update": team,
    "contacts:team_member_add": team,
    "contacts:team_member_update": lambda p: team(p) | {"member_pk": p.team_member.pk},
    "contacts:team_member_leave": lambda p: team(p) | {"member_pk": p.team_member.pk},
    "contacts:application_detail": application,
    "contacts:application_status": application,
    "contacts:application_update": application,
    # outreach: notices, groups, relays
    "outreach:notice_detail": notice,
    "outreach:notice_schedule": notice,
    "outreach:notice_cancel": notice,
    "outreach:notice_resend": notice,
    "outreach:group_update": lambda p: {"pk": p.village_group.pk},
    "outreach:group_set_active": lambda p: {"pk": p.village_group.pk},
    "outreach:relay_confirm": lambda p: {"pk": p.relay.pk},
    # trainings
    "trainings:course_detail": course,
    "trainings:course_update": course,
    "trainings:session_create": lambda p: {"course_pk": p.course.pk},
    "trainings:session_update": session,
    "trainings:session_cancel": session,
    "trainings:session_detail": session,
    "trainings:enrol_member": session,
    "trainings:enrol_walk_in": session,
    "trainings:enrolment_withdraw": lambda p: (
        session(p) | {"enrolment_pk": p.enrolment.pk}
    ),
    "trainings:household_enrol": lambda p: {"household_pk": p.household.pk},
    "trainings:attendance_sheet": session,
    "trainings:print_sign_in": session,
    "trainings:print_participants": session,
    "trainings:session_roster_export": session,
    "trainings:print_course_participants": course,
    "trainings:print_certificates": course,
    "trainings:walk_in_match": lambda p: {"pk": p.walk_in.pk},
    "trainings:walk_in_add": lambda p: {"pk": p.walk_in.pk},
}

# URLs with kwargs that are not an object of a village or commune, and where they are
# attacked instead.
NOT_OBJECT_URLS = {
    "dashboard:table_xlsx": "the slug names a table; unknown slugs: test_injection.py",
    "residents:program_detail": "public loan-program catalogue (shared by communes)",
    "residents:check_step": "public questionnaire step name",
    "residents:notice_detail": "public page; unpublished notices: test_public.py",
}
# The Django admin (``admin:*``) has its own suite: test_escalation.py.
ADMIN_NAMESPACE = "admin:"


def object_routes() -> list[Route]:
    return [
        r
        for r in routes_with_kwargs()
        if r.name not in NOT_OBJECT_URLS and not r.name.startswith(ADMIN_NAMESPACE)
    ]


def url_for(name: str, place: Place) -> str:
    return reverse(name, kwargs=URL_KWARGS[name](place))
