from django.urls import path

from ..views import actions, notices, outbox

app_name = "outreach"

urlpatterns = [
    # Notices (outreach/views/notices.py)
    path("", notices.NoticeListView.as_view(), name="notice_list"),
    path("new/", notices.NoticeComposeView.as_view(), name="notice_create"),
    path("<int:pk>/", notices.NoticeDetailView.as_view(), name="notice_detail"),
    # Actions (outreach/views/actions.py)
    path(
        "<int:pk>/schedule/",
        actions.NoticeScheduleView.as_view(),
        name="notice_schedule",
    ),
    path("<int:pk>/cancel/", actions.NoticeCancelView.as_view(), name="notice_cancel"),
    path("<int:pk>/resend/", actions.NoticeResendView.as_view(), name="notice_resend"),
    # Outbox and groups (outreach/views/outbox.py)
    path("outbox/", outbox.OutboxView.as_view(), name="outbox"),
    path("groups/", outbox.GroupListView.as_view(), name="group_list"),
]
