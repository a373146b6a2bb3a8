from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Django's own names ("login", "logout", "password_change"...), unnamespaced: the
# settings (LOGIN_URL) and Django's views refer to them by these names.
auth_urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

app_name = "accounts"
urlpatterns = [
    path("login/code/", views.SignInCodeView.as_view(), name="signin_code"),
    path("security/", views.SecurityView.as_view(), name="security"),
    path(
        "security/two-factor/on/",
        views.EnableSecondFactorView.as_view(),
        name="second_factor_enable",
    ),
    path(
        "security/two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="recovery_codes",
    ),
    path(
        "security/two-factor/off/",
        views.DisableSecondFactorView.as_view(),
        name="second_factor_disable",
    ),
]
