"""The households block: poverty status now, by village, and across review years.

Definitions (what the benchmark's raw SQL counts too):

- **Counted households**: ``scope.households()``: active households (``is_active``) of the
  scope's villages, and of the chosen ethnic group of the head if one is chosen. Archived
  households and households of other villages or communes are never counted.
- **Households**: the number of counted households.
- **Poor** / **near-poor**: counted households whose ``current_status`` is ``poor`` /
  ``near_poor`` (the status of their latest review, kept on the household row).
- **Poverty rate** / **near-poverty rate**: poor / households × 100 (near-poor /
  households × 100), rounded half up to one decimal; 0.0 when there are no households.
- **Change in poor households** (the detail of the "poor" figure): Y is the latest
  review year ≤ the period's end year in which some counted household has a
  ``PovertyReview``; the change is the number of ``PovertyReview`` rows of counted
  households with year Y and status ``poor`` minus the same count for year Y − 1, shown
  as "−12 since the 2024 review". Not shown when there is no review of a counted
  household in Y or in Y − 1.
- **Status by village** (table and stacked bars): one row per scope village
  (``scope.villages()``, in display order, villages without households too): the
  counted households of that village by ``current_status`` (poor, near-poor, escaped
  poverty, escaped near-poverty, average living standard, not poor, and "not reviewed" =
  an empty ``current_status``), their total, and the poverty rate (poor / total × 100).
  Ethnic-minority hamlets (``Village.is_ethnic_minority``) are marked. The total row
  adds the villages up.
- **Poverty rate across review years** (table and line chart): one row per year in which
  some counted household has a ``PovertyReview``, oldest first: households reviewed
  that year (= review rows, one per household and year), poor and near-poor by the
  review's ``status``, poor rate = poor / reviewed × 100, near-poor rate = near-poor /
  reviewed × 100. Every year present is shown, also years after the period.

Links open the household list with the same filters (``village``, ``status`` with
``unreviewed`` for "not reviewed", ``ethnic_group``, ``review_year``); the scope's village
is added when the scope is one village.

Three queries whatever the size: the villages, the counts by village and status, the
review counts by year and status.
"""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from households.models import PovertyReview, PovertyStatus
from households.selectors import UNREVIEWED

from ..scope import DashboardScope
from ..tables import Block, Chart, Column, KeyFigure, Kind, Row, Table

# The stacked bars' order: the statuses of a review, then households never reviewed.
STATUS_KEYS = (*PovertyStatus.values, UNREVIEWED)
MINUS = "\u2212"  # a real minus sign: "−12", the width of "+12"


def percent(part: int, whole: int) -> float:
    """part / whole × 100, rounded half up to one decimal (0.0 when whole is 0)."""
    if not whole:
        return 0.0
    exact = Decimal(part * 100) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def signed(number: int) -> str:
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"{MINUS}{-number}"
    return "0"


def households_block(scope: DashboardScope) -> Block:
    villages = scope.villages()
    by_village = _status_counts(scope)
    reviews = _review_counts(scope)
    totals = Counter()
    for counts in by_village.values():
        totals.update(counts)
    return Block(
        slug="households",
        title=_("Households and poverty"),
        figures=_key_figures(scope, totals, reviews),
        tables=(
            _status_by_village(scope, villages, by_village, totals),
            _rates_by_year(scope, reviews),
        ),
    )


# --- Queries ----------------------------------------------------------------------------


def _status_counts(scope: DashboardScope) -> dict[int, Counter]:
    """{village id: Counter(status key -> households)}, "unreviewed" for no status."""
    rows = (
        scope.households()
        .order_by()
        .values("village_id", "current_status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        key = row["current_status"] or UNREVIEWED
        counts.setdefault(row["village_id"], Counter())[key] += row["n"]
    return counts


def _review_counts(scope: DashboardScope) -> dict[int, Counter]:
    """{review year: Counter(status -> reviews)} of the counted households."""
    rows = (
        PovertyReview.objects.filter(household__is_active=True)
        .filter(scope.household_q("household__"))
        .order_by()
        .values("year", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        counts.setdefault(row["year"], Counter())[row["status"]] += row["n"]
    return counts


# --- Links ------------------------------------------------------------------------------


def household_list_url(scope: DashboardScope, **params) -> str:
    """The household list filtered like the figure: ``params`` (e.g. status), the
    scope's village when it is one village, the scope's ethnic group."""
    query = {key: value for key, value in params.items() if value not in (None, "")}
    if "village" not in query and len(scope.village_ids) == 1:
        query["village"] = scope.village_ids[0]
    if scope.ethnic_group_id is not None:
        query["ethnic_group"] = scope.ethnic_group_id
    url = reverse("households:household_list")
    return f"{url}?{urlencode(query)}" if query else url


# --- Key figures ------------------------------------------------------------------------


def _key_figures(
    scope: DashboardScope, totals: Counter, reviews: dict[int, Counter]
) -> tuple[KeyFigure, ...]:
    households = totals.total()
    poor = totals[PovertyStatus.POOR]
    near_poor = totals[PovertyStatus.NEAR_POOR]
    poor_link = household_list_url(scope, status=PovertyStatus.POOR)
    near_poor_link = household_list_url(scope, status=PovertyStatus.NEAR_POOR)
    return (
        KeyFigure(
            "households",
            _("Households"),
            households,
            link=household_list_url(scope),
        ),
        KeyFigure(
            "poor",
            _("Poor households"),
            poor,
            detail=_poor_change(scope, reviews),
            link=poor_link,
        ),
        KeyFigure(
            "poverty_rate",
            _("Poverty rate"),
            percent(poor, households),
            kind=Kind.PERCENT,
            link=poor_link,
        ),
        KeyFigure(
            "near_poor",
            _("Near-poor households"),
            near_poor,
            link=near_poor_link,
        ),
        KeyFigure(
            "near_poverty_rate",
            _("Near-poverty rate"),
            percent(near_poor, households),
            kind=Kind.PERCENT,
            link=near_poor_link,
        ),
    )


def _poor_change(scope: DashboardScope, reviews: dict[int, Counter]) -> str:
    """ "−12 since the 2024 review": poor in the latest review year up to the period's
    end year, minus poor in the year before; empty without reviews in both years."""
    years = [year for year in reviews if year <= scope.period.end.year]
    if not years:
        return ""
    latest = max(years)
    if latest - 1 not in reviews:
        return ""
    change = (
        reviews[latest][PovertyStatus.POOR] - reviews[latest - 1][PovertyStatus.POOR]
    )
    return _("%(change)s since the %(year)s review") % {
        "change": signed(change),
        "year": latest - 1,
    }


# --- Tables -----------------------------------------------------------------------------


def _status_columns() -> tuple[Column, ...]:
    labels = dict(PovertyStatus.choices)
    labels[UNREVIEWED] = _("not reviewed")
    return tuple(Column(key, capfirst(str(labels[key]))) for key in STATUS_KEYS)


def _status_row(
    scope: DashboardScope,
    name: str,
    counts: Counter,
    village_id: int | None,
    marked: bool = False,
) -> Row:
    total = counts.total()
    values = {"village": name}
    values.update({key: counts[key] for key in STATUS_KEYS})
    values["total"] = total
    values["poverty_rate"] = percent(counts[PovertyStatus.POOR], total)
    links = {
        key: household_list_url(scope, status=key, village=village_id)
        for key in STATUS_KEYS
    }
    links["total"] = household_list_url(scope, village=village_id)
    links["village"] = links["total"]
    links["poverty_rate"] = links[PovertyStatus.POOR]
    return Row(values, links, marked)


def _status_by_village(
    scope: DashboardScope, villages, by_village: dict[int, Counter], totals: Counter
) -> Table:
    rows = tuple(
        _status_row(
            scope,
            village.name,
            by_village.get(village.pk, Counter()),
            village.pk,
            marked=village.is_ethnic_minority,
        )
        for village in villages
    )
    return Table(
        slug="households-status-by-village",
        title=_("Households by poverty status and village"),
        columns=(
            Column("village", _("Village"), Kind.TEXT),
            *_status_columns(),
            Column("total", _("Total")),
            Column("poverty_rate", _("Poverty rate"), Kind.PERCENT),
        ),
        rows=rows,
        total=_status_row(scope, _("Total"), totals, None),
        chart=Chart("stacked", "village", STATUS_KEYS),
        note=_(
            "Active households by their latest review's status; the poverty rate is "
            "poor households out of all households of the village."
        ),
        marked_label=_("ethnic-minority hamlet"),
    )


def _rates_by_year(scope: DashboardScope, reviews: dict[int, Counter]) -> Table:
    rows = []
    for year in sorted(reviews):
        counts = reviews[year]
        reviewed = counts.total()
        poor = counts[PovertyStatus.POOR]
        near_poor = counts[PovertyStatus.NEAR_POOR]
        values = {
            "year": str(year),
            "reviewed": reviewed,
            "poor": poor,
            "near_poor": near_poor,
            "poor_rate": percent(poor, reviewed),
            "near_poor_rate": percent(near_poor, reviewed),
        }
        poor_link = household_list_url(
            scope, status=PovertyStatus.POOR, review_year=year
        )
        near_poor_link = household_list_url(
            scope, status=PovertyStatus.NEAR_POOR, review_year=year
        )
        links = {
            "reviewed": household_list_url(scope, review_year=year),
            "poor": poor_link,
            "near_poor": near_poor_link,
            "poor_rate": poor_link,
            "near_poor_rate": near_poor_link,
        }
        rows.append(Row(values, links))
    return Table(
        slug="households-poverty-rate-by-year",
        title=_("Poverty rate across review years"),
        columns=(
            Column("year", _("Review year"), Kind.TEXT),
            Column("reviewed", _("Households reviewed")),
            Column("poor", _("Poor households")),
            Column("near_poor", _("Near-poor households")),
            Column("poor_rate", _("Poverty rate"), Kind.PERCENT),
            Column("near_poor_rate", _("Near-poverty rate"), Kind.PERCENT),
        ),
        rows=tuple(rows),
        chart=Chart("line", "year", ("poor_rate", "near_poor_rate")),
        note=_(
            "Each year's review of the households counted today: poor and near-poor "
            "households out of the households reviewed that year."
        ),
    )
