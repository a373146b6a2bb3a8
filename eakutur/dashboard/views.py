"""The dashboard, the periodic report and their XLSX exports.

Every page reads the same GET filters (``forms.DashboardFilterForm``) into a
``DashboardScope`` and asks ``figures.dashboard_blocks`` for the blocks. The views know
nothing of any one block: they show any ``Block`` the same way (key figures as cards,
each table with its chart beside it) and export any ``Table`` the same way, so a new
figure needs no view code.

Besides the blocks' own queries the page runs three: the user's villages (with their
commune, for the filter and the title), the ethnic groups (for the filter) and the
scope's villages (``DashboardScope.for_user``, the one definition of what a user sees).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views import View
from django.views.generic import TemplateView

from eakutur.templatetags.portal import vnd
from households.models import EthnicGroup, Village
from households.selectors import villages_for
from households.views._common import StaffMixin, xlsx_response

from . import exports, periods
from .figures import dashboard_blocks
from .forms import DashboardFilterForm
from .periods import Period
from .scope import DashboardScope
from .tables import Block, KeyFigure, Kind, Table

BILLION = Decimal(1_000_000_000)
WIDE_TABLE_COLUMNS = 4  # a table with more figure columns gets the whole width
REPORT_LANGUAGE = "vi"  # official papers are in Vietnamese, whatever the screen shows


# --- Numbers as people read them ----------------------------------------------------


def billions(amount: int | float | None) -> str:
    """147_385_000_000 -> "147,39 tỷ đồng" (two decimals, rounded half up)."""
    if amount is None:
        return ""
    value = (Decimal(amount) / BILLION).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return _("%(amount)s billion VND") % {
        "amount": number_format(value, 2, force_grouping=True)
    }


def format_value(value: Any, kind: str) -> str:
    """A cell or key figure as shown: "3.880", "147.000.000.000 ₫", "12,3%"."""
    if value is None or value == "":
        return ""
    if kind == Kind.VND:
        return vnd(value)
    if kind == Kind.PERCENT:
        return number_format(value, 1) + "%"
    if kind == Kind.COUNT and isinstance(value, int | float):
        return number_format(value, 0, force_grouping=True)
    return str(value)


# --- The filters ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The filter form as read, and what the figures count."""

    form: DashboardFilterForm
    scope: DashboardScope
    place: str  # "Xã Ea Ktur", or the villages counted
    commune: str  # the commune's name, for the report's header
    ethnic_group: EthnicGroup | None
    query: QueryDict  # the filters as given, for the export and report links

    @property
    def period(self) -> Period:
        return self.scope.period

    @property
    def heading(self) -> str:
        """What a title row says: place, ethnic group if chosen, period."""
        parts = [self.place]
        if self.ethnic_group is not None:
            parts.append(
                _("heads of the %(group)s group") % {"group": self.ethnic_group}
            )
        parts.append(self.period.label)
        return " · ".join(parts)


def _place_name(scope: DashboardScope, villages: list[Village]) -> str:
    if scope.whole_commune:
        communes = dict.fromkeys(v.commune.name for v in villages)
        return ", ".join(communes)
    counted = set(scope.village_ids)
    return ", ".join(v.name for v in villages if v.pk in counted)


def _commune_name(user, villages: list[Village]) -> str:
    if villages:
        return villages[0].commune.name
    # A commune without villages yet: one more query, on a page that shows nothing.
    return user.commune.name if user.commune_id else ""


def read_filters(request) -> Filters:
    user, today = request.user, timezone.localdate()
    villages = list(
        villages_for(user).select_related("commune").order_by("sort_order", "name")
    )
    groups = list(EthnicGroup.objects.order_by("-present_locally", "code"))
    form = DashboardFilterForm.from_query(
        request.GET, villages=villages, ethnic_groups=groups, today=today
    )
    form.is_valid()  # every field is read on its own; errors show on the form
    group = form.chosen_ethnic_group()
    scope = DashboardScope.for_user(
        user,
        period=form.chosen_period(),
        today=today,
        village=form.chosen_village(),
        ethnic_group_id=group.pk if group else None,
    )
    commune = _commune_name(user, villages)
    return Filters(
        form=form,
        scope=scope,
        place=_place_name(scope, villages) or commune,
        commune=commune,
        ethnic_group=group,
        query=request.GET,
    )


# --- Blocks and tables as shown --------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    link: str = ""
    numeric: bool = False
    label: str = ""  # the column's label, for the stacked table on a phone


@dataclass(frozen=True)
class ShownRow:
    header: Cell
    cells: list[Cell]
    marked: bool = False


@dataclass(frozen=True)
class ShownTable:
    table: Table
    header_label: str
    column_labels: list[tuple[str, bool]]  # (label, numeric) of the other columns
    rows: list[ShownRow]
    total: ShownRow | None
    chart: dict | None  # the data dashboard.js draws, or None

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.table.slug}"

    @property
    def wide(self) -> bool:
        """Too many columns to share the row with the chart: the chart goes above."""
        return len(self.column_labels) > WIDE_TABLE_COLUMNS

    @property
    def has_marked_rows(self) -> bool:
        return any(row.marked for row in self.rows)


@dataclass(frozen=True)
class ShownFigure:
    label: str
    text: str
    detail: str
    link: str
    exact: str  # the amount to the đồng under an amount shown in billions, else ""
    slug: str


# Key figures that read better as one sentence of the report, when a block has them all.
REPORT_SENTENCES = (
    (
        ("loan_households", "loans_disbursed", "amount_disbursed"),
        gettext_noop(
            "Lent to %(loan_households)s households (%(loans_disbursed)s loans), "
            "a total of %(amount_disbursed)s."
        ),
    ),
)


@dataclass(frozen=True)
class ShownBlock:
    block: Block
    figures: list[ShownFigure]
    tables: list[ShownTable]

    @property
    def report_lines(self) -> list[str]:
        """The key figures as the report's sentences: the known groups of figures as
        one sentence each, every other figure as "label: value (detail)."."""
        by_slug = {f.slug: f for f in self.figures}
        lines, used = [], set()
        for slugs, message in REPORT_SENTENCES:
            if all(slug in by_slug for slug in slugs):
                lines.append(_(message) % {slug: by_slug[slug].text for slug in slugs})
                used.update(slugs)
        for f in self.figures:
            if f.slug not in used:
                detail = f" ({f.detail})" if f.detail else ""
                lines.append(f"{f.label}: {f.text or '–'}{detail}.")
        return lines


def _shown_row(row, table: Table, *, total: bool = False) -> ShownRow:
    first, *others = table.columns
    cells = [
        Cell(
            text=format_value(row.values.get(c.key), c.kind),
            link=row.links.get(c.key, ""),
            numeric=c.kind != Kind.TEXT,
            label=c.label,
        )
        for c in others
    ]
    header = Cell(
        text=format_value(row.values.get(first.key), first.kind)
        or (_("Total") if total else ""),
        link=row.links.get(first.key, ""),
    )
    return ShownRow(header=header, cells=cells, marked=row.marked)


def chart_data(table: Table) -> dict | None:
    """What dashboard.js needs to draw the table: labels, one series per drawn column
    (values, kind, the link behind each bar), which rows are marked."""
    chart = table.chart
    if chart is None:
        return None
    columns = {c.key: c for c in table.columns}
    return {
        "kind": chart.kind,
        "horizontal": chart.horizontal,
        "title": table.title,
        "labels": [str(row.values.get(chart.label_key, "")) for row in table.rows],
        "series": [
            {
                "key": key,
                "label": columns[key].label if key in columns else key,
                "kind": columns[key].kind if key in columns else Kind.COUNT,
                "values": [row.values.get(key) for row in table.rows],
                "links": [row.links.get(key, "") for row in table.rows],
            }
            for key in chart.series
        ],
        "marked": [row.marked for row in table.rows],
        "markedLabel": table.marked_label,
    }


def show_table(table: Table) -> ShownTable:
    first, *others = table.columns
    return ShownTable(
        table=table,
        header_label=first.label,
        column_labels=[(c.label, c.kind != Kind.TEXT) for c in others],
        rows=[_shown_row(row, table) for row in table.rows],
        total=_shown_row(table.total, table, total=True) if table.total else None,
        chart=chart_data(table),
    )


def show_figure(figure: KeyFigure) -> ShownFigure:
    """A key figure for a card; an amount of a billion đồng or more reads in billions
    ("147,39 tỷ đồng"), with the exact amount under it."""
    text, exact = format_value(figure.value, figure.kind), ""
    if figure.kind == Kind.VND and figure.value and abs(figure.value) >= BILLION:
        text, exact = billions(figure.value), text
    return ShownFigure(
        label=figure.label,
        text=text,
        detail=figure.detail,
        link=figure.link,
        exact=exact,
        slug=figure.slug,
    )


def show_block(block: Block) -> ShownBlock:
    figures = [show_figure(f) for f in block.figures]
    tables = [show_table(t) for t in block.tables if t.columns]
    return ShownBlock(block=block, figures=figures, tables=tables)


def find_table(blocks: list[Block], slug: str) -> Table:
    for block in blocks:
        for table in block.tables:
            if table.slug == slug:
                return table
    raise Http404(f"No dashboard table {slug!r}")


# --- Links between the pages ----------------------------------------------------------


def preset_queries(query: QueryDict, today: date) -> list[tuple[str, str]]:
    """(label, query string) of the report's usual periods, keeping the village and
    ethnic group: the first nine months and the whole year, this year and last."""
    links = []
    for year in (today.year, today.year - 1):
        for period in (periods.nine_months(year), periods.whole_year(year)):
            params = QueryDict(mutable=True)
            for name in ("village", "ethnic_group"):
                if query.get(name):
                    params[name] = query[name]
            params["period"], params["year"] = period.kind, str(year)
            links.append((period.label, params.urlencode()))
    return links


def _file_date(period: Period) -> str:
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"


# --- The views --------------------------------------------------------------------------


class DashboardMixin(StaffMixin):
    @cached_property
    def filters(self) -> Filters:
        return read_filters(self.request)

    def blocks(self) -> list[Block]:
        return dashboard_blocks(self.filters.scope)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filters = self.filters
        ctx["filters"] = filters
        ctx["form"] = filters.form
        ctx["period"] = filters.period
        ctx["querystring"] = filters.query.urlencode()
        ctx["blocks"] = [show_block(b) for b in self.blocks()]
        ctx["today"] = filters.scope.today
        return ctx


class DashboardView(DashboardMixin, TemplateView):
    template_name = "dashboard/home.html"


class ReportView(DashboardMixin, TemplateView):
    """The periodic poverty-reduction report, printable on A4, always in Vietnamese."""

    template_name = "dashboard/report.html"

    def get(self, request, *args, **kwargs):
        with translation.override(REPORT_LANGUAGE):
            # Rendered inside the override: the blocks' labels and the template alike.
            return super().get(request, *args, **kwargs).render()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["presets"] = preset_queries(self.filters.query, self.filters.scope.today)
        ctx["place_of_issue"] = re.sub(
            r"^(xã|phường|thị trấn)\s+", "", self.filters.commune, flags=re.IGNORECASE
        )
        return ctx


class ReportExportView(DashboardMixin, View):
    def get(self, request):
        with translation.override(REPORT_LANGUAGE):
            filters = self.filters
            content = exports.report_xlsx(
                self.blocks(), heading=filters.heading, today=filters.scope.today
            )
        return xlsx_response(
            content, f"bao-cao-giam-ngheo-{_file_date(filters.period)}.xlsx"
        )


class TableExportView(DashboardMixin, View):
    def get(self, request, slug: str):
        table = find_table(self.blocks(), slug)
        content = exports.table_xlsx(table, heading=self.filters.heading)
        return xlsx_response(content, f"{slug}-{_file_date(self.filters.period)}.xlsx")
