"""Vietnamese text, national ID and phone number rules.

Pure functions with no database access, shared by forms, services, the import and the
demo data, so every entry path checks a number the same way.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")


def english_active() -> bool:
    """True when the reader's language is English (Vietnamese is the default)."""
    return (get_language() or "vi").startswith("en")


def fold(text: str) -> str:
    """Lower case without diacritics, for search and duplicate checks.

    "Nguyễn Thị Đào" -> "nguyen thi dao"; Ê Đê names keep their letters ("H'Hen Niê" ->
    "h'hen nie"). đ is not a combining mark in Unicode, so it is mapped by hand.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def clean_name(text: str) -> str:
    """Trim and collapse spaces; keep the person's own capitalisation and marks (NFC)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


# Province codes (first three digits) used on citizen ID cards: 001..096, odd gaps.
# The registry accepts every code of the published list, not only Dak Lak's 066.
_PROVINCE_CODES = {
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019",
    "020", "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036",
    "037", "038", "040", "042", "044", "045", "046", "048", "049", "051", "052", "054",
    "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
    "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093",
    "094", "095", "096",
}  # fmt: skip


def validate_national_id(value: str, *, today: date | None = None) -> str:
    """Check a 12-digit citizen ID number: AAA B YY NNNNNN.

    AAA is the province of birth registration, B the century and sex (0/1 for 1900s
    male/female, 2/3 for 2000s, 4/5 for 2100s), YY the last two digits of the birth year.
    Returns the normalised number or raises ValidationError with a translated message.
    """
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"\d{12}", digits):
        raise ValidationError(
            _("A national ID number has exactly 12 digits."), code="id_length"
        )
    if digits[:3] not in _PROVINCE_CODES:
        raise ValidationError(
            _("The first three digits (%(code)s) are not a province code."),
            code="id_province",
            params={"code": digits[:3]},
        )
    century_digit = int(digits[3])
    if century_digit > 5:
        raise ValidationError(
            _("The fourth digit must be 0–5 (century and sex of the holder)."),
            code="id_century",
        )
    year = national_id_birth_year(digits)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(
            _("The birth year encoded in this ID (%(year)s) is in the future."),
            code="id_future",
            params={"year": year},
        )
    return digits


def national_id_birth_year(digits: str) -> int:
    century = 1900 + 100 * (int(digits[3]) // 2)
    return century + int(digits[4:6])


def national_id_sex(digits: str) -> str:
    """ "male" or "female" as encoded by the fourth digit."""
    return "female" if int(digits[3]) % 2 else "male"


def mask_national_id(digits: str) -> str:
    """Lists show only the last three digits: ``*********123``."""
    if not digits:
        return ""
    return "•" * (len(digits) - 3) + digits[-3:]


_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


def normalise_phone(value: str) -> str:
    """Vietnamese mobile numbers to their 10-digit national form: 0xx xxx xxxx.

    Accepts spaces, dots, dashes and the international forms +84 / 84.
    """
    raw = re.sub(r"[\s.\-()]", "", value or "")
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11:
        raw = "0" + raw[2:]
    if not re.fullmatch(r"\d{10}", raw) or not raw.startswith(_MOBILE_PREFIXES):
        raise ValidationError(
            _(
                "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 "
                "or 09 (or +84 followed by 9 digits)."
            ),
            code="phone",
        )
    return raw


def trim_decimal(value):
    """6.60 -> 6.6, 9.00 -> 9 (a rate reads as people say it)."""
    value = Decimal(value)
    return (
        value.quantize(Decimal(1))
        if value == value.to_integral()
        else value.normalize()
    )
