"""Every public page: under 150 KB with everything it loads (HTML, CSS, images), no
script, and the WCAG basics a screen reader and a keyboard need (language attribute,
one heading 1, a label for every field, alt text). Measured on a busy commune's data;
the same pages are weighed again in real Chromium (tests/e2e/test_resident_journeys.py).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.residents.page_set import LIMIT, prove, public_pages

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """What the checks need from a page, read with the standard library."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.assets: list[str] = []
        self.scripts = 0
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.images_without_alt = 0
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon"):
            self.assets.append(a["href"])
        elif tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.assets.append(a.get("src", ""))
            if "alt" not in a:
                self.images_without_alt += 1
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in ("input", "select", "textarea"):
            hidden = a.get("type") in ("hidden", "submit", "button")
            if not hidden:
                self.fields.append({**a, "_wrapped": self._label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1

    def unlabelled(self) -> list[str]:
        return [
            f.get("name", "?")
            for f in self.fields
            if not f["_wrapped"]
            and f.get("id") not in self.label_for
            and not f.get("aria-label")
            and f.get("aria-hidden") != "true"
            and f.get("tabindex") != "-1"  # the honeypot, hidden from everyone
        ]


def asset_bytes(url: str) -> int:
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not served by the portal"
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    assert found, f"{url} does not exist"
    with open(found, "rb") as f:
        return len(f.read())


@pytest.fixture
def commune_pages(client):
    return public_pages(client)


def test_every_public_page_is_light_scriptless_and_accessible(client, commune_pages):
    pages, household = commune_pages
    weights = {}
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = Page()
        page.feed(response.content.decode())
        assert page.lang == "vi", url
        assert page.h1 == 1, f"{url}: {page.h1} h1"
        assert page.scripts == 0, f"{url} has a script: the pages work without one"
        assert page.images_without_alt == 0, url
        assert page.unlabelled() == [], f"{url}: fields without a label"
        weights[url] = len(response.content) + sum(map(asset_bytes, page.assets))
    prove(client, household)
    mine = client.get(reverse("residents:my_household"))
    assert mine.status_code == 200
    page = Page()
    page.feed(mine.content.decode())
    weights["my household"] = len(mine.content) + sum(map(asset_bytes, page.assets))
    for url, weight in sorted(weights.items(), key=lambda kv: -kv[1]):
        print(f"{weight / 1024:7.1f} KB  {url}")
    heavy = {url: w for url, w in weights.items() if w >= LIMIT}
    assert not heavy, f"pages of 150 KB or more: {heavy}"


def test_pages_in_english_say_so(client, commune_pages):
    pages, _household = commune_pages
    for url in pages[:3]:
        response = client.get(f"/en{url}", follow=True)
        page = Page()
        page.feed(response.content.decode())
        assert page.lang == "en", url
