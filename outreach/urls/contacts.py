"""Outreach work, mounted at /outreach/: contacts and follow-ups, coverage, digital teams,
assisted applications."""

from django.urls import path

from ..views import applications, contacts, coverage, teams

app_name = "contacts"

urlpatterns: list = [
    # Contacts and follow-ups (outreach/views/contacts.py)
    path("", contacts.ContactListView.as_view(), name="contact_list"),
    path("export/", contacts.ContactExportView.as_view(), name="contact_export"),
    path("new/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
    path("follow-ups/", contacts.FollowUpListView.as_view(), name="follow_up_list"),
    path("<int:pk>/done/", contacts.FollowUpDoneView.as_view(), name="follow_up_done"),
    # Coverage per village (outreach/views/coverage.py)
    path("coverage/", coverage.CoverageView.as_view(), name="coverage"),
    path(
        "coverage/export/",
        coverage.CoverageExportView.as_view(),
        name="coverage_export",
    ),
    path(
        "coverage/households/",
        coverage.CoverageHouseholdsView.as_view(),
        name="coverage_households",
    ),
    # Digital teams and their members (outreach/views/teams.py)
    path("teams/", teams.TeamListView.as_view(), name="team_list"),
    path("teams/new/", teams.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", teams.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", teams.TeamUpdateView.as_view(), name="team_update"),
    path(
        "teams/<int:pk>/members/new/",
        teams.MemberAddView.as_view(),
        name="team_member_add",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/edit/",
        teams.MemberUpdateView.as_view(),
        name="team_member_update",
    ),
    path(
        "teams/<int:pk>/members/<int:member_pk>/leave/",
        teams.MemberLeaveView.as_view(),
        name="team_member_leave",
    ),
    # Assisted online applications (outreach/views/applications.py)
    path(
        "applications/",
        applications.ApplicationListView.as_view(),
        name="application_list",
    ),
    path(
        "applications/export/",
        applications.ApplicationExportView.as_view(),
        name="application_export",
    ),
    path(
        "applications/new/",
        applications.ApplicationCreateView.as_view(),
        name="application_create",
    ),
    path(
        "applications/<int:pk>/",
        applications.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/status/",
        applications.ApplicationStatusView.as_view(),
        name="application_status",
    ),
    path(
        "applications/<int:pk>/edit/",
        applications.ApplicationUpdateView.as_view(),
        name="application_update",
    ),
]
