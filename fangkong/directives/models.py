"""Directives down, implementation reports up (issue 17, F.1 and 6.8; docs/directives.md).

A `Directive` (通知 / 文件, `doc_number` 文号) is issued by an area (its `area`) to areas
below it. Each receiving area holds one `DirectiveReceipt`: its own deadlines, its
acknowledgement (签收), and, when it forwarded the directive further down (转发), what it
added (`addition`) — so what each level added beyond what it received is a record of that
level, visible to every level above (层层加码 made visible). A receipt forwarded to is
linked to the receipt it came from (`parent`); the issuer's own receivers have none.

A level forwarding a directive may also add figures of its own to ask of its subtree
(`DirectiveReceipt.figures` and `.asked`), kept as that level's addition like its text.

An `ImplementationReport` (落实情况报告) answers a receipt: the figures the system knows,
taken from the daily-report registry when it is sent, and the figures asked that only
people know, typed. The level above reviews it (DHIS2's approval order): approves it,
which locks it, or sends it back with a reason, and the area sends an amended version;
every version is kept (`version`), at most one standing (not sent back) per receipt. The
standing version's figures are also stored one row each (`ImplementationFigure`), so
that a level's live sum is one GROUP BY in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


class Directive(PlaceBound):
    """A notice an area issues to areas below it (`area` is the issuer)."""

    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    body = models.TextField(_("body"), max_length=20000)
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    report_due_at = models.DateTimeField(_("report by"), null=True, blank=True)
    # Keys of daily-report figures the report takes from the records (reports/registry.py).
    figures = models.JSONField(_("figures from the records"), default=list, blank=True)
    # Labels of the figures only people know, typed by the receivers.
    asked = models.JSONField(_("figures to type"), default=list, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-issued_at", "-id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        indexes = [
            models.Index(
                fields=["area_path", "issued_at"],
                opclasses=["varchar_pattern_ops", ""],
                name="directive_list",
            )
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}".strip()

    def get_absolute_url(self):
        return reverse("directive_detail", args=[self.pk])


class DirectiveReceipt(PlaceBound):
    """One receiving area's copy of a directive (`area` is the receiver)."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.CASCADE, related_name="receipts"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("forwarded by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    report_due_at = models.DateTimeField(_("report by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    addition = models.TextField(_("requirements added"), max_length=20000, blank=True)
    # The figures this level added when forwarding, asked of its subtree: keys of the
    # daily-report registry and labels typed (the keys of those are asks.added_key).
    figures = models.JSONField(_("figures from the records added"), default=list, blank=True)
    asked = models.JSONField(_("figures to type added"), default=list, blank=True)
    # Copied from the standing report, so that progress is counted from this one table:
    # sent (empty again when sent back), approved by the level above, sent back.
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("report approved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("report sent back at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "id"]
        verbose_name = _("received directive")
        verbose_name_plural = _("received directives")
        constraints = [
            models.UniqueConstraint(fields=["directive", "area"], name="directive_received_once")
        ]
        indexes = [
            # The progress of a directive is counted from this index alone (no table rows).
            models.Index(
                fields=[
                    "directive",
                    "area_path",
                    "forwarded_at",
                    "acknowledged_at",
                    "ack_due_at",
                    "reported_at",
                    "report_due_at",
                    "approved_at",
                    "returned_at",
                ],
                opclasses=["", "varchar_pattern_ops", "", "", "", "", "", "", ""],
                name="receipt_progress",
            ),
            models.Index(
                fields=["area_path", "received_at"],
                opclasses=["varchar_pattern_ops", ""],
                name="receipt_inbox",
            ),
            # A directive's receivers in the order they were sent, 50 at a time.
            models.Index(fields=["directive", "id"], name="receipt_order"),
            # The few levels that forwarded it (their additions), among thousands of rows.
            models.Index(
                fields=["directive", "area_path"],
                opclasses=["", "varchar_pattern_ops"],
                condition=models.Q(forwarded_at__isnull=False),
                name="receipt_forwarded",
            ),
        ]

    def __str__(self):
        return f"{self.directive} → {self.area_id}"

    def get_absolute_url(self):
        return reverse("receipt_detail", args=[self.pk])


class DirectiveAttachment(models.Model):
    """A file of a directive (`receipt` empty) or of what a level added when forwarding it.
    Reached only through the directive or receipt it belongs to (views check those)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    receipt = models.ForeignKey(
        DirectiveReceipt,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to="directives/%Y/%m/", max_length=255)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class ReportState(models.TextChoices):
    SENT = "sent", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")


class ImplementationReport(PlaceBound):
    """One version of a receiving area's implementation report (`area` is the receiver)."""

    receipt = models.ForeignKey(DirectiveReceipt, on_delete=models.CASCADE, related_name="reports")
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("review"), max_length=10, choices=ReportState.choices, default=ReportState.SENT
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the level above sent it back.
    review_note = models.TextField(_("reason sent back"), max_length=2000, blank=True)
    figures = models.JSONField(_("figures from the records"), default=dict)
    typed = models.JSONField(_("figures typed"), default=dict)
    # True when the typed figures are the sum of the reports of the areas below.
    rolled_up = models.BooleanField(_("sum of the areas below"), default=False)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-sent_at", "-id"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["receipt", "version"], name="implementation_version_once"
            ),
            # One version stands at a time: a new one only after the last was sent back.
            models.UniqueConstraint(
                fields=["receipt"],
                condition=~Q(state="returned"),
                name="implementation_standing_once",
            ),
        ]

    def __str__(self):
        return f"{self.directive} {self.area_id} v{self.version}"


class ImplementationFigure(PlaceBound):
    """One figure of the standing report of an area that forwarded it to nobody (a leaf),
    so that the sum of any subtree counts each area once; removed when the report is sent
    back, written again from the amended version."""

    report = models.ForeignKey(
        ImplementationReport, on_delete=models.CASCADE, related_name="values"
    )
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    value = models.BigIntegerField()

    class Meta(PlaceBound.Meta):
        indexes = [
            models.Index(
                fields=["directive", "area_path", "key", "value"],
                opclasses=["", "varchar_pattern_ops", "", ""],
                name="figure_sum",
            )
        ]
