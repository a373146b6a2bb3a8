"""Load the loan program catalogue from ``loans/data/loan_programs.csv`` (see SOURCES.md)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "loan_programs.csv"


def load(apps, schema_editor):
    LoanProgram = apps.get_model("loans", "LoanProgram")
    with DATA.open(encoding="utf-8") as f:
        for order, row in enumerate(csv.DictReader(f)):
            LoanProgram.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_vi": row["name_vi"],
                    "name_en": row["name_en"],
                    "max_amount": int(row["max_amount_vnd"])
                    if row["max_amount_vnd"]
                    else None,
                    "cap_is_per_month": row["cap_is_per_month"] == "yes",
                    "annual_rate": Decimal(row["annual_rate_percent"]),
                    "max_term_months": int(row["max_term_months"])
                    if row["max_term_months"]
                    else None,
                    "who_qualifies_vi": row["who_qualifies_vi"],
                    "who_qualifies_en": row["who_qualifies_en"],
                    "source_vi": row["source_vi"],
                    "source_en": row["source_en"],
                    "confidence_vi": row["confidence_vi"],
                    "confidence_en": row["confidence_en"],
                    "sort_order": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
