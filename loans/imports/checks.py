"""The rows against the registry and the loan book.

``_evaluate`` looks up, in a handful of queries whatever the number of rows, each row's
household (within the actor's villages: a household the actor cannot see is an "unknown
household code", never "not yours"), program, savings group (of the household's village)
and contract number, checks the amount and term against the program, and sets the
row's outcome:

- ``new``: to be recorded on confirmation;
- ``recorded``: the contract number is already in the loan book for the same household,
  program, amount and disbursement date (an overlapping or repeated list): skipped;
- ``error``: anything else wrong, including a contract number recorded with different
  figures, or the same contract number twice in the file.

It runs at upload and again, on the stored rows, when the batch is confirmed.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from households.imports.columns import _norm
from households.imports.registry import _chunks
from households.selectors import households_for
from households.text import fold

from ..models import Loan, LoanProgram
from ..selectors import savings_groups_for
from .columns import AMOUNT, CODE, COLUMNS, CONTRACT, GROUP, PROGRAM, TERM, _Layout
from .rows import _add_error


def _households_by_code(actor, codes) -> dict[str, dict]:
    """The households the actor may see, archived included (so the row can say so)."""
    found: dict[str, dict] = {}
    wanted = {c for code in codes for c in (code, code.upper())}
    for chunk in _chunks(wanted):
        for household in (
            households_for(actor, include_archived=True)
            .filter(code__in=chunk)
            .values(
                "pk", "code", "head_name", "is_active", "village_id", "village__name"
            )
        ):
            found[household["code"]] = household
    return found


def _program_table() -> dict[str, LoanProgram]:
    """Folded code or Vietnamese or English name -> program."""
    programs = list(LoanProgram.objects.all())
    table: dict[str, LoanProgram] = {}
    for program in programs:
        table.setdefault(_norm(program.code), program)
    for program in programs:
        for name in (program.name_vi, program.name_en):
            table.setdefault(_norm(name), program)
    return table


def _groups_by_village(actor) -> dict[tuple[int, str], dict]:
    """(village id, folded name) -> the group's pk, name and whether it is active."""
    return {
        (g["village_id"], fold(g["name"])): g
        for g in savings_groups_for(actor).values(
            "pk", "village_id", "name", "is_active"
        )
    }


def _loans_by_contract(commune_id, contracts) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for chunk in _chunks(contracts):
        for loan in Loan.objects.filter(
            commune_id=commune_id, contract_number__in=chunk
        ).values(
            "pk",
            "contract_number",
            "household_id",
            "household__code",
            "program_id",
            "amount",
            "disbursed_on",
        ):
            found[loan["contract_number"]] = loan
    return found


def _matches(loan: dict, row: dict) -> bool:
    return (
        loan["household_id"] == row["household_id"]
        and loan["program_id"] == row["program_id"]
        and loan["amount"] == row["amount"]
        and loan["disbursed_on"] is not None
        and loan["disbursed_on"].isoformat() == row["disbursed_on"]
    )


def _evaluate(rows: list[dict], *, actor, layout: _Layout | None = None) -> None:
    """Fill in each row's household, program, group and outcome, adding the errors that
    need the registry. ``layout`` is the file's (at upload) or None (at confirmation)."""
    title = (layout or _Layout()).title
    households = _households_by_code(
        actor, {r["household_code"] for r in rows if r["household_code"]}
    )
    programs = _program_table()
    groups = _groups_by_village(actor)
    loans = _loans_by_contract(
        actor.commune_id, {r["contract_number"] for r in rows if r["contract_number"]}
    )
    order = {title(column.key): index for index, column in enumerate(COLUMNS)}
    seen: dict[str, int] = {}
    for row in rows:
        code = row["household_code"]
        household = (
            (households.get(code) or households.get(code.upper())) if code else None
        )
        if code and household is None:
            problem = _("unknown household code “%(code)s”.") % {"code": code}
            _add_error(row, title(CODE.key), problem)
        elif household is not None:
            row.update(
                household_code=household["code"],
                household_id=household["pk"],
                head_name=household["head_name"],
                village_id=household["village_id"],
                village_name=household["village__name"],
            )

        program = (
            programs.get(_norm(row["program_code"])) if row["program_code"] else None
        )
        if row["program_code"] and program is None:
            problem = _(
                "unknown program “%(code)s”; use a code from the second sheet of the "
                "template."
            )
            _add_error(row, title(PROGRAM.key), problem % {"code": row["program_code"]})
        elif program is not None:
            row.update(
                program_code=program.code,
                program_id=program.pk,
                program_name=str(program),
            )

        contract = row["contract_number"]
        existing = loans.get(contract) if contract else None
        if contract in seen:
            problem = _("contract %(number)s appears again (first on row %(first)s).")
            params = {"number": contract, "first": seen[contract]}
            _add_error(row, title(CONTRACT.key), problem % params)
            existing = None
        elif contract:
            seen[contract] = row["row"]
        if existing is not None and _matches(existing, row):
            row["loan_id"] = existing["pk"]
        elif existing is not None:
            problem = _(
                "contract %(number)s is already recorded for household %(code)s with "
                "different figures."
            )
            params = {"number": contract, "code": existing["household__code"]}
            _add_error(row, title(CONTRACT.key), problem % params)

        if row["loan_id"] is None:  # only what is to be recorded must still be open
            _check_new(row, household, program, groups, title)
        if row["errors"]:
            row["errors"].sort(key=lambda e: order.get(e["column"], len(order)))
            row["outcome"] = "error"
        elif row["loan_id"] is not None:
            row["outcome"] = "recorded"
        else:
            row["outcome"] = "new"


def _check_new(row: dict, household, program, groups, title) -> None:
    """What a row to be recorded needs besides its cells: an active household, an open
    program whose cap and term it respects, an active group of the household's village."""
    params = {"code": row["household_code"]}
    if household is not None and not household["is_active"]:
        problem = _("household %(code)s is archived.") % params
        _add_error(row, title(CODE.key), problem)
    if program is not None and not program.is_active:
        problem = _("the program %(code)s is retired and takes no new loans.")
        _add_error(row, title(PROGRAM.key), problem % {"code": program.code})
    elif program is not None and (row["amount"] or row["term_months"]):
        try:
            program.check_terms(amount=row["amount"], term_months=row["term_months"])
        except ValidationError as exc:
            columns = {"amount": AMOUNT.key, "term_months": TERM.key}
            for field, errors in exc.message_dict.items():
                for problem in errors:
                    _add_error(row, title(columns.get(field, AMOUNT.key)), problem)
    if household is not None and row["group_name"]:
        group = groups.get((household["village_id"], fold(row["group_name"])))
        params = {"name": row["group_name"], "village": household["village__name"]}
        if group is None:
            problem = _("“%(name)s” is not a savings group of %(village)s.") % params
            _add_error(row, title(GROUP.key), problem)
        elif not group["is_active"]:
            problem = _("the savings group “%(name)s” of %(village)s is closed.")
            _add_error(row, title(GROUP.key), problem % params)
        else:
            row.update(group_id=group["pk"], group_name=group["name"])


def _summary(rows: list[dict]) -> dict:
    new = [r for r in rows if r["outcome"] == "new"]
    return {
        "rows": len(rows),
        "new": len(new),
        "recorded": sum(r["outcome"] == "recorded" for r in rows),
        "error_rows": sum(r["outcome"] == "error" for r in rows),
        "errors": [e for r in rows for e in r["errors"]],
        "new_amount": sum(r["amount"] or 0 for r in new),
    }
