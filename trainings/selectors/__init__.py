"""Reads of the trainings app, scoped to what the user may see. Callers import from here."""

from .calendar import calendar_month_for, upcoming_sessions_for, with_counts
from .counts import course_participants, participant_counts
from .courses import course_get_for, course_list_for
from .households import (
    courses_recommended_for,
    member_search_for,
    trainings_of_household,
)
from .scope import courses_for, courses_meant_for, sessions_for
from .sessions import (
    course_sessions_for,
    reminder_key_prefix,
    session_get_for,
    session_reminders,
    session_roster,
)
from .walk_ins import walk_in_get_for, walk_in_suggestions, walk_ins_for

__all__ = [
    "calendar_month_for",
    "course_get_for",
    "course_list_for",
    "course_participants",
    "course_sessions_for",
    "courses_for",
    "courses_meant_for",
    "courses_recommended_for",
    "member_search_for",
    "participant_counts",
    "reminder_key_prefix",
    "session_get_for",
    "session_reminders",
    "session_roster",
    "sessions_for",
    "trainings_of_household",
    "upcoming_sessions_for",
    "walk_in_get_for",
    "walk_in_suggestions",
    "walk_ins_for",
    "with_counts",
]
