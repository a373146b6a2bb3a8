"""Mass assignment: every POST form of every page, submitted by a village officer with
extra fields pointing at another village, another commune, another household, another
user and a higher role. Whatever the form does with them, every row it adds or changes
stays in the officer's village and commune, is made by the officer, and the officer's
own account keeps its role."""

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from eakutur.accounts.models import User

from .pages import Form, forms
from .test_injection import NOT_APP_FORMS
from .test_state_changes import EVERY_URL, url_of
from .world import World

USER_FIELDS = ("made_by", "created_by", "author", "recorded_by", "uploaded_by")
IGNORED = ("sessions.session", "audit.auditentry", "residents.publicattempt")


def hostile_fields(w: World) -> dict[str, str]:
    foreign = str(w.c.official.pk)
    return {
        "village": str(w.b.village.pk),
        "villages": str(w.b.village.pk),
        "commune": str(w.c.commune.pk),
        "household": str(w.b.household.pk),
        "created_by": foreign,
        "made_by": foreign,
        "author": foreign,
        "recorded_by": foreign,
        "role": "commune_admin",
        "is_superuser": "on",
        "is_staff": "on",
    }


def filled(form: Form) -> dict[str, str]:
    """The form as a hurried user would send it: what it shows, the first choice of
    each empty list, something plausible in each empty box."""
    today = timezone.localdate()
    data = {}
    for name, value in form.fields.items():
        if not value and form.choices.get(name):
            value = next((c for c in form.choices[name] if c), "")
        if not value:
            value = _plausible(name.lower(), today)
        data[name] = value
    return data


def _plausible(name: str, today) -> str:
    if "date" in name or name.endswith(("_on", "_at")):
        ahead = name.startswith(("send", "follow_up", "start", "end"))
        return (today + timedelta(days=2 if ahead else 0)).strftime("%d/%m/%Y")
    if "time" in name:
        return "08:00"
    if "phone" in name:
        return "0987654321"
    if "year" in name:
        return str(today.year)
    if any(k in name for k in ("count", "capacity", "term", "people")):
        return "3"
    if any(k in name for k in ("amount", "income", "principal", "interest")):
        return "1000000"
    if "national_id" in name:
        return "066190009999"
    return "Thử nghiệm"


def row_digests() -> dict[str, dict[int, str]]:
    result = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED or not model._meta.managed:
            continue
        result[label] = {
            row[0]: hashlib.sha256(repr(row).encode()).hexdigest()
            for row in model._base_manager.values_list()
        }
    return result


def touched(before, after) -> list[tuple[str, int, bool]]:
    """(model, pk, is new) of every row added or changed."""
    rows = []
    for label, now in after.items():
        then = before.get(label, {})
        rows += [
            (label, pk, pk not in then) for pk, h in now.items() if then.get(pk) != h
        ]
    return rows


def assert_in_scope(w: World, label: str, pk: int, is_new: bool, where: str):
    model = apps.get_model(label)
    obj = model._base_manager.get(pk=pk)
    if isinstance(obj, User):
        assert obj.pk != w.officer.pk or (
            obj.role == w.officer.role and not obj.is_superuser and not obj.is_staff
        ), f"{where}: the officer's account changed role"
        return
    if getattr(obj, "village_id", None):
        assert obj.village_id == w.a.village.pk, f"{where}: {label} {pk} in village B"
    if getattr(obj, "commune_id", None):
        assert obj.commune_id == w.a.commune.pk, f"{where}: {label} {pk} in commune Y"
    if getattr(obj, "household_id", None):
        village = obj.household.village_id
        assert village == w.a.village.pk, f"{where}: {label} {pk} of household B"
    for field in USER_FIELDS:
        if is_new and getattr(obj, f"{field}_id", None):
            assert getattr(obj, f"{field}_id") == w.officer.pk, (
                f"{where}: {field} forged"
            )


def submissions(form: Form, w: World) -> list[dict[str, str]]:
    """Two tries per form: extra fields the form does not have (they must be ignored,
    and the form still saves), then its own fields pointed elsewhere (refused)."""
    data, extra = filled(form), hostile_fields(w)
    return [
        data | {k: v for k, v in extra.items() if k not in data},
        data | extra,
    ]


@pytest.mark.parametrize("name", EVERY_URL)
def test_extra_fields_never_move_a_record_out_of_scope(w, name):
    client = Client()
    client.force_login(w.officer)
    url = url_of(name, w)
    page = client.get(url)
    if page.status_code != 200 or "html" not in page["Content-Type"]:
        return
    for form in forms(page.content.decode(), "post"):
        action = form.action or url
        if action.startswith(NOT_APP_FORMS):
            continue
        for data in submissions(form, w):
            before = row_digests()
            response = client.post(action, data)
            assert response.status_code < 500, (action, response.status_code)
            for label, pk, is_new in touched(before, row_digests()):
                assert_in_scope(w, label, pk, is_new, f"POST {action}")


@pytest.mark.parametrize(
    "name",
    ["households:household_create", "loans:group_create", "contacts:team_member_add"],
)
def test_a_form_with_extra_fields_still_saves_in_scope(w, name):
    """So the test above bites: these forms do save with the extra fields added."""
    client = Client()
    client.force_login(w.officer)
    url = url_of(name, w)
    [form] = [
        f
        for f in forms(client.get(url).content.decode(), "post")
        if not (f.action or url).startswith(NOT_APP_FORMS)
    ]
    before = row_digests()
    client.post(form.action or url, submissions(form, w)[0])
    new = [
        (label, pk) for label, pk, is_new in touched(before, row_digests()) if is_new
    ]
    assert new, f"{name} saved nothing"
    for label, pk in new:
        assert_in_scope(w, label, pk, True, name)
