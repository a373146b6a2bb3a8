"""Writes of the trainings app: one function per use case, each in one transaction, each
audited, each checking the actor's villages again (the views fetched the record through a
scoped selector; this is the second lock on the same door). Callers import from here,
never from a submodule.
"""

from .courses import course_create, course_update
from .enrolments import attendance_mark, enrol_member, enrolment_withdraw
from .sessions import session_cancel, session_schedule, session_update
from .walk_ins import enrol_walk_in, walk_in_add_to_registry, walk_in_match

__all__ = [
    "attendance_mark",
    "course_create",
    "course_update",
    "enrol_member",
    "enrol_walk_in",
    "enrolment_withdraw",
    "session_cancel",
    "session_schedule",
    "session_update",
    "walk_in_add_to_registry",
    "walk_in_match",
]
