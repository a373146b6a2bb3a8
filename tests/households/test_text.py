"""Vietnamese text, national ID and phone rules (households/text.py): pure functions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from households.text import (
    clean_name,
    fold,
    mask_national_id,
    national_id_birth_year,
    national_id_sex,
    normalise_phone,
    validate_national_id,
)

TODAY = date(2026, 6, 1)


# --- fold: search and duplicate checks ignore case and diacritics ----------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("ĐẶNG VĂN ĐỨC", "dang van duc"),
        ("Trương Thị Ánh Nguyệt", "truong thi anh nguyet"),
        ("Lưu Ơn", "luu on"),
        # Ê Đê and M'nông names keep their H' / Y prefixes and apostrophes.
        ("H'Hen Niê", "h'hen nie"),
        ("Y Bhim Êban", "y bhim eban"),
        ("H’Zim Byă", "h’zim bya"),
        ("  Nguyễn   Văn\tAn  ", "nguyen van an"),
        ("", ""),
    ],
)
def test_fold_removes_case_and_diacritics(text, folded):
    assert fold(text) == folded


def test_fold_handles_decomposed_input_like_precomposed():
    """A name typed on a phone may arrive in NFD; it must fold the same way."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Đào")
    assert fold(nfd) == fold("Nguyễn Thị Đào") == "nguyen thi dao"


def test_fold_of_none_is_empty():
    assert fold(None) == ""


def test_clean_name_keeps_marks_and_capitalisation_but_trims_spaces():
    assert clean_name("  H'Hen   Niê ") == "H'Hen Niê"
    assert clean_name("nguyễn văn an") == "nguyễn văn an"


# --- national ID: AAA B YY NNNNNN --------------------------------------------------------


def test_a_dak_lak_id_is_accepted_and_decoded():
    digits = validate_national_id("066085001234", today=TODAY)
    assert digits == "066085001234"
    assert national_id_birth_year(digits) == 1985
    assert national_id_sex(digits) == "male"


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("066185001234", 1985, "female"),  # 1 = female born in the 1900s
        ("001203004567", 2003, "male"),  # 2 = male born in the 2000s (Hà Nội)
        ("079310004567", 2010, "female"),  # 3 = female born in the 2000s (TP HCM)
        ("066000001234", 1900, "male"),
    ],
)
def test_century_digit_gives_birth_year_and_sex(number, year, sex):
    digits = validate_national_id(number, today=TODAY)
    assert national_id_birth_year(digits) == year
    assert national_id_sex(digits) == sex


@pytest.mark.parametrize(
    "typed",
    ["066 085 001 234", "066.085.001.234", "066-085-001234", " 066085001234 "],
)
def test_spaces_dots_and_dashes_are_stripped(typed):
    assert validate_national_id(typed, today=TODAY) == "066085001234"


def _error(number, today=TODAY) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_national_id(number, today=today)
    return info.value


@pytest.mark.parametrize(
    "number", ["06608500123", "0660850012345", "", "066085", "9" * 20]
)
def test_wrong_length_is_refused(number):
    assert _error(number).code == "id_length"


@pytest.mark.parametrize("number", ["06608500123A", "O66085001234", "066085OO1234"])
def test_letters_are_refused(number):
    assert _error(number).code == "id_length"


@pytest.mark.parametrize("number", ["999085001234", "000085001234", "003085001234"])
def test_unknown_province_code_is_refused(number):
    error = _error(number)
    assert error.code == "id_province"
    with translation.override("en"):
        assert number[:3] in error.messages[0]


@pytest.mark.parametrize("digit", "6789")
def test_century_digit_above_5_is_refused(digit):
    assert _error(f"066{digit}85001234").code == "id_century"


def test_birth_year_in_the_future_is_refused():
    # 2 + "27" = born 2027, after "today" (2026).
    error = _error("066227001234")
    assert error.code == "id_future"
    with translation.override("en"):
        assert "2027" in error.messages[0]
    # The same number is fine once that year has come.
    assert validate_national_id("066227001234", today=date(2027, 1, 1))


def test_birth_this_year_is_accepted():
    assert validate_national_id("066226001234", today=TODAY) == "066226001234"


def test_error_messages_are_translated():
    with translation.override("en"):
        english = _error("123").messages[0]
    with translation.override("vi"):
        vietnamese = _error("123").messages[0]
    assert "12 digits" in english
    assert vietnamese != english, "the ID error is not in the Vietnamese catalogue"


# --- mask ---------------------------------------------------------------------------------


def test_mask_shows_only_the_last_three_digits():
    masked = mask_national_id("066085001234")
    assert masked.endswith("234")
    assert len(masked) == 12
    assert "066085001" not in masked
    assert not any(ch.isdigit() for ch in masked[:-3])


def test_mask_of_no_id_is_empty():
    assert mask_national_id("") == ""
    assert mask_national_id(None) == ""


# --- phone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "0912.345.678",
        "0912-345-678",
        "(091) 234 5678",
    ],
)
def test_mobile_numbers_are_normalised_to_ten_digits(typed):
    assert normalise_phone(typed) == "0912345678"


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_prefix_is_accepted(prefix):
    number = prefix + "12345678"
    assert normalise_phone(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "0262381234",  # Dak Lak landline (02x)
        "0281234567",
        "091234567",  # 9 digits
        "09123456789",  # 11 digits
        "+8491234567",  # +84 with 8 digits
        "0912abc678",
        "1912345678",
        "",
    ],
)
def test_landlines_and_wrong_lengths_are_refused(typed):
    with pytest.raises(ValidationError) as info:
        normalise_phone(typed)
    assert info.value.code == "phone"
