"""Loads the state-defined reference data: ethnic groups, deprivation indicators and the
poverty standards. Sources are cited in households/data/SOURCES.md. Idempotent: rows are
matched on their codes, so re-running (or editing a row in the admin first) is safe.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("households", "EthnicGroup")
    Indicator = apps.get_model("households", "DeprivationIndicator")
    Standard = apps.get_model("households", "PovertyStandard")
    for row in _rows("ethnic_groups.csv"):
        EthnicGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "present_locally": row["present_in_ea_ktur"] == "yes",
            },
        )
    for row in _rows("indicators.csv"):
        Indicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "dimension": row["dimension"],
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "description_vi": row["description_vi"],
                "description_en": row["description_en"],
                "sort_order": int(row["sort_order"]),
            },
        )
    for row in _rows("poverty_standards.csv"):
        standard, _ = Standard.objects.update_or_create(
            first_year=int(row["first_year"]),
            defaults={
                "name": row["name"],
                "legal_basis": row["legal_basis"],
                "last_year": int(row["last_year"]),
                "rural_line": int(row["rural_line"]),
                "urban_line": int(row["urban_line"]),
                "rural_average_ceiling": int(row["rural_average_ceiling"]),
                "urban_average_ceiling": int(row["urban_average_ceiling"]),
                "poor_min_deprivations": int(row["poor_min_deprivations"]),
            },
        )
        standard.indicators.set(
            Indicator.objects.filter(code__in=row["indicators"].split())
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
