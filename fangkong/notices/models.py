"""Public notices (公告 / 疫情信息发布, 3.1, 3.4, F.4): what a community or township tells its
residents — epidemic information, advice, rules — on a public page, a feed and a poster.

A `Notice` is the lasting thing residents refer to ("the notice on banquets"); each text of
it is a `NoticeVersion`. A worker writes a draft (at most one per notice), publishes it, and
later revises the notice with a new draft: every published version is kept and shown as the
notice's history, the latest published one marked authoritative. Markup typed into a notice
is text: the pages escape it and keep its line breaks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound

TITLE_LENGTH = 100
BODY_LENGTH = 5000


class Notice(PlaceBound):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Epidemic information")
        ADVICE = "advice", _("Prevention advice")
        RULE = "rule", _("Rules and measures")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The latest version's title and the moment its latest published version went (or goes)
    # public, kept by the services so that lists need no look at the versions.
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        indexes = [
            models.Index(
                fields=["area_path", "created_at"],
                opclasses=["varchar_pattern_ops", ""],
                name="notice_list",
            )
        ]

    def __str__(self):
        return self.title


class NoticeVersion(PlaceBound):
    """One text of a notice. `published_at` empty: the draft being written."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    body = models.TextField(_("text"), max_length=BODY_LENGTH)
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["notice", "-number"]
        verbose_name = _("notice version")
        verbose_name_plural = _("notice versions")
        constraints = [
            models.UniqueConstraint(fields=["notice", "number"], name="notice_version_once"),
            models.UniqueConstraint(
                fields=["notice"], condition=Q(published_at__isnull=True), name="notice_one_draft"
            ),
        ]
        indexes = [models.Index(fields=["area", "published_at"], name="notice_public")]

    def __str__(self):
        return f"{self.title} v{self.number}"
