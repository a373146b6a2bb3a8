"""What a user reads on a page, for the view tests: texts looked up in the Vietnamese
catalogue (``vi``), the page's HTML unescaped (``text_of``), and assertions on both."""

from html import unescape

from django.utils import translation
from django.utils.translation import gettext


def vi(message: str, **params) -> str:
    """The text a Vietnamese user sees for a source string of the portal."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def text_of(response) -> str:
    return unescape(response.content.decode())


def assert_shows(response, *texts):
    page = text_of(response)
    for text in texts:
        assert text in page, f"{text!r} is not on the page"


def assert_not_shows(response, *texts):
    page = text_of(response)
    for text in texts:
        assert text not in page, f"{text!r} is on the page"
