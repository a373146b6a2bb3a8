"""Reminders of training sessions, through the notice service.

Scheduling a session asks ``outreach.services.notice_schedule_automatic`` for two notices
to the session's villages (the course's target villages, else the village it is held
in): two days before at 07:30 local time and on the morning at 06:30; a reminder whose
time has passed is skipped. Each has a key unique in the commune:
"training:<session pk>:2days" and "training:<session pk>:morning", so scheduling twice
creates them once.

Moving a session (or changing what its reminders say: place, village, the course's title
or villages) cancels its unsent reminders and schedules new ones under keys with the
new start time in them ("training:<pk>:<YYYYmmddHHMM>:2days"); if that key was used by
reminders cancelled earlier (a session moved away and back), ":r2", ":r3"… is added.
Cancelling a session cancels its unsent reminders and schedules a cancellation notice
("training:<pk>:cancelled") five minutes later, while the session has not ended.

The texts are in Vietnamese whatever the official's screen language (the village groups
read Vietnamese), and name nobody: the title, date and time, place, village, whom the
course is for and how to register (the village officer).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from households.models import Village
from outreach.models import Notice, NoticeSource, NoticeStatus
from outreach.services import notice_schedule_automatic, notices_cancel_automatic

from ..models import Session, SessionStatus, TargetGroup

SOURCE_KEY_PREFIX = "training"
TWO_DAYS = "2days"
MORNING = "morning"
CANCELLED = "cancelled"
# (which reminder, days before the session, local time)
REMINDERS = ((TWO_DAYS, 2, time(7, 30)), (MORNING, 0, time(6, 30)))
CANCELLATION_DELAY = timedelta(minutes=5)


def key_prefix(session: Session) -> str:
    return f"{SOURCE_KEY_PREFIX}:{session.pk}:"


def reminder_villages(session: Session) -> list[Village]:
    """The course's target villages, else the village the session is held in."""
    targets = list(session.course.target_villages.order_by("sort_order", "name"))
    return targets or [session.village]


def reminder_times(session: Session) -> list[tuple[str, datetime]]:
    """When each reminder goes out (local time), the ones still to come only."""
    local_day = timezone.localtime(session.starts_at).date()
    now = timezone.now()
    out = []
    for which, days_before, at in REMINDERS:
        moment = timezone.make_aware(
            datetime.combine(local_day - timedelta(days=days_before), at)
        )
        if now < moment < session.starts_at:
            out.append((which, moment))
    return out


def _when(session: Session) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    day = formats.date_format(start.date(), "SHORT_DATE_FORMAT")
    weekday = formats.date_format(start.date(), "l")
    if end.date() == start.date():
        return _("%(weekday)s %(day)s, from %(start)s to %(end)s") % {
            "weekday": weekday,
            "day": day,
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        }
    return _("from %(start)s on %(day)s to %(end)s on %(end_day)s") % {
        "day": day,
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "end_day": formats.date_format(end.date(), "SHORT_DATE_FORMAT"),
    }


def _for_whom(session: Session) -> str:
    groups = sorted(session.course.targets.values_list("group", flat=True))
    if not groups:
        return _("Everyone interested is welcome.")
    labels = ", ".join(str(TargetGroup(g).label) for g in groups)
    return _("The course is for: %(groups)s.") % {"groups": labels}


def reminder_text(session: Session, which: str) -> tuple[str, str]:
    """The title and body of a reminder, in the portal's language (Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        course = session.course
        start = timezone.localtime(session.starts_at)
        day = formats.date_format(start.date(), "SHORT_DATE_FORMAT")
        if which == MORNING:
            title = _("Training today at %(time)s: %(course)s") % {
                "time": start.strftime("%H:%M"),
                "course": course.title,
            }
        else:
            title = _("Training on %(day)s: %(course)s") % {
                "day": day,
                "course": course.title,
            }
        lines = [
            _("%(course)s (%(topic)s), organised by %(organiser)s.")
            % {
                "course": course.title,
                "topic": course.get_topic_display(),
                "organiser": course.organiser_name
                or course.get_organiser_kind_display(),
            },
            _("When: %(when)s.") % {"when": _when(session)},
            _("Where: %(place)s, %(village)s.")
            % {"place": session.place, "village": session.village.name},
            _for_whom(session),
            _(
                "To register, or if you cannot come after registering, tell your "
                "village officer."
            ),
        ]
    return title, "\n".join(str(line) for line in lines)


def cancellation_text(session: Session) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        course = session.course
        start = timezone.localtime(session.starts_at)
        title = _("Cancelled: %(course)s on %(day)s") % {
            "course": course.title,
            "day": formats.date_format(start.date(), "SHORT_DATE_FORMAT"),
        }
        lines = [
            _(
                "The training session %(course)s planned for %(when)s at %(place)s, "
                "%(village)s is cancelled."
            )
            % {
                "course": course.title,
                "when": _when(session),
                "place": session.place,
                "village": session.village.name,
            },
            _("Reason: %(reason)s") % {"reason": session.cancel_reason},
            _("The village officer will tell you when a new date is set."),
        ]
    return title, "\n".join(str(line) for line in lines)


def _free_key(commune, key: str) -> str | None:
    """``key``, or the next revision of it when reminders cancelled earlier used it;
    None when a live (not cancelled) notice already has it: it is scheduled already."""
    taken = dict(
        Notice.objects.filter(commune=commune, source_key__startswith=key).values_list(
            "source_key", "status"
        )
    )
    candidate, revision = key, 1
    while candidate in taken:
        if taken[candidate] != NoticeStatus.CANCELLED:
            return None
        revision += 1
        candidate = f"{key}:r{revision}"
    return candidate


def session_reminders_schedule(
    session: Session, *, moved: bool = False
) -> list[Notice]:
    """Schedule the reminders of a scheduled session still to come; returns the notices
    created (none on a repeated call, or when no village of the session has an active
    group). ``moved``: keys carry the start time (the first keys may be taken by the
    reminders cancelled when the session moved)."""
    if session.status != SessionStatus.SCHEDULED:
        return []
    commune = session.course.commune
    villages = reminder_villages(session)
    created = []
    for which, moment in reminder_times(session):
        if moved:
            stamp = timezone.localtime(session.starts_at).strftime("%Y%m%d%H%M")
            key = _free_key(commune, f"{key_prefix(session)}{stamp}:{which}")
        else:
            key = f"{key_prefix(session)}{which}"
        if key is None:
            continue
        title, body = reminder_text(session, which)
        notice = notice_schedule_automatic(
            commune=commune,
            source=NoticeSource.TRAINING_REMINDER,
            source_key=key,
            title=title,
            body=body,
            villages=villages,
            scheduled_at=moment,
        )
        if notice is not None:
            created.append(notice)
    return created


def session_reminders_cancel(session: Session, *, reason: str) -> int:
    """Cancel the session's reminders not sent yet; returns how many."""
    return notices_cancel_automatic(
        commune=session.course.commune,
        source_key_prefix=key_prefix(session),
        reason=reason,
    )


def session_reminders_renew(session: Session) -> list[Notice]:
    """The session moved or its reminders' text changed: cancel the unsent reminders
    and schedule new ones."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The session was changed; new reminders replace this one.")
    session_reminders_cancel(session, reason=str(reason))
    return session_reminders_schedule(session, moved=True)


def session_cancellation_notify(session: Session) -> Notice | None:
    """After a cancellation: cancel the unsent reminders and, if the session has not
    ended, tell its villages five minutes later."""
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("The session was cancelled.")
    session_reminders_cancel(session, reason=str(reason))
    now = timezone.now()
    if session.ends_at <= now:
        return None
    title, body = cancellation_text(session)
    return notice_schedule_automatic(
        commune=session.course.commune,
        source=NoticeSource.TRAINING_REMINDER,
        source_key=f"{key_prefix(session)}{CANCELLED}",
        title=title,
        body=body,
        villages=reminder_villages(session),
        scheduled_at=now + CANCELLATION_DELAY,
    )
