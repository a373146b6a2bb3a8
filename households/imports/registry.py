"""The rows against the registry: households, standards, recorded reviews, proposals.

``_check_registry`` looks up each row's household within the actor's village scope and
checks the head's name, the year's standard and duplicates. ``_evaluate`` then judges
the rows that are fine in year order: the proposal, the final status and the outcome
(create, unchanged or error). It runs at upload and again, on the stored rows, when the
batch is applied. ``_summary`` counts the outcomes for the preview.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DeprivationIndicator, PovertyReview, PovertyStandard, PovertyStatus
from ..poverty import propose_status
from ..selectors import households_for, standard_for_year
from ..text import fold
from .columns import CODE, HEAD, REASON, YEAR, _Layout
from .rows import _add_error


class _Standards:
    """The standard of each year and its indicator codes, looked up once per year."""

    def __init__(self):
        self._by_year: dict[int, PovertyStandard | None] = {}
        self._codes: dict[int, set[str]] = {}

    def get(self, year: int) -> PovertyStandard | None:
        if year not in self._by_year:
            self._by_year[year] = standard_for_year(year)
        return self._by_year[year]

    def codes(self, standard: PovertyStandard) -> set[str]:
        if standard.pk not in self._codes:
            self._codes[standard.pk] = set(
                standard.indicators.values_list("code", flat=True)
            )
        return self._codes[standard.pk]


def _chunks(items, size: int = 500):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _households_by_code(actor, codes) -> dict[str, dict]:
    """The households the actor may see (village scope), by code. Archived ones are
    included so the row can say so."""
    found: dict[str, dict] = {}
    wanted = {c for code in codes for c in (code, code.upper())}
    for chunk in _chunks(wanted):
        for household in (
            households_for(actor, include_archived=True)
            .filter(code__in=chunk)
            .values("pk", "code", "head_name", "is_active", "commune__is_urban")
        ):
            found[household["code"]] = household
    return found


def _reviews_by_key(household_ids, years) -> dict[tuple[int, int], dict]:
    """Recorded reviews of these households in these years, with their indicator codes."""
    reviews: dict[tuple[int, int], dict] = {}
    by_pk: dict[int, dict] = {}
    for chunk in _chunks(household_ids):
        for pk, household_id, year, status, income in PovertyReview.objects.filter(
            household_id__in=chunk, year__in=years
        ).values_list("pk", "household_id", "year", "status", "income_per_person"):
            review = {"status": status, "income": income, "deprivations": set()}
            reviews[(household_id, year)] = by_pk[pk] = review
    through = PovertyReview.deprivations.through
    for chunk in _chunks(by_pk):
        for review_id, code in through.objects.filter(
            povertyreview_id__in=chunk
        ).values_list("povertyreview_id", "deprivationindicator__code"):
            by_pk[review_id]["deprivations"].add(code)
    return reviews


def _check_registry(
    rows, *, actor, layout: _Layout, check_columns: bool, standards, indicators
) -> None:
    """Household, head name, year and duplicates of each row, against the registry.
    With ``check_columns``, a year whose standard has indicators the file has no
    column for refuses the file."""
    today = timezone.localdate()
    households = _households_by_code(
        actor, {r["household_code"] for r in rows if r["household_code"]}
    )
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        p = {"row": row["row"], "code": row["household_code"], "year": row["year"]}
        code = row["household_code"]
        household = (
            (households.get(code) or households.get(code.upper())) if code else None
        )
        if code and household is None:
            message = _("Row %(row)s: unknown household code “%(code)s”.")
            _add_error(row, layout.title(CODE.key), message % p)
        elif household is not None:
            row["household_id"] = household["pk"]
            row["household_head_name"] = household["head_name"]
            row["_is_urban"] = household["commune__is_urban"]
            if not household["is_active"]:
                message = _("Row %(row)s: household %(code)s is archived.")
                _add_error(row, layout.title(CODE.key), message % p)
            if row["head_name"] and fold(row["head_name"]) != fold(
                household["head_name"]
            ):
                message = _(
                    "Row %(row)s: the head of household %(code)s is “%(registry)s” in "
                    "the registry, not “%(file)s”."
                )
                params = {
                    **p,
                    "registry": household["head_name"],
                    "file": row["head_name"],
                }
                _add_error(row, layout.title(HEAD.key), message % params)

        year = row["year"]
        standard = standards.get(year) if year is not None else None
        if year is None:
            pass
        elif year > today.year:
            message = _("Row %(row)s: %(year)s is in the future.")
            _add_error(row, layout.title(YEAR.key), message % p)
        elif standard is None:
            message = _("Row %(row)s: no poverty standard covers %(year)s.")
            _add_error(row, layout.title(YEAR.key), message % p)
        else:
            allowed = standards.codes(standard)
            for code_ in row["deprivations"]:
                if code_ not in allowed:
                    message = _(
                        "Row %(row)s: the indicator “%(indicator)s” is not part of the "
                        "%(year)s standard."
                    )
                    params = {**p, "indicator": str(indicators.get(code_, code_))}
                    _add_error(row, layout.title(code_), message % params)
            missing = allowed - set(layout.indicators)
            if check_columns and missing:
                names = sorted(
                    (indicators[c] for c in missing), key=lambda i: i.sort_order
                )
                raise ValidationError(
                    _(
                        "The file has no column for these indicators of the %(year)s "
                        "standard: %(columns)s."
                    )
                    % {
                        "year": year,
                        "columns": ", ".join(f"“{i.name_vi}”" for i in names),
                    },
                    code="missing_indicators",
                )

        if row["household_id"] and year is not None:
            key = (row["household_id"], year)
            if key in seen:
                message = _(
                    "Row %(row)s: household %(code)s appears again for %(year)s (first "
                    "on row %(first)s)."
                )
                _add_error(
                    row, layout.title(CODE.key), message % {**p, "first": seen[key]}
                )
            else:
                seen[key] = row["row"]


def _evaluate(rows: list[dict], *, actor, layout: _Layout | None = None) -> None:
    """Fill in the household, the proposal and the outcome of each row, adding the
    errors that need the registry. ``layout`` is the file's (at upload) or None (when
    applying stored rows).

    Rows are judged in year order, so when a file holds two years of one household the
    second year's proposal follows the first, as the service will when they are written
    in that order."""
    standards = _Standards()
    indicators = {i.code: i for i in DeprivationIndicator.objects.all()}
    check_columns = layout is not None
    layout = layout or _Layout()
    _check_registry(
        rows,
        actor=actor,
        layout=layout,
        check_columns=check_columns,
        standards=standards,
        indicators=indicators,
    )
    ready = [r for r in rows if not r["errors"]]
    years = {r["year"] for r in ready} | {r["year"] - 1 for r in ready}
    reviews = _reviews_by_key({r["household_id"] for r in ready}, years)
    in_file: dict[tuple[int, int], str] = {}  # statuses this import will record
    for row in sorted(ready, key=lambda r: (r["year"], r["row"])):
        household_id, year = row["household_id"], row["year"]
        previous = reviews.get((household_id, year - 1))
        deprivations = sorted(
            (indicators[c] for c in row["deprivations"]),
            key=lambda d: (d.sort_order, d.code),
        )
        proposal = propose_status(
            standard=standards.get(year),
            income_per_person=row["income_per_person"],
            deprivation_names=[str(d) for d in deprivations],
            is_urban=row.get("_is_urban", False),
            previous_status=(
                previous["status"]
                if previous
                else in_file.get((household_id, year - 1))
            ),
        )
        final = row["status"] or proposal.status
        row.update(
            proposed_status=str(proposal.status),
            proposed_label=str(PovertyStatus(proposal.status).label),
            proposal_reason=proposal.reason,
            final_status=str(final),
            final_label=str(PovertyStatus(final).label),
        )
        p = {"row": row["row"], "code": row["household_code"], "year": year}
        existing = reviews.get((household_id, year))
        if existing is not None:
            if (
                existing["income"] == row["income_per_person"]
                and existing["deprivations"] == set(row["deprivations"])
                and existing["status"] == final
            ):
                row["outcome"] = "unchanged"
            else:
                message = _(
                    "Row %(row)s: household %(code)s already has a different review "
                    "for %(year)s; change it on the household page."
                )
                _add_error(row, layout.title(CODE.key), message % p)
        elif final != proposal.status and not row["override_reason"]:
            message = _(
                "Row %(row)s: the portal proposes “%(proposed)s”; give a reason in the "
                "column “%(column)s” for recording “%(chosen)s”."
            )
            title = layout.title(REASON.key)
            params = {
                **p,
                "proposed": row["proposed_label"],
                "chosen": row["final_label"],
                "column": title,
            }
            _add_error(row, title, message % params)
        else:
            row["outcome"] = "create"
            in_file[(household_id, year)] = final
    for row in rows:
        row.pop("_is_urban", None)
        if row["errors"]:
            row["outcome"] = "error"


def _summary(rows: list[dict]) -> dict:
    return {
        "total": len(rows),
        "create": sum(r["outcome"] == "create" for r in rows),
        "unchanged": sum(r["outcome"] == "unchanged" for r in rows),
        "error_rows": sum(r["outcome"] == "error" for r in rows),
        "errors": [e for r in rows for e in r["errors"]],
    }
