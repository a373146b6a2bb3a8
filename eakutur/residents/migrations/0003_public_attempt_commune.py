"""Each public attempt keeps the commune whose pages took it. Rows logged before are
given the commune of the household or village they name, or, on a deployment with a
single commune, that commune; on one with several, an attempt that named neither cannot
be placed and stays empty (only a superuser sees it)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_in(apps, schema_editor):
    PublicAttempt = apps.get_model("residents", "PublicAttempt")
    Commune = apps.get_model("households", "Commune")
    Household = apps.get_model("households", "Household")
    Village = apps.get_model("households", "Village")
    unplaced = PublicAttempt.objects.filter(commune__isnull=True)
    unplaced.filter(household__isnull=False).update(
        commune=Subquery(
            Household.objects.filter(pk=OuterRef("household_id")).values("commune_id")
        )
    )
    unplaced.filter(village__isnull=False).update(
        commune=Subquery(
            Village.objects.filter(pk=OuterRef("village_id")).values("commune_id")
        )
    )
    communes = list(Commune.objects.values_list("pk", flat=True)[:2])
    if len(communes) == 1:
        unplaced.update(commune=communes[0])


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0003_commune_hostname"),
        ("residents", "0002_program_guides"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicattempt",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="households.commune",
                verbose_name="commune",
            ),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
