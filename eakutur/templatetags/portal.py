"""Template helpers shared by every page: money, statuses, masked IDs."""

from django import template
from django.utils.html import format_html

from households.models import Crop, PovertyStatus
from households.poverty import format_vnd
from households.text import mask_national_id, trim_decimal

register = template.Library()

STATUS_CLASSES = {
    PovertyStatus.POOR: "text-bg-danger",
    PovertyStatus.NEAR_POOR: "text-bg-warning",
    PovertyStatus.ESCAPED_POOR: "text-bg-info",
    PovertyStatus.ESCAPED_NEAR_POOR: "text-bg-info",
    PovertyStatus.AVERAGE: "text-bg-secondary",
    PovertyStatus.NONE: "text-bg-light border",
}


@register.filter
def vnd(amount) -> str:
    """147000000 -> "147.000.000 ₫"."""
    if amount in (None, ""):
        return ""
    # On a page the amount and its ₫ never break across lines.
    return format_vnd(int(amount)).replace(" ", "\u00a0")


@register.filter
def masked_id(value: str | None) -> str:
    return mask_national_id(value or "")


@register.filter
def crop_labels(values) -> str:
    labels = dict(Crop.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])


@register.simple_tag
def status_badge(status: str):
    if not status:
        from django.utils.translation import gettext as _

        return format_html(
            '<span class="badge text-bg-light border">{}</span>', _("not reviewed")
        )
    label = PovertyStatus(status).label
    return format_html(
        '<span class="badge {}">{}</span>', STATUS_CLASSES[status], label
    )


@register.filter
def trimmed(value):
    """A decimal without trailing zeros: 6.60 shows "6,6" (in Vietnamese), 9.00 "9"."""
    if value in (None, ""):
        return ""
    return trim_decimal(value)
