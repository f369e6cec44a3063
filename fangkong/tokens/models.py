import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "fk_"


def digest_of(key):
    """What the database keeps of a token: its SHA-256. The key itself (256 random bits) is
    shown once, when it is issued; a stolen table opens nothing."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_key():
    return KEY_PREFIX + secrets.token_urlsafe(32)


class AuthTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class AuthToken(models.Model):
    """One API token of a user: a digest, a lifetime, and why and when it stopped working."""

    class Reason(models.TextChoices):
        OWNER = "owner", _("Revoked by its owner")
        MANAGER = "manager", _("Revoked by a manager")
        PASSWORD = "password", _("Password changed")
        DEACTIVATED = "deactivated", _("Account deactivated")
        ROLES = "roles", _("Roles changed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens"
    )
    # The area of the worker when the token was issued: where its audit events are filed.
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("begins with"), max_length=12, editable=False)
    # The user's session hash (an HMAC of the password hash) when the token was issued: a
    # password changed in any way, even without the signal that revokes, stops the token.
    password_stamp = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuthTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"], name="authtoken_user_live")]

    def __str__(self):
        return f"{self.hint}… ({self.user})"

    def is_usable(self, now=None):
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
