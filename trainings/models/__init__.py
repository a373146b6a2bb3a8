"""Courses, their sessions, and who enrolled and came."""

from .courses import Course, CourseKind, CourseTarget, OrganiserKind, TargetGroup, Topic
from .enrolments import PLACE_HOLDING, Enrolment, EnrolmentStatus
from .sessions import Session, SessionStatus

__all__ = [
    "PLACE_HOLDING",
    "Course",
    "CourseKind",
    "CourseTarget",
    "Enrolment",
    "EnrolmentStatus",
    "OrganiserKind",
    "Session",
    "SessionStatus",
    "TargetGroup",
    "Topic",
]
