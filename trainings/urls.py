"""Trainings, mounted at /trainings/: courses, sessions and the calendar; enrolment,
attendance and printouts."""

from django.urls import path  # noqa: F401

app_name = "trainings"

urlpatterns: list = [
    # Courses, sessions, calendar (trainings/views/courses.py, sessions.py, calendar.py)
    # Enrolment, attendance, printouts, walk-ins (trainings/views/enrolments.py, ...)
]
