from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


class AuditEvent(PlaceBound):
    """Who did what to which record, when: written in the same transaction as the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField()
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
