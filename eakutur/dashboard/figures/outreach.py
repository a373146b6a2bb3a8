"""The outreach block: households reached, digital teams, assisted online applications
and the delivery of notices to the village groups.

Definitions (the benchmark's raw SQL counts exactly these). Dates are local
(Asia/Ho_Chi_Minh); "the period" is from its first day to its last day, both included.

- **Counted households**: ``scope.households()``: active households (``is_active``) of
  the counted villages (``village_id`` in ``scope.village_ids``), with an ethnic group
  chosen only those whose ``ethnic_group_id`` (the head's) is the one chosen.
- **Reach window**: the 90 days ending at R = min(period end, ``scope.today``), R
  included: ``contacted_on`` from R − 89 days to R (``outreach.selectors.coverage_window``).
- **Reached**: a counted household with at least one contact in the window that reached
  it (``Contact.objects.reached()``): the contact names the household (``household_id``
  set), its ``outcome`` is not ``not_reached`` and its ``channel`` is not
  ``resident_request`` (a resident's request is them reaching us). Village-wide contacts
  (meetings, loudspeaker, Zalo group posts) name no household and never count.
- **Shares** (0–100, one decimal): reached / counted households; poor reached / poor
  (``current_status`` = ``poor``); near-poor reached / near-poor (``near_poor``);
  ethnic-minority reached / ethnic-minority households (the head's group is not Kinh:
  ``ethnic_group.code`` ≠ "01", which is ``EthnicGroup.is_minority``). None when the
  group has no household.
- **Reach by village**: the same figures for every counted village, in display order
  (one without households shows zeros and no share); a village flagged
  ``is_ethnic_minority`` is marked (an ethnic-minority hamlet). The total row is the
  sum over the villages.
- **Digital teams**: teams (``DigitalTeam``) of the counted villages, and their active
  members (``TeamMember.left_on`` null). The ethnic-group filter does not apply (a team
  serves its whole village).
- **Assisted online applications**: applications whose ``filed_on`` falls in the period
  and whose household is in the counted villages (with an ethnic group chosen, of that
  group); archived households' applications still count, as in the application list.
  By ``status``; "done" is ``done`` (result received).
- **Notice delivery rate**: deliveries (one per notice and village group) of the notices
  sent out in the period (``Notice.dispatched_at``, the moment the deliveries were
  created in the same transaction), to groups of the counted villages
  (``VillageGroup.village_id``), by the group's ``channel`` (zalo, sms, email, relay,
  console): total; delivered = status ``sent`` (a relay the village officer confirmed as
  forwarded is ``sent`` too); failed = status ``failed``; waiting = the rest (``queued``,
  ``wired``); rate = delivered / total × 100 (None without deliveries). The table lists
  the channels with at least one delivery, then all channels together. The
  ethnic-group filter does not apply (a notice goes to a whole village's group).

Five queries: the villages with their counted households, the households reached per
village, the teams, the applications per status, the deliveries per channel.
"""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from households.models import PovertyStatus, Village
from outreach.models import (
    ApplicationStatus,
    AssistedApplication,
    Delivery,
    DeliveryStatus,
    DigitalTeam,
    GroupChannel,
)
from outreach.selectors import (
    DEFAULT_COVERAGE_DAYS,
    coverage_window,
    reached_between,
)

from ..scope import DashboardScope
from ..tables import Block, Chart, Column, KeyFigure, Kind, Row, Table

REACH_DAYS = DEFAULT_COVERAGE_DAYS  # the "last 90 days"
# The majority group; every other group is an ethnic minority (EthnicGroup.is_minority).
KINH_CODE = "01"
MINORITY = ~Q(ethnic_group__code=KINH_CODE)
POOR = Q(current_status=PovertyStatus.POOR)
NEAR_POOR = Q(current_status=PovertyStatus.NEAR_POOR)
# The channels in the order the table lists them: the ones the villages rely on first.
CHANNEL_ORDER = (
    GroupChannel.ZALO,
    GroupChannel.SMS,
    GroupChannel.EMAIL,
    GroupChannel.RELAY,
    GroupChannel.CONSOLE,
)


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as 0–100 with one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def _query(params: dict) -> str:
    return f"?{urlencode(params)}" if params else ""


def _one_village(scope: DashboardScope) -> int | None:
    """The village to filter a list by, when the scope is a single village."""
    if not scope.whole_commune and len(scope.village_ids) == 1:
        return scope.village_ids[0]
    return None


# --- Reach ---------------------------------------------------------------------------


def reach_window(scope: DashboardScope) -> tuple[date, date]:
    """The 90 days up to the period's end, or up to today for a period not over."""
    return coverage_window(min(scope.period.end, scope.today), REACH_DAYS)


REACH_COUNTS = (
    "households",
    "reached",
    "poor",
    "poor_reached",
    "near_poor",
    "near_poor_reached",
    "minority",
    "minority_reached",
)
REACHED_COUNTS = ("reached", "poor_reached", "near_poor_reached", "minority_reached")


def _villages_with_households(scope: DashboardScope) -> list[Village]:
    """The counted villages in display order, each with its counted households: all,
    poor, near-poor, ethnic-minority (zeros for a village without any). One query,
    which also fetches the villages themselves."""
    counted = scope.household_q("households__") & Q(households__is_active=True)
    villages = (
        Village.objects.filter(pk__in=scope.village_ids)
        .order_by()
        .annotate(
            household_count=Count("households", filter=counted),
            poor_count=Count(
                "households",
                filter=counted & Q(households__current_status=PovertyStatus.POOR),
            ),
            near_poor_count=Count(
                "households",
                filter=counted & Q(households__current_status=PovertyStatus.NEAR_POOR),
            ),
            minority_count=Count(
                "households",
                filter=counted & ~Q(households__ethnic_group__code=KINH_CODE),
            ),
        )
    )
    by_pk = {v.pk: v for v in villages}
    return [by_pk[pk] for pk in scope.village_ids if pk in by_pk]


def _reached_by_village(scope: DashboardScope) -> dict[int, dict[str, int]]:
    """Per village, the counted households reached in the window: all, poor, near-poor,
    ethnic-minority (one query).

    The reach condition is in WHERE, once: PostgreSQL makes it a semi-join on the
    contacts of the window. Repeated inside four ``Count(filter=)``, a correlated
    EXISTS may be planned once per household and per count (0.8 s at 50,000
    households instead of 35 ms)."""
    rows = (
        scope.households()
        .filter(reached_between(*reach_window(scope)))
        .order_by()
        .values("village")
        .annotate(
            reached=Count("pk"),
            poor_reached=Count("pk", filter=POOR),
            near_poor_reached=Count("pk", filter=NEAR_POOR),
            minority_reached=Count("pk", filter=MINORITY),
        )
    )
    return {row.pop("village"): row for row in rows}


def reach_by_village(scope: DashboardScope) -> list[tuple[Village, dict[str, int]]]:
    """Every counted village with the counts of REACH_COUNTS (two queries)."""
    villages = _villages_with_households(scope)
    reached = _reached_by_village(scope)
    nobody = dict.fromkeys(REACHED_COUNTS, 0)
    return [
        (
            v,
            {
                "households": v.household_count,
                "poor": v.poor_count,
                "near_poor": v.near_poor_count,
                "minority": v.minority_count,
                **reached.get(v.pk, nobody),
            },
        )
        for v in villages
    ]


def _reach_values(label: str, counts: dict[str, int]) -> dict:
    return {
        "village": label,
        "households": counts["households"],
        "reached": counts["reached"],
        "share": percent(counts["reached"], counts["households"]),
        "poor": counts["poor"],
        "poor_reached": counts["poor_reached"],
        "near_poor": counts["near_poor"],
        "near_poor_reached": counts["near_poor_reached"],
        "minority": counts["minority"],
        "minority_reached": counts["minority_reached"],
    }


def _household_list_url(scope: DashboardScope, village: int | None, status="") -> str:
    params: dict[str, object] = {}
    if village is not None:
        params["village"] = village
    if status:
        params["status"] = status
    if scope.ethnic_group_id is not None:
        params["ethnic_group"] = scope.ethnic_group_id
    return reverse("households:household_list") + _query(params)


def _coverage_url(village: int | None, show: str) -> str:
    params: dict[str, object] = {"days": REACH_DAYS, "show": show}
    if village is not None:
        params["village"] = village
    return reverse("contacts:coverage_households") + _query(params)


def _reach_links(scope: DashboardScope, village: int | None) -> dict[str, str]:
    links = {
        "households": _household_list_url(scope, village),
        "poor": _household_list_url(scope, village, PovertyStatus.POOR),
        "near_poor": _household_list_url(scope, village, PovertyStatus.NEAR_POOR),
    }
    # The coverage pages count the 90 days up to today (and know no ethnic group):
    # they are the list behind a figure only when the window ends today, unfiltered.
    if reach_window(scope)[1] == scope.today and scope.ethnic_group_id is None:
        links["reached"] = links["share"] = _coverage_url(village, "reached")
        links["minority_reached"] = _coverage_url(village, "minority_reached")
    return links


def _reach_table(scope, by_village, total) -> Table:
    start, end = reach_window(scope)
    rows = tuple(
        Row(
            values=_reach_values(v.name, counts),
            links=_reach_links(scope, v.pk),
            marked=v.is_ethnic_minority,
        )
        for v, counts in by_village
    )
    return Table(
        slug="reach-by-village",
        title=_("Households reached by village"),
        columns=(
            Column("village", _("Village"), Kind.TEXT),
            Column("households", _("Households")),
            Column("reached", _("Reached")),
            Column("share", _("Share reached"), Kind.PERCENT),
            Column("poor", _("Poor households")),
            Column("poor_reached", _("Poor reached")),
            Column("near_poor", _("Near-poor households")),
            Column("near_poor_reached", _("Near-poor reached")),
            Column("minority", _("Ethnic-minority households")),
            Column("minority_reached", _("Ethnic-minority reached")),
        ),
        rows=rows,
        total=Row(
            values=_reach_values(_("All villages"), total),
            links=_reach_links(scope, _one_village(scope)),
        ),
        chart=Chart(
            kind="bar", label_key="village", series=("share",), horizontal=True
        ),
        note=_(
            "Active households with a visit or call that reached them from %(start)s "
            "to %(end)s (%(days)s days); meetings and announcements to a whole village "
            "and residents' own requests do not count."
        )
        % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}", "days": REACH_DAYS},
        marked_label=_("ethnic-minority hamlet"),
    )


def _reach_figures(scope: DashboardScope, total: dict[str, int]) -> list[KeyFigure]:
    links = _reach_links(scope, _one_village(scope))
    start, end = reach_window(scope)
    return [
        KeyFigure(
            slug="households_reached",
            label=_("Households reached in 90 days"),
            value=total["reached"],
            detail=f"{start:%d/%m/%Y} – {end:%d/%m/%Y}",
            link=links.get("reached", ""),
        ),
        KeyFigure(
            slug="share_reached",
            label=_("Share of households reached"),
            value=percent(total["reached"], total["households"]),
            kind=Kind.PERCENT,
        ),
        KeyFigure(
            slug="poor_reached",
            label=_("Share of poor households reached"),
            value=percent(total["poor_reached"], total["poor"]),
            kind=Kind.PERCENT,
        ),
        KeyFigure(
            slug="near_poor_reached",
            label=_("Share of near-poor households reached"),
            value=percent(total["near_poor_reached"], total["near_poor"]),
            kind=Kind.PERCENT,
        ),
        KeyFigure(
            slug="minority_reached",
            label=_("Share of ethnic-minority households reached"),
            value=percent(total["minority_reached"], total["minority"]),
            kind=Kind.PERCENT,
            link=links.get("minority_reached", ""),
        ),
    ]


# --- Digital teams -------------------------------------------------------------------


def team_counts(scope: DashboardScope) -> dict[str, int]:
    """Teams of the counted villages and their active members (one query)."""
    return DigitalTeam.objects.filter(village_id__in=scope.village_ids).aggregate(
        teams=Count("pk", distinct=True),
        members=Count("members", filter=Q(members__left_on__isnull=True)),
    )


def _team_figures(scope: DashboardScope, counts: dict[str, int]) -> list[KeyFigure]:
    link = reverse("contacts:team_list")
    # A team serves its whole village: say so when an ethnic group is chosen.
    note = (
        _("whole villages: the ethnic group filter does not apply")
        if scope.ethnic_group_id is not None
        else ""
    )
    return [
        KeyFigure(
            slug="digital_teams",
            label=_("Digital teams"),
            value=counts["teams"] or 0,
            detail=note,
            link=link,
        ),
        KeyFigure(
            slug="digital_team_members",
            label=_("Digital team members"),
            value=counts["members"] or 0,
            detail=note,
            link=link,
        ),
    ]


# --- Assisted applications -----------------------------------------------------------


def applications_by_status(scope: DashboardScope) -> dict[str, int]:
    """Applications filed in the period by households of the scope, per status."""
    period = scope.period
    rows = (
        AssistedApplication.objects.filter(
            scope.household_q("household__"),
            filed_on__gte=period.start,
            filed_on__lte=period.end,
        )
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def _application_list_url(scope: DashboardScope, status: str = "") -> str:
    params: dict[str, object] = {}
    if status:
        params["status"] = status
    params["filed_from"] = f"{scope.period.start:%d/%m/%Y}"
    params["filed_to"] = f"{scope.period.end:%d/%m/%Y}"
    village = _one_village(scope)
    if village is not None:
        params["village"] = village
    return reverse("contacts:application_list") + _query(params)


def _application_table(scope: DashboardScope, by_status: dict[str, int]) -> Table:
    rows = tuple(
        Row(
            values={
                "status": capfirst(str(label)),
                "applications": by_status.get(s, 0),
            },
            links={"applications": _application_list_url(scope, s)},
        )
        for s, label in ApplicationStatus.choices
    )
    return Table(
        slug="assisted-applications-by-status",
        title=_("Assisted online applications by status"),
        columns=(
            Column("status", _("Status"), Kind.TEXT),
            Column("applications", _("Applications")),
        ),
        rows=rows,
        total=Row(
            values={
                "status": _("All statuses"),
                "applications": sum(by_status.values()),
            },
            links={"applications": _application_list_url(scope)},
        ),
        note=_(
            "Online public-service applications a digital team helped households of "
            "the chosen villages file in the period, by their status today."
        ),
    )


def _application_figures(scope, by_status: dict[str, int]) -> list[KeyFigure]:
    return [
        KeyFigure(
            slug="applications",
            label=_("Assisted online applications"),
            value=sum(by_status.values()),
            link=_application_list_url(scope),
        ),
        KeyFigure(
            slug="applications_done",
            label=_("Applications with the result received"),
            value=by_status.get(ApplicationStatus.DONE, 0),
            link=_application_list_url(scope, ApplicationStatus.DONE),
        ),
    ]


# --- Notice deliveries ---------------------------------------------------------------


def _local_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first day 00:00, the day after the last 00:00) in local time."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def deliveries_by_channel(scope: DashboardScope) -> dict[str, dict[str, int]]:
    """Per channel: deliveries of notices sent out in the period to the counted
    villages' groups, delivered and failed (one query)."""
    start, end = _local_bounds(scope.period.start, scope.period.end)
    rows = (
        Delivery.objects.filter(
            group__village_id__in=scope.village_ids,
            notice__dispatched_at__gte=start,
            notice__dispatched_at__lt=end,
        )
        .order_by()
        .values("group__channel")
        .annotate(
            total=Count("pk"),
            delivered=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        )
    )
    return {row.pop("group__channel"): row for row in rows}


def _delivery_values(label: str, counts: dict[str, int]) -> dict:
    total, delivered, failed = counts["total"], counts["delivered"], counts["failed"]
    return {
        "channel": label,
        "total": total,
        "delivered": delivered,
        "failed": failed,
        "waiting": total - delivered - failed,
        "rate": percent(delivered, total),
    }


def _delivery_total(by_channel: dict[str, dict[str, int]]) -> dict[str, int]:
    return {
        key: sum(c[key] for c in by_channel.values())
        for key in ("total", "delivered", "failed")
    }


def _delivery_table(by_channel: dict[str, dict[str, int]]) -> Table:
    labels = dict(GroupChannel.choices)
    # Only the channels used in the period: a channel nobody sent on has no rate.
    rows = tuple(
        Row(values=_delivery_values(capfirst(str(labels[c])), by_channel[c]))
        for c in CHANNEL_ORDER
        if c in by_channel
    )
    return Table(
        slug="notice-delivery-by-channel",
        title=_("Notice delivery rate by channel"),
        columns=(
            Column("channel", _("Channel"), Kind.TEXT),
            Column("total", _("Deliveries")),
            Column("delivered", _("Delivered")),
            Column("failed", _("Failed")),
            Column("waiting", _("Waiting")),
            Column("rate", _("Delivery rate"), Kind.PERCENT),
        ),
        rows=rows,
        total=Row(
            values=_delivery_values(_("All channels"), _delivery_total(by_channel))
        ),
        chart=Chart(kind="bar", label_key="channel", series=("rate",)),
        note=_(
            "One delivery per notice and village group, for the notices sent out in "
            "the period; a relay counts as delivered once the village officer confirms "
            "forwarding it. A notice goes to a whole village's group, so the ethnic "
            "group filter does not apply."
        ),
    )


def _delivery_figure(by_channel: dict[str, dict[str, int]]) -> KeyFigure:
    total = _delivery_total(by_channel)
    return KeyFigure(
        slug="notice_delivery_rate",
        label=_("Notice delivery rate"),
        value=percent(total["delivered"], total["total"]),
        kind=Kind.PERCENT,
        detail=_("%(delivered)s of %(total)s deliveries")
        % {"delivered": total["delivered"], "total": total["total"]},
    )


# --- The block -----------------------------------------------------------------------


def outreach_block(scope: DashboardScope) -> Block:
    """Reach, digital teams, assisted applications and notice delivery (five
    queries)."""
    by_village = reach_by_village(scope)
    reach_total = {
        key: sum(counts[key] for _village, counts in by_village) for key in REACH_COUNTS
    }
    teams = team_counts(scope)
    by_status = applications_by_status(scope)
    by_channel = deliveries_by_channel(scope)
    return Block(
        slug="outreach",
        title=_("Outreach"),
        figures=(
            *_reach_figures(scope, reach_total),
            *_team_figures(scope, teams),
            *_application_figures(scope, by_status),
            _delivery_figure(by_channel),
        ),
        tables=(
            _reach_table(scope, by_village, reach_total),
            _application_table(scope, by_status),
            _delivery_table(by_channel),
        ),
    )
