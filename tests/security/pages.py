"""Reading pages as an attacker does: the forms a page offers and the links it holds."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name → current value
    choices: dict[str, list[str]] = field(default_factory=dict)  # select name → values
    boxes: set[str] = field(
        default_factory=set
    )  # checkbox and radio names (unticked: absent)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.hrefs: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(a.get("method", "get").lower(), a.get("action", "")))
        elif tag == "option" and self._select and self.forms:
            value = a.get("value", "")
            self.forms[-1].choices[self._select].append(value)
            if "selected" in a:
                self.forms[-1].fields[self._select] = value
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                self.forms[-1].boxes.add(a["name"])
                if "checked" not in a:
                    return
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.forms[-1].fields.setdefault(a["name"], "")
            self.forms[-1].choices[a["name"]] = []
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1].fields[a["name"]] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def forms(html: str, method: str) -> list[Form]:
    return [f for f in read(html).forms if f.method == method]


def hrefs(html: str) -> list[str]:
    return read(html).hrefs
