"""Our password rule on top of Django's: no words anyone would guess first here."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Compared after lower-casing and dropping accents, spaces and punctuation, so
# "Ea Ktur", "ÊaKtur" and "mật-khẩu" are caught too. Kept short on purpose: the common
# passwords list does the rest.
OBVIOUS_WORDS = (
    "eaktur",
    "eakutur",
    "daklak",
    "daklac",
    "cukuin",
    "matkhau",
    "password",
    "123456",
    "654321",
    "qwerty",
)


def _plain(text: str) -> str:
    text = text.lower().replace("đ", "d")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and ch.isascii())


class ObviousWordsValidator:
    """Refuses passwords containing the commune's name, "matkhau", "123456" and the like."""

    def validate(self, password: str, user=None) -> None:
        plain = _plain(password)
        if any(word in plain for word in OBVIOUS_WORDS):
            raise ValidationError(
                _(
                    "This password contains a word that is easy to guess, such as the "
                    "commune's name, “matkhau” or “123456”."
                ),
                code="password_obvious_word",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can't contain the commune's name, “matkhau”, “123456” or "
            "similar easy words."
        )
