"""Load the program guides from ``eakutur/residents/data/program_guides.csv`` (see
SOURCES.md there)."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "program_guides.csv"
FIELDS = (
    "kind", "title_vi", "title_en", "summary_vi", "summary_en", "amount_vi",
    "amount_en", "documents_vi", "documents_en", "where_vi", "where_en",
    "local_language", "summary_local", "source",
)  # fmt: skip


def load(apps, schema_editor):
    ProgramGuide = apps.get_model("residents", "ProgramGuide")
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            defaults = {name: row[name] for name in FIELDS}
            defaults["sort_order"] = int(row["sort_order"])
            ProgramGuide.objects.update_or_create(code=row["code"], defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_public_attempts_program_guides")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
