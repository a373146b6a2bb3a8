"""Our password rule, and the password change form telling the rules in Vietnamese."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from eakutur.accounts.validators import ObviousWordsValidator
from tests.pages import assert_shows, vi

OBVIOUS = (
    "This password contains a word that is easy to guess, such as the commune's name, "
    "“matkhau” or “123456”."
)
RULE = (
    "Your password can't contain the commune's name, “matkhau”, “123456” or similar "
    "easy words."
)


@pytest.mark.parametrize(
    "password",
    [
        "EaKtur-2026-xuan",
        "ea ktur mua xuan",
        "ÊaKtur!!vui",
        "Mật-Khẩu-Của-Tôi",
        "hoa-mai-123456-no",
        "Đắk Lắk quê hương",
    ],
)
def test_obvious_words_are_refused_whatever_the_accents_and_spaces(password):
    with pytest.raises(ValidationError) as refused:
        ObviousWordsValidator().validate(password)
    assert refused.value.error_list[0].code == "password_obvious_word"


@pytest.mark.parametrize(
    "password", ["buon-Tieu-mua-ca-phe", "Hoa ban no tren nuong", "7-con-voi-xanh"]
)
def test_ordinary_passphrases_pass(password):
    ObviousWordsValidator().validate(password)


def test_the_validator_is_one_of_the_portals_rules(db):
    with pytest.raises(ValidationError) as refused:
        validate_password("cong-thong-tin-eaktur")
    assert "password_obvious_word" in [e.code for e in refused.value.error_list]


def test_the_password_change_form_lists_the_rules_in_vietnamese(official_client):
    page = official_client.get("/accounts/password/")
    assert_shows(page, vi(RULE))
    # Django's own rules, from Django's Vietnamese catalogue.
    assert_shows(page, "10")
    assert "Your password must contain at least" not in page.content.decode()


def test_a_refused_new_password_says_why_in_vietnamese(official_client):
    response = official_client.post(
        "/accounts/password/",
        {
            "old_password": "mat-khau-thu-nghiem",
            "new_password1": "EaKtur-mua-xuan-2026",
            "new_password2": "EaKtur-mua-xuan-2026",
        },
    )
    assert response.status_code == 200
    assert_shows(response, vi(OBVIOUS))
