#!/usr/bin/env python
"""Fill Vietnamese translations from a JSON file, then recompile the catalogues.

Usage: ``scripts/fill_translations.py FILE.json`` where FILE maps an English msgid to its
Vietnamese text (``{"msgid": "msgstr"}``; for a plural entry the value is a list, one text
per form). It runs ``make messages`` first so new strings are in the catalogue, fills the
ones the file names (clearing their fuzzy flag), and runs ``make compilemessages``. The
whole run holds ``/tmp/eakutur-po.lock`` so two people filling at once do not overwrite
each other. Prints the msgids of the file that the catalogue does not have.
"""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
CATALOGUE = BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# A developer tool on one machine; the lock only serialises our own runs.
LOCK = Path("/tmp/eakutur-po.lock")  # noqa: S108


def fill(translations: dict[str, str | list[str]]) -> list[str]:
    po = polib.pofile(str(CATALOGUE), wrapwidth=79)
    unknown = set(translations)
    for entry in po:
        if entry.msgid not in translations:
            continue
        unknown.discard(entry.msgid)
        value = translations[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
    po.save()
    return sorted(unknown)


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        make = ["make", "--no-print-directory", "-C", str(BASE_DIR)]
        subprocess.run(  # noqa: S603 (our own fixed command line)
            [*make, "messages"], check=True, stdout=subprocess.DEVNULL
        )
        unknown = fill(translations)
        subprocess.run(  # noqa: S603 (our own fixed command line)
            [*make, "compilemessages"], check=True, stdout=subprocess.DEVNULL
        )
    for msgid in unknown:
        print(f"not in the catalogue: {msgid!r}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
