"""Delivery.error_code: what kind of failure, so officials read a translated explanation.

Rows written before the code existed get one where their text is one the portal itself
wrote (the relay give-up, the sweeper's re-queue, the channels' fixed messages); any other
text stays blank and reads as "unknown". The texts are frozen here on purpose.
"""

from django.db import migrations, models

# (lookup on Delivery.error, value, code)
KNOWN_TEXTS = [
    ("exact", "not forwarded by the village officer", "not_forwarded"),
    (
        "exact",
        "worker lost during the send; outcome unknown, sending again",
        "interrupted",
    ),
    ("contains", "Zalo error -230", "group_invalid"),
    ("contains", "Zalo error -232", "not_in_group"),
    ("contains", "Zalo token refresh failed", "token"),
    ("exact", "no phone number in the group", "no_recipients"),
    ("exact", "no e-mail address in the group", "no_recipients"),
    ("startswith", "invalid phone number:", "invalid_address"),
    ("startswith", "invalid e-mail address:", "invalid_address"),
]


def label_known_errors(apps, schema_editor):
    Delivery = apps.get_model("outreach", "Delivery")
    for lookup, text, code in KNOWN_TEXTS:
        Delivery.objects.filter(error_code="", **{f"error__{lookup}": text}).update(
            error_code=code
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_resident_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="error_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("group_invalid", "Zalo group invalid"),
                    ("not_in_group", "Zalo account not in the group"),
                    ("no_recipients", "no recipient in the group"),
                    ("invalid_address", "invalid phone number or e-mail address"),
                    ("not_forwarded", "not forwarded by the village officer"),
                    ("token", "Zalo account disconnected"),
                    ("not_configured", "channel not set up"),
                    ("rejected", "refused by the provider"),
                    ("quota", "sending quota used up"),
                    ("provider_down", "provider unavailable"),
                    ("timeout", "no answer in time"),
                    ("interrupted", "send interrupted"),
                    ("unknown", "unknown"),
                ],
                max_length=20,
                verbose_name="kind of error",
            ),
        ),
        migrations.RunPython(label_known_errors, migrations.RunPython.noop),
    ]
