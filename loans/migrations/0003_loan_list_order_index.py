"""An index on the loan list's default order (newest application first), so that a
page of the list walks the index instead of sorting the whole book (docs/performance.md).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("loans", "0002_programs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(
                fields=["-applied_on", "-id"], name="loan_list_order_idx"
            ),
        ),
    ]
