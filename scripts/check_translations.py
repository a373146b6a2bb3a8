#!/usr/bin/env python
"""Fail when the Vietnamese catalogue is not complete.

Vietnamese is the default language of every page, so ``locale/vi/LC_MESSAGES/django.po``
must have a translation for every string in the code. This script exits with status 1 and
lists the entries when

- an entry of the catalogue is untranslated or marked fuzzy;
- ``makemessages`` would add a string that the catalogue does not have yet (it runs
  ``makemessages`` on a copy of the source tree in a temporary folder, so the working tree
  is left alone);
- ``msgfmt --check-format`` finds an error (e.g. a ``%(name)s`` placeholder missing from the
  translation).

Usage: ``scripts/check_translations.py [--ignore=PATTERN ...]`` with the same ``--ignore``
options that ``make messages`` gives ``makemessages``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LANGUAGE = "vi"
# Never copied: they are not ours, or they are rebuilt, or they are what we compare against.
COPY_SKIP = {
    ".git",
    ".venv",
    "node_modules",
    "staticfiles",
    "var",
    "locale",
    "test-artifacts",  # screenshots, load results, a running stack's sockets
}
COPY_SKIP_PATTERNS = ("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "*.mo")

Key = tuple[str | None, str, str]


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural or "")


def describe(key: Key) -> str:
    msgctxt, msgid, msgid_plural = key
    text = repr(msgid)
    if msgid_plural:
        text += f" / plural {msgid_plural!r}"
    if msgctxt:
        text += f" (context {msgctxt!r})"
    return text


def where(entry: polib.POEntry) -> str:
    if not entry.occurrences:
        return ""
    path, line = entry.occurrences[0]
    return f"  [{path}:{line}]" if line else f"  [{path}]"


def live_entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete and e.msgid]


def _skip(directory: str, names: list[str]) -> set[str]:
    skipped = set(shutil.ignore_patterns(*COPY_SKIP_PATTERNS)(directory, names))
    if Path(directory) == BASE_DIR:
        skipped |= COPY_SKIP & set(names)
    return skipped


def extract(domain: str, ignore: list[str]) -> polib.POFile:
    """Run makemessages on a copy of the tree and return the fresh catalogue."""
    with tempfile.TemporaryDirectory(prefix="eakutur-messages-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(BASE_DIR, copy, ignore=_skip)
        env = {
            **os.environ,
            "EAKUTUR_VAR_DIR": str(Path(tmp) / "var"),
            "DJANGO_SETTINGS_MODULE": "eakutur.settings",
        }
        command = [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            LANGUAGE,
            "--domain",
            domain,
            "--verbosity",
            "0",
            *ignore,
        ]
        result = subprocess.run(  # noqa: S603 (our own fixed command line)
            command, cwd=copy, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(f"makemessages failed on a copy of the tree: {command}")
        fresh = copy / "locale" / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
        if not fresh.exists():  # no string of this domain anywhere
            return polib.POFile()
        return polib.pofile(str(fresh))


def check_domain(domain: str, ignore: list[str]) -> list[str]:
    po_path = BASE_DIR / "locale" / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
    problems: list[str] = []
    fresh = extract(domain, ignore)
    if not po_path.exists():
        if live_entries(fresh):
            problems.append(
                f"{po_path.relative_to(BASE_DIR)} is missing; run `make messages` "
                f"and translate its {len(live_entries(fresh))} strings"
            )
        return problems
    catalogue = polib.pofile(str(po_path))
    rel = po_path.relative_to(BASE_DIR)

    untranslated = [e for e in live_entries(catalogue) if not e.translated()]
    fuzzy = [e for e in live_entries(catalogue) if e.fuzzy]
    known = {entry_key(e) for e in live_entries(catalogue)}
    missing = [e for e in live_entries(fresh) if entry_key(e) not in known]
    stale = known - {entry_key(e) for e in live_entries(fresh)}

    for title, entries in (
        ("untranslated", [e for e in untranslated if not e.fuzzy]),
        ("fuzzy (check the translation, then remove the fuzzy flag)", fuzzy),
        ("in the code but not in the catalogue (run `make messages`)", missing),
    ):
        if entries:
            problems.append(f"{rel}: {len(entries)} {title}:")
            problems.extend(f"    {describe(entry_key(e))}{where(e)}" for e in entries)

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise SystemExit("msgfmt not found: install gettext")
    check = subprocess.run(  # noqa: S603 (our own fixed command line)
        [msgfmt, "--check-format", "--output-file", os.devnull, str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode != 0:
        problems.append(f"{rel}: msgfmt --check-format failed:")
        problems.extend(f"    {line}" for line in check.stderr.splitlines())

    if stale and not problems:
        print(
            f"note: {rel} has {len(stale)} entries no longer in the code; "
            "`make messages` removes them."
        )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="PATTERN",
        help="passed to makemessages (same as `make messages`)",
    )
    args = parser.parse_args()
    ignore = [f"--ignore={pattern}" for pattern in args.ignore]

    domains = ["django"]
    if (BASE_DIR / "locale" / LANGUAGE / "LC_MESSAGES" / "djangojs.po").exists():
        domains.append("djangojs")

    problems: list[str] = []
    for domain in domains:
        problems.extend(check_domain(domain, ignore))
    if problems:
        print("The Vietnamese catalogue is not complete:", file=sys.stderr)
        for line in problems:
            print(line, file=sys.stderr)
        return 1
    print(f"The Vietnamese catalogue is complete ({', '.join(domains)}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
