from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health, views
from .accounts import urls as accounts_urls

admin.site.site_header = _("Ea Ktur commune portal: administration")
admin.site.site_title = _("Ea Ktur commune portal")
admin.site.index_title = _("Reference data and users")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # For the load balancer: one URL whatever the language, no login.
    path("healthz", health.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("accounts/", include(accounts_urls.auth_urlpatterns)),
    path("accounts/", include("eakutur.accounts.urls")),
    path("staff/", views.StaffHomeView.as_view(), name="staff_home"),
    path("households/", include("households.urls")),
    path("loans/", include("loans.urls")),
    path("outreach/", include("outreach.urls.contacts")),
    path("notices/", include("outreach.urls.notices")),
    path("trainings/", include("trainings.urls")),
    path("dashboard/", include("eakutur.dashboard.urls")),
    path("admin/", admin.site.urls),
    # The public resident pages own the root ("/", "/programs/", "/check/"...).
    path("", include("eakutur.residents.urls")),
    prefix_default_language=False,
)
