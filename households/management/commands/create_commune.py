"""``manage.py create_commune``: add a commune to the deployment, with its villages from
a CSV file and its first commune administrator.

The villages file has a header row and the columns ``code``, ``name``, ``kind`` (thôn or
buôn; ``thon``/``buon`` too) and ``ethnic_minority`` (yes/no, có/không, 1/0; empty is
no), one village a row, in the order the commune lists them. Nothing is written unless
every row is good.
"""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from households.models import VillageKind
from households.services.communes import VillageRow, commune_create
from households.text import fold

COLUMNS = ("code", "name", "kind", "ethnic_minority")
KINDS = {"thon": VillageKind.THON, "buon": VillageKind.BUON}
YES = {"1", "yes", "true", "x", "co"}
NO = {"", "0", "no", "false", "khong"}


class Command(BaseCommand):
    help = (
        "Add a commune: its code, name, province and (when the deployment hosts several "
        "communes) the host name its resident portal answers on; optionally its "
        "villages from a CSV file and its first commune administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="e.g. EAKMAT")
        parser.add_argument("--name", required=True, help='e.g. "Xã Ea Kmát"')
        parser.add_argument("--province", required=True, help='e.g. "Đắk Lắk"')
        parser.add_argument(
            "--hostname",
            default=None,
            help="The host name of its resident portal, e.g. eakmat.example.gov.vn "
            "(also add it to ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--urban",
            action="store_true",
            help="An urban ward or town: judged against the urban poverty line.",
        )
        parser.add_argument(
            "--villages-csv",
            type=Path,
            help="Villages: a CSV file with the columns " + ", ".join(COLUMNS) + ".",
        )
        parser.add_argument(
            "--admin",
            default="",
            metavar="USERNAME",
            help="Create the commune's first administrator with this username, without "
            "a password (set it with `manage.py changepassword USERNAME`).",
        )

    def handle(self, *args, **options):
        villages = _read_villages(options["villages_csv"])
        try:
            commune = commune_create(
                code=options["code"],
                name=options["name"],
                province=options["province"],
                is_urban=options["urban"],
                hostname=options["hostname"],
                villages=villages,
                admin_username=options["admin"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {commune.name} ({commune.code}) with "
                f"{commune.villages.count()} villages."
            )
        )
        if options["admin"]:
            self.stdout.write(
                f"Set the administrator's password: "
                f"manage.py changepassword {options['admin']}"
            )
        if not commune.hostname:
            self.stdout.write(
                "No host name: its resident portal is served only while it is the "
                "deployment's only commune."
            )


def _read_villages(path: Path | None) -> list[VillageRow]:
    if path is None:
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = set(COLUMNS) - set(reader.fieldnames or ())
            if missing:
                raise CommandError(
                    f"{path}: missing column(s) {', '.join(sorted(missing))}; "
                    f"the header must be {','.join(COLUMNS)}."
                )
            return [_row(line, n) for n, line in enumerate(reader, start=2)]
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not UTF-8 text.") from exc


def _row(line: dict, number: int) -> VillageRow:
    kind = KINDS.get(fold(line["kind"] or "").strip())
    minority = fold(line["ethnic_minority"] or "").strip()
    if kind is None:
        raise CommandError(f"Line {number}: kind must be thôn or buôn.")
    if minority not in YES | NO:
        raise CommandError(f"Line {number}: ethnic_minority must be yes or no.")
    return VillageRow(
        code=line["code"] or "",
        name=line["name"] or "",
        kind=kind,
        is_ethnic_minority=minority in YES,
    )
