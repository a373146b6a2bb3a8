"""The public resident pages (no login). Nothing personal ever travels in these URLs:
the questionnaire's answers and a looked-up household live in the session."""

from django.urls import path

from .views import check, home, lookup, notices, programs, requests, trainings

app_name = "residents"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("village/", home.ChooseVillageView.as_view(), name="choose_village"),
    path("programs/", programs.ProgramListView.as_view(), name="program_list"),
    path(
        "programs/<slug:code>/",
        programs.ProgramDetailView.as_view(),
        name="program_detail",
    ),
    path("check/", check.CheckStartView.as_view(), name="check_start"),
    path("check/result/", check.CheckResultView.as_view(), name="check_result"),
    path("check/<slug:step>/", check.CheckStepView.as_view(), name="check_step"),
    path("my-household/", lookup.LookupView.as_view(), name="lookup"),
    path("my-household/view/", lookup.MyHouseholdView.as_view(), name="my_household"),
    path("my-household/leave/", lookup.LeaveView.as_view(), name="lookup_leave"),
    path("calendar/", trainings.CalendarView.as_view(), name="calendar"),
    path("news/", notices.NoticeListView.as_view(), name="notice_list"),
    path("news/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice_detail"),
    path("request/", requests.RequestView.as_view(), name="request"),
    path("request/sent/", requests.RequestSentView.as_view(), name="request_sent"),
]
