from django.urls import path

from ..views import actions, groups, notices, outbox, relay

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
    # Outbox (outreach/views/outbox.py)
    path("outbox/", outbox.OutboxView.as_view(), name="outbox"),
    # Village groups (outreach/views/groups.py)
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/new/", groups.GroupCreateView.as_view(), name="group_create"),
    path(
        "groups/<int:pk>/edit/", groups.GroupUpdateView.as_view(), name="group_update"
    ),
    path(
        "groups/<int:pk>/active/",
        groups.GroupSetActiveView.as_view(),
        name="group_set_active",
    ),
    # Relays: notices a village officer forwards by hand (outreach/views/relay.py)
    path("relay/", relay.RelayListView.as_view(), name="relay_list"),
    path(
        "relay/<int:pk>/forwarded/",
        relay.RelayConfirmView.as_view(),
        name="relay_confirm",
    ),
]
