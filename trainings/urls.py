"""Trainings, mounted at /trainings/: courses, sessions and the calendar; enrolment,
attendance and printouts."""

from django.urls import path

from .views import (
    attendance,
    calendar,
    courses,
    enrolments,
    printouts,
    sessions,
    walk_ins,
)

app_name = "trainings"

urlpatterns: list = [
    # Courses, sessions, calendar (trainings/views/courses.py, sessions.py, calendar.py)
    path("", sessions.SessionListView.as_view(), name="session_list"),
    path("export.xlsx", sessions.SessionExportView.as_view(), name="session_export"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("courses/", courses.CourseListView.as_view(), name="course_list"),
    path(
        "courses/export.xlsx", courses.CourseExportView.as_view(), name="course_export"
    ),
    path("courses/new/", courses.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:pk>/", courses.CourseDetailView.as_view(), name="course_detail"),
    path(
        "courses/<int:pk>/edit/",
        courses.CourseUpdateView.as_view(),
        name="course_update",
    ),
    path(
        "courses/<int:course_pk>/sessions/new/",
        sessions.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        "sessions/<int:pk>/edit/",
        sessions.SessionUpdateView.as_view(),
        name="session_update",
    ),
    path(
        "sessions/<int:pk>/cancel/",
        sessions.SessionCancelView.as_view(),
        name="session_cancel",
    ),
    # Enrolment, attendance, printouts, walk-ins (trainings/views/enrolments.py, ...)
    path(
        "sessions/<int:pk>/",
        enrolments.SessionDetailView.as_view(),
        name="session_detail",
    ),
    path(
        "sessions/<int:pk>/enrol/",
        enrolments.EnrolMemberView.as_view(),
        name="enrol_member",
    ),
    path(
        "sessions/<int:pk>/walk-in/",
        enrolments.EnrolWalkInView.as_view(),
        name="enrol_walk_in",
    ),
    path(
        "sessions/<int:pk>/enrolments/<int:enrolment_pk>/withdraw/",
        enrolments.EnrolmentWithdrawView.as_view(),
        name="enrolment_withdraw",
    ),
    path(
        "households/<int:household_pk>/enrol/",
        enrolments.HouseholdEnrolView.as_view(),
        name="household_enrol",
    ),
    path(
        "sessions/<int:pk>/attendance/",
        attendance.AttendanceSheetView.as_view(),
        name="attendance_sheet",
    ),
    path(
        "sessions/<int:pk>/sign-in-sheet/",
        printouts.SignInSheetView.as_view(),
        name="print_sign_in",
    ),
    path(
        "sessions/<int:pk>/participants/",
        printouts.ParticipantListPrintView.as_view(),
        name="print_participants",
    ),
    path(
        "sessions/<int:pk>/roster.xlsx",
        printouts.SessionExportView.as_view(),
        name="session_roster_export",
    ),
    path(
        "courses/<int:pk>/participants/",
        printouts.CourseParticipantsPrintView.as_view(),
        name="print_course_participants",
    ),
    path(
        "courses/<int:pk>/certificates/",
        printouts.CertificatesView.as_view(),
        name="print_certificates",
    ),
    path("walk-ins/", walk_ins.WalkInListView.as_view(), name="walk_in_list"),
    path(
        "walk-ins/<int:pk>/match/",
        walk_ins.WalkInMatchView.as_view(),
        name="walk_in_match",
    ),
    path(
        "walk-ins/<int:pk>/add/",
        walk_ins.WalkInAddView.as_view(),
        name="walk_in_add",
    ),
]
