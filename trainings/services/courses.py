"""Courses: what is taught, by whom, for which villages and groups. Only commune-wide
roles create and change them."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eakutur.audit.models import AuditAction
from eakutur.audit.services import audit_created, audit_record, audited_update
from households.models import Village
from households.text import clean_name

from ..models import Course, CourseTarget, Session, SessionStatus, TargetGroup
from . import reminders
from ._common import ensure_commune_wide, ensure_own_commune, lock_course

COURSE_FIELDS = (
    "title",
    "topic",
    "kind",
    "organiser_kind",
    "organiser_name",
    "description",
    "loan_purpose",
)
# Besides the fields above, course_update accepts these two lists.
COURSE_LISTS = ("target_villages", "target_groups")
# A change of these (or of the lists) makes the coming sessions' reminders wrong.
REMINDER_FIELDS = ("title", "topic", "organiser_kind", "organiser_name")


def _ensure_planner(actor) -> None:
    ensure_commune_wide(
        actor, _("Only commune officials can create or change courses.")
    )


def _clean_villages(commune_id: int, villages: Iterable) -> list[Village]:
    chosen = list(villages or ())
    ids = {getattr(v, "pk", v) for v in chosen}
    found = list(
        Village.objects.filter(pk__in=ids, commune_id=commune_id).order_by(
            "sort_order", "name"
        )
    )
    if len(found) != len(ids):
        raise ValidationError({"target_villages": _("Choose villages of the commune.")})
    return found


def _clean_groups(groups: Iterable[str]) -> list[str]:
    chosen = sorted(set(groups or ()))
    unknown = [g for g in chosen if g not in TargetGroup.values]
    if unknown:
        raise ValidationError(
            {
                "target_groups": _("Unknown target group: %(groups)s.")
                % {"groups": ", ".join(unknown)}
            }
        )
    return chosen


def _group_labels(groups: Iterable[str]) -> list[str]:
    return [str(TargetGroup(g).label) for g in groups]


def course_create(
    *,
    actor,
    title: str,
    topic: str,
    kind: str,
    organiser_kind: str,
    organiser_name: str = "",
    description: str = "",
    target_villages: Iterable = (),
    target_groups: Iterable[str] = (),
    loan_purpose: str = "",
) -> Course:
    """Create a course of the actor's commune, with its target villages (none: the whole
    commune) and target groups."""
    _ensure_planner(actor)
    if not actor.commune_id:
        raise ValidationError(_("Your account belongs to no commune."))
    villages = _clean_villages(actor.commune_id, target_villages)
    groups = _clean_groups(target_groups)
    course = Course(
        commune_id=actor.commune_id,
        title=clean_name(title),
        topic=topic,
        kind=kind,
        organiser_kind=organiser_kind,
        organiser_name=clean_name(organiser_name),
        description=(description or "").strip(),
        loan_purpose=loan_purpose or "",
        created_by=actor if actor.pk else None,
    )
    course.full_clean()
    with transaction.atomic():
        course.save()
        course.target_villages.set(villages)
        CourseTarget.objects.bulk_create(
            CourseTarget(course=course, group=g) for g in groups
        )
        targets = {}
        if villages:
            targets["target_villages"] = [None, [str(v) for v in villages]]
        if groups:
            targets["target_groups"] = [None, _group_labels(groups)]
        audit_created(actor=actor, instance=course, fields=COURSE_FIELDS, also=targets)
    return course


def course_update(*, actor, course: Course, **fields) -> Course:
    """Change a course's fields and, if given, its target villages and groups (the
    lists replace the old ones). Enrolments keep the support fixed when they were made."""
    unknown = set(fields) - set(COURSE_FIELDS) - set(COURSE_LISTS)
    if unknown:
        raise TypeError(f"course_update cannot change {sorted(unknown)}")
    _ensure_planner(actor)
    ensure_own_commune(actor, course.commune_id)
    for name in ("title", "organiser_name"):
        if name in fields:
            fields[name] = clean_name(fields[name])
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    if "loan_purpose" in fields:
        fields["loan_purpose"] = fields["loan_purpose"] or ""
    villages = groups = None
    if "target_villages" in fields:
        villages = _clean_villages(course.commune_id, fields.pop("target_villages"))
    if "target_groups" in fields:
        groups = _clean_groups(fields.pop("target_groups"))
    with transaction.atomic():
        course = lock_course(course)
        changed = audited_update(course, fields, actor=actor)
        lists = {}
        if villages is not None:
            before = list(course.target_villages.order_by("sort_order", "name"))
            if {v.pk for v in before} != {v.pk for v in villages}:
                course.target_villages.set(villages)
                lists["target_villages"] = [
                    [str(v) for v in before],
                    [str(v) for v in villages],
                ]
        if groups is not None:
            before_groups = sorted(course.targets.values_list("group", flat=True))
            if before_groups != groups:
                course.targets.exclude(group__in=groups).delete()
                CourseTarget.objects.bulk_create(
                    CourseTarget(course=course, group=g)
                    for g in groups
                    if g not in before_groups
                )
                lists["target_groups"] = [
                    _group_labels(before_groups),
                    _group_labels(groups),
                ]
        if lists:
            audit_record(
                actor=actor, instance=course, action=AuditAction.UPDATE, changes=lists
            )
        if lists or set(changed) & set(REMINDER_FIELDS):
            _renew_reminders(course)
    return course


def _renew_reminders(course: Course) -> None:
    """The reminders of the course's coming sessions name its title, organiser and
    target groups and go to its target villages: make them again."""
    coming = (
        Session.objects.select_for_update(of=("self",))
        .filter(
            course=course,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .select_related("course__commune", "village")
    )
    for session in coming:
        reminders.session_reminders_renew(session)
