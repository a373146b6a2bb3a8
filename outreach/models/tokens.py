"""Provider credentials that rotate at run time (Zalo's access and refresh tokens).

Zalo spends a refresh token on every use and hands back a new one. It must survive a
cache flush and a restart, so it lives in the database, not in the cache or in settings
(settings only seed the first pair). Edited by the channel, never by a form.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderToken(models.Model):
    provider = models.CharField(_("provider"), max_length=20, unique=True)
    access_token = models.TextField(_("access token"))
    refresh_token = models.TextField(_("refresh token"))
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    class Meta:
        verbose_name = _("provider token")
        verbose_name_plural = _("provider tokens")

    def __str__(self) -> str:
        return self.provider
