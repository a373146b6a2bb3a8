from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="household_list"),
    path("export.xlsx", views.HouseholdExportView.as_view(), name="household_export"),
    path("new/", views.HouseholdCreateView.as_view(), name="household_create"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path(
        "<int:pk>/national-ids/",
        views.HouseholdNationalIdsView.as_view(),
        name="household_national_ids",
    ),
    path(
        "<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_update"
    ),
    path(
        "<int:pk>/archive/",
        views.HouseholdArchiveView.as_view(),
        name="household_archive",
    ),
    path(
        "<int:pk>/restore/",
        views.HouseholdRestoreView.as_view(),
        name="household_restore",
    ),
    path(
        "<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member_create"
    ),
    path(
        "<int:pk>/members/<int:member_pk>/edit/",
        views.MemberUpdateView.as_view(),
        name="member_update",
    ),
    path(
        "<int:pk>/members/<int:member_pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
    path(
        "<int:pk>/members/<int:member_pk>/make-head/",
        views.ChangeHeadView.as_view(),
        name="member_make_head",
    ),
    path(
        "<int:pk>/reviews/new/", views.ReviewCreateView.as_view(), name="review_create"
    ),
    path(
        "<int:pk>/reviews/<int:review_pk>/edit/",
        views.ReviewUpdateView.as_view(),
        name="review_update",
    ),
    path("villages/", views.VillageListView.as_view(), name="village_list"),
    path("villages/new/", views.VillageCreateView.as_view(), name="village_create"),
    path(
        "villages/<int:pk>/edit/",
        views.VillageUpdateView.as_view(),
        name="village_update",
    ),
    path(
        "villages/<int:pk>/", views.VillageDetailView.as_view(), name="village_detail"
    ),
    path("reviews/import/", views.ReviewImportView.as_view(), name="review_import"),
    path(
        "reviews/import/template.xlsx",
        views.ReviewImportTemplateView.as_view(),
        name="review_import_template",
    ),
    path(
        "reviews/import/<int:batch_pk>/",
        views.ReviewImportPreviewView.as_view(),
        name="review_import_preview",
    ),
]
